"""GUI overhead: the same training run headless and in the window.

Prints
* steps/s headless and in the window (after warm-up), and their ratio (target >= 0.95);
* the GUI thread's event-loop lateness while the window trains: a 10 ms precise QTimer's
  extra delay, p50 / p99 / max after warm-up (targets: p99 <= 16 ms, max <= 100 ms).

Both runs record step times with the same tiny wrapper around the Trainer's ``emit``
(on the training thread), so the two rates are measured the same way. Each measurement
runs in its own process (headless, window, headless; the mean of the headless ones is
the baseline) after a short warm-up run of the same kind, so TensorFlow starts its
threads as it does in the app: from the window's training thread, at its priority.
``--load N`` starts N busy processes (default: one per core) for the measured runs, as on
a machine doing other work; ``--load 0`` measures an otherwise idle machine.
``--trace-stalls FILE`` writes every thread's Python stack to FILE whenever the GUI
thread has not ticked for 60 ms (faulthandler's watchdog, which needs no GIL): where the
window was stuck, and which thread held it.

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_overhead.py --steps 600 --load 0
    QT_QPA_PLATFORM=offscreen python benchmarks/gui_overhead.py --steps 600
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganstudio.core.config import TrainConfig
from ganstudio.core.events import StepMetrics

STALL_MS = 60  # --trace-stalls: a GUI thread this late gets its stack written


class StepClock:
    """Records (step, time) of every StepMetrics on the training thread."""

    def __init__(self) -> None:
        self.times: list[tuple[int, float]] = []

    def wrap(self, emit):
        def recording_emit(event):
            if type(event) is StepMetrics:
                self.times.append((event.step, time.perf_counter()))
            emit(event)

        return recording_emit

    def rate(self, warmup: int) -> float:
        pts = [(s, t) for s, t in self.times if s >= warmup]
        if len(pts) < 2:
            raise RuntimeError("too few steps after warm-up; raise --steps")
        (s0, t0), (s1, t1) = pts[0], pts[-1]
        return (s1 - s0) / (t1 - t0)


def make_config(args, runs_root: str) -> TrainConfig:
    cfg = TrainConfig(
        dataset=args.dataset,
        model=args.model,
        steps=args.steps,
        batch_size=args.batch,
        sample_every=args.sample_every,
        checkpoint_every=args.steps,
        log_every=1,
        dataset_limit=args.limit,
        seed=0,
    )
    return cfg.with_model_defaults().validate()


def headless(args, runs_root: str) -> float:
    from ganstudio.core.trainer import Trainer

    clock = StepClock()
    config = make_config(args, runs_root)
    trainer = Trainer(config, runs_root=runs_root, emit=clock.wrap(lambda e: None))
    result = trainer.run()
    if type(result).__name__ != "Finished":
        raise RuntimeError(f"headless run failed: {result}")
    return clock.rate(args.warmup)


def windowed(args, runs_root: str) -> tuple[float, np.ndarray, int]:
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from ganstudio.core.trainer import Trainer
    from ganstudio.qt.common.collector import GuiThreadCollector
    from ganstudio.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    collector = GuiThreadCollector(app)  # as run_app: cyclic garbage is collected here
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    tv = window.train_view
    clock = StepClock()

    def factory(config, **kwargs):
        kwargs["emit"] = clock.wrap(kwargs["emit"])
        return Trainer(config, **kwargs)

    tv.trainer_factory = factory
    tv.runs_root = runs_root
    tv.panel.set_config(make_config(args, runs_root))
    lateness: list[float] = []
    elapsed = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    state = {"last": None}
    trace = open(args.trace_stalls, "a") if args.trace_stalls else None  # noqa: SIM115

    def tick() -> None:
        now = elapsed.nsecsElapsed() / 1e6
        last, state["last"] = state["last"], now
        warmed = clock.times and clock.times[-1][0] >= args.warmup
        if last is not None and warmed and tv.running:
            lateness.append(max(0.0, now - last - 10.0))
            if trace is not None:
                if now - last - 10.0 > STALL_MS:
                    trace.write(
                        f"--- the stall above: {now - last - 10:.0f} ms, step "
                        f"{clock.times[-1][0]}\n"
                    )
                faulthandler.dump_traceback_later(STALL_MS / 1000, file=trace)

    timer.timeout.connect(tick)
    elapsed.start()
    timer.start()
    samples = []
    tv.sample_received.connect(samples.append)
    tv.state_changed.connect(lambda: None if tv.running else app.quit())
    if not tv.start():
        raise RuntimeError(f"window refused to start: {tv.last_error}")
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    app.exec()
    cpu, wall = time.thread_time() - cpu0, time.perf_counter() - wall0
    timer.stop()
    collector.stop()
    if trace is not None:
        faulthandler.cancel_dump_traceback_later()
        trace.close()
    if tv.last_error:
        raise RuntimeError(f"window run failed: {tv.last_error}")
    window.close()
    return clock.rate(args.warmup), np.asarray(lateness), len(samples), cpu / wall


@contextlib.contextmanager
def busy_processes(n: int):
    """``n`` processes that spin on a CPU each while the block runs."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def child(args) -> dict:
    """One measurement (run in its own process): a warm-up run, then the measured one."""
    from ganstudio.qt.common import engine_threads

    if args.nice is not None:
        engine_threads.TRAINING_NICENESS = args.nice
    engine_threads.configure_tf_threads()  # as the window does
    warm = argparse.Namespace(**{**vars(args), "steps": args.warmup + 40})
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GANSTUDIO_HOME"] = tmp
        if args.child == "headless":
            headless(warm, str(Path(tmp) / "warm-up"))  # traces and caches, as the window's
            return {"rate": headless(args, str(Path(tmp) / "run"))}
        windowed(warm, str(Path(tmp) / "warm-up"))  # TensorFlow's threads start here
        rate, late, n_samples, gui_cpu = windowed(args, str(Path(tmp) / "run"))
    p50, p99 = np.percentile(late, [50, 99]) if len(late) else (0.0, 0.0)
    top = float(late.max()) if len(late) else 0.0
    return {
        "rate": rate,
        "n_samples": n_samples,
        "gui_cpu": gui_cpu,
        "ticks": len(late),
        "p50": float(p50),
        "p99": float(p99),
        "max": top,
    }


