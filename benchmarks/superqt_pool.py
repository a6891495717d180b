"""Why the window's jobs do not run on superqt's ``create_worker``: a measurement.

superqt's workers are QRunnables on ``QThreadPool.globalInstance()``, whose size is the
number of cores. With two long jobs running (a training run and the engine probe import,
say), a third, short job waits for one of them to end. Prints the pool size and how long
the short job waited with ``--long N`` long jobs of ``--hold`` seconds each; the same
three jobs on three :class:`~ganstudio.qt.common.jobs.JobRunner` s start at once.

    QT_QPA_PLATFORM=offscreen python benchmarks/superqt_pool.py [--long 2] [--hold 2]
"""

from __future__ import annotations

import argparse
import time

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from superqt.utils import create_worker

import ganstudio.qt  # noqa: F401  (QT_API for qtpy)
from ganstudio.qt.common.jobs import JobRunner, shutdown_all


def short_job_wait(start_long, start_short, app, hold: float, n_long: int) -> float:
    """Seconds from asking for the short job until it began."""
    began: list[float] = []
    for _ in range(n_long):
        start_long(lambda: time.sleep(hold))
    time.sleep(0.2)  # the long jobs are running
    asked = time.perf_counter()
    start_short(lambda: began.append(time.perf_counter()))
    while not began:
        app.processEvents()
        time.sleep(0.005)
    return began[0] - asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=int, default=QThreadPool.globalInstance().maxThreadCount())
    parser.add_argument("--hold", type=float, default=2.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    keep: list = []

    def superqt_start(fn) -> None:
        worker = create_worker(fn, _start_thread=False)
        keep.append(worker)
        QThreadPool.globalInstance().start(worker)  # what worker.start() does, at once

    def runner_start(fn) -> None:
        runner = JobRunner(f"bench-{len(keep)}")
        keep.append(runner)
        runner.submit("job", fn)

    pool = QThreadPool.globalInstance().maxThreadCount()
    waited = short_job_wait(superqt_start, superqt_start, app, args.hold, args.long)
    QThreadPool.globalInstance().waitForDone()
    print(f"global thread pool: {pool} threads; {args.long} long jobs of {args.hold:.1f} s")
    print(f"superqt create_worker: the short job waited {waited * 1000:.0f} ms")
    waited = short_job_wait(runner_start, runner_start, app, args.hold, args.long)
    print(f"one JobRunner per owner: the short job waited {waited * 1000:.0f} ms")
    assert shutdown_all(int(1000 * (args.hold + 5)))


if __name__ == "__main__":
    main()
