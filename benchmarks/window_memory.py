"""Memory of the window over a long run: does it stay flat after warm-up?

Trains the same run twice, each in its own process so the figures do not mix: once in
the real window (offscreen, sample grids every 50 steps shown in the Train tab) and once
headless. Each process samples its resident set size (RSS) every few seconds. Prints,
for both, the RSS after warm-up and at the end, the slope after warm-up in MB per 1000
steps (goal for the window: about 0, as headless), and the ratio window / headless.

    QT_QPA_PLATFORM=offscreen python benchmarks/window_memory.py --steps 20000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """This process's resident set size in MB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_config(args):
    from ganstudio.core.config import TrainConfig

    cfg = TrainConfig(
        dataset=args.dataset,
        model="mlp",
        steps=args.steps,
        sample_every=args.sample_every,
        checkpoint_every=args.steps,
        log_every=10,
        seed=0,
        tensorboard=False,
    )
    return cfg.with_model_defaults().validate()


def run_window(args, root: str) -> list[tuple[int, float]]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ganstudio.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    tv = window.train_view
    tv.runs_root = root
    tv.panel.set_config(make_config(args))
    samples: list[tuple[int, float]] = []
    timer = QTimer()
    timer.timeout.connect(lambda: samples.append((tv.loss_plot.series.last_step, rss_mb())))
    timer.start(int(args.every * 1000))
    tv.state_changed.connect(lambda: None if tv.running else app.quit())
    if not tv.start():
        raise RuntimeError(f"the window refused to start: {tv.last_error}")
    app.exec()
    samples.append((tv.loss_plot.series.last_step, rss_mb()))
    if tv.last_error:
        raise RuntimeError(f"the window's run failed: {tv.last_error}")
    print(f"grids in memory at the end: {tv.grid_view.history.in_memory}", file=sys.stderr)
    window.close()
    return samples


def run_headless(args, root: str) -> list[tuple[int, float]]:
    from ganstudio.core.events import StepMetrics
    from ganstudio.core.trainer import Trainer

    step = [0]

    def emit(event) -> None:
        if type(event) is StepMetrics:
            step[0] = event.step

    trainer = Trainer(make_config(args), runs_root=root, emit=emit)
    result: list = []
    thread = threading.Thread(target=lambda: result.append(trainer.run()))
    thread.start()
    samples: list[tuple[int, float]] = []
    while thread.is_alive():
        samples.append((step[0], rss_mb()))
        thread.join(args.every)
    samples.append((step[0], rss_mb()))
    if type(result[0]).__name__ != "Finished":
        raise RuntimeError(f"the headless run failed: {result[0]}")
    return samples


def summary(samples: list[tuple[int, float]], warmup: int) -> dict:
    import numpy as np

    after = [(s, r) for s, r in samples if s >= warmup]
    if len(after) < 3:
        raise RuntimeError("too few RSS samples after warm-up; raise --steps")
    steps, rss = np.array(after, dtype=float).T
    slope = float(np.polyfit(steps / 1000.0, rss, 1)[0])
    return {"warm": rss[0], "end": rss[-1], "peak": max(r for _, r in samples), "slope": slope}


def child(args) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GANSTUDIO_HOME"] = tmp
        run = run_window if args.child == "window" else run_headless
        samples = run(args, str(Path(tmp) / "runs"))
    print("RSS " + json.dumps(summary(samples, args.warmup)), flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--warmup", type=int, default=2000, help="steps before the baseline")
    parser.add_argument("--sample-every", type=int, default=50)
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--every", type=float, default=3.0, help="seconds between RSS samples")
    parser.add_argument("--child", choices=("window", "headless"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    print(
        f"run: mlp on {args.dataset}, {args.steps} steps, a sample grid every "
        f"{args.sample_every}; warm-up {args.warmup} steps; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    figures = {}
    for mode in ("window", "headless"):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, *sys.argv[1:], "--child", mode],
            env=env,
            capture_output=True,
            text=True,
        )
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("RSS ")]
        if out.returncode or not lines:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"the {mode} run failed")
        figures[mode] = f = json.loads(lines[0][4:])
        print(
            f"{mode:8s}: RSS {f['warm']:.0f} MB after warm-up, {f['end']:.0f} MB at the end "
            f"(peak {f['peak']:.0f} MB), slope {f['slope']:+.2f} MB per 1000 steps "
            f"({time.perf_counter() - t0:.0f} s)"
        )
    w, h = figures["window"], figures["headless"]
    print(
        f"window / headless at the end: {w['end'] / h['end']:.2f}; slope difference "
        f"{w['slope'] - h['slope']:+.2f} MB per 1000 steps (goal: flat after warm-up)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
