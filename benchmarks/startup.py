"""Start-up time: from launching ``python -m ganstudio`` to the window first on screen.

Each run starts the real program in a new process with ``QT_QPA_PLATFORM=offscreen`` and
``GANSTUDIO_EXIT_WHEN_SHOWN=1`` (the program prints when its window was first exposed and
painted, then quits). The baseline is the same measurement for a bare PySide6 program:
``import PySide6.QtWidgets`` and an empty ``QMainWindow``. Prints cold figures (the page
cache dropped first, where this process may: root on Linux) or the first run's, then
the warm medians, and the ratios window / baseline (goal: the window <= 1.5 s cold).

    python benchmarks/startup.py --runs 7
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BASELINE = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Shown(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed():
            obj.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False

def report():
    print("GANSTUDIO_SHOWN " + json.dumps({"shown_at": time.time()}), flush=True)
    app.quit()

app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("baseline")
w.resize(1200, 780)
w.winId()
shown = Shown()
w.windowHandle().installEventFilter(shown)
w.show()
app.exec()
"""


def drop_caches() -> bool:
    """Empty the page cache (needs root on Linux); False where that is not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_to_window(argv: list[str], env: dict) -> tuple[float, float]:
    """(seconds until the window was shown, seconds until the process ended)."""
    t0 = time.time()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    ended = time.time() - t0
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("GANSTUDIO_SHOWN ")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"{argv} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    report = json.loads(lines[0].split(" ", 1)[1])
    return report["shown_at"] - t0, ended


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs of each program")
    parser.add_argument("--no-cold", action="store_true", help="do not drop the page cache")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GANSTUDIO_EXIT_WHEN_SHOWN="1")
        env.update(GANSTUDIO_HOME=home, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="2")
        app = [sys.executable, "-m", "ganstudio"]
        base = [sys.executable, "-c", BASELINE]
        print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
        cold = not args.no_cold and drop_caches()
        label = "cold (page cache dropped)" if cold else "first run (page cache not dropped)"
        app_first, app_first_end = time_to_window(app, env)
        if cold:
            drop_caches()
        base_first, _ = time_to_window(base, env)
        print(
            f"{label}: window {app_first:.2f} s (process ended after {app_first_end:.2f} s), "
            f"baseline {base_first:.2f} s, ratio {app_first / base_first:.2f}"
        )
        warm_app, warm_base, ends = [], [], []
        for _ in range(args.runs):  # alternate, so a change in load hits both
            shown, ended = time_to_window(app, env)
            warm_app.append(shown)
            ends.append(ended)
            warm_base.append(time_to_window(base, env)[0])
        a, b = statistics.median(warm_app), statistics.median(warm_base)
        print(
            f"warm medians over {args.runs} runs: window {a:.2f} s "
            f"(min {min(warm_app):.2f}, max {max(warm_app):.2f}; process ended after "
            f"{statistics.median(ends):.2f} s), baseline {b:.2f} s, ratio {a / b:.2f}"
        )
        print(f"goal: window <= 1.5 s cold; load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