def measure(mode: str, argv: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *argv, "--child", mode], capture_output=True, text=True
    )
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    if out.returncode or not lines:
        print(out.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"the {mode} measurement failed")
    return json.loads(lines[0][len("RESULT ") :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--model", default="dcgan")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=100, help="steps ignored at the start")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--limit", type=int, default=4096, help="dataset examples")
    parser.add_argument("--sample-every", type=int, default=50)
    parser.add_argument(
        "--load",
        type=int,
        default=os.cpu_count() or 1,
        help="busy processes running alongside the measured runs (default: one per core)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=None,
        help="added to the window's training thread's nice value (default: the window's)",
    )
    parser.add_argument(
        "--trace-stalls",
        metavar="FILE",
        help=f"append every thread's stack to FILE when the GUI thread is {STALL_MS} ms late",
    )
    parser.add_argument("--child", choices=("headless", "window"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.child:
        print("RESULT " + json.dumps(child(args)), flush=True)
        return 0
    from ganstudio.qt.common import engine_threads

    nice = engine_threads.TRAINING_NICENESS if args.nice is None else args.nice
    print(
        f"run: {args.model} on {args.dataset}, {args.steps} steps, batch {args.batch}, "
        f"warm-up {args.warmup} steps; {args.load} busy processes on {os.cpu_count()} CPUs; "
        "TensorFlow threads (intra-op, inter-op) {}, {}; ".format(
            *engine_threads.tf_thread_counts()
        )
        + f"window training thread nice +{nice}"
    )
    rates = []
    with busy_processes(args.load):
        for mode in ("headless", "window", "headless"):
            print(f"load average {os.getloadavg()[0]:.1f}")
            result = measure(mode, sys.argv[1:])
            if mode == "headless":
                rates.append(result["rate"])
                print(f"headless: {result['rate']:.2f} steps/s")
            else:
                w = result
                print(
                    f"window:   {w['rate']:.2f} steps/s ({w['n_samples']} sample grids shown; "
                    f"GUI thread CPU {100 * w['gui_cpu']:.0f}%)"
                )
    h = sum(rates) / len(rates)
    print(f"ratio window/headless: {w['rate'] / h:.3f}   (target >= 0.95)")
    print(
        f"event-loop lateness of a 10 ms timer over {w['ticks']} ticks: p50 {w['p50']:.1f} ms, "
        f"p99 {w['p99']:.1f} ms, max {w['max']:.1f} ms (targets: p99 <= 16 ms, max <= 100 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
