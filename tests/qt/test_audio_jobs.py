"""The audio widgets' background job runner: newest request wins, errors arrive as text,
results arrive in the GUI thread, and shutdown leaves no thread running."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtCore import QThread

from ganstudio.qt.common.jobs import JobRunner


def slow_square(
    x: int, gate: threading.Event | None = None, started: threading.Event | None = None
) -> int:
    if started is not None:
        started.set()
    if gate is not None:
        gate.wait(10)
    return x * x


def test_newest_waiting_job_of_a_lane_wins(qtbot):
    runner = JobRunner("test")
    done: list[tuple[str, object]] = []
    threads: set = set()
    runner.done.connect(
        lambda _t, lane, result: (done.append((lane, result)), threads.add(QThread.currentThread()))
    )
    gate, started = threading.Event(), threading.Event()
    try:
        runner.submit("show", slow_square, 1, gate, started)  # runs, blocks on the gate
        assert started.wait(10)
        for x in (2, 3, 4):
            runner.submit("show", slow_square, x)  # each replaces the waiting one
        other = runner.submit("scan", slow_square, 10)
        gate.set()
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=10000)
        assert done == [("show", 16), ("scan", 100)]  # 1 was stale when it ended; 2, 3 dropped
        assert runner.is_current(other, "scan")
        assert threads == {QThread.currentThread()}  # delivered in the GUI thread
    finally:
        assert runner.shutdown()


def test_errors_arrive_as_readable_text_and_the_thread_keeps_serving(qtbot):
    runner = JobRunner("test")

    def bad_value() -> None:
        raise ValueError("kick.wav: the file is empty (0 bytes)")

    def bug() -> None:
        raise KeyError("mel_mean")

    try:
        with qtbot.waitSignal(runner.failed, timeout=10000) as blocker:
            runner.submit("a", bad_value)
        assert blocker.args[1:] == ["a", "kick.wav: the file is empty (0 bytes)"]
        with qtbot.waitSignal(runner.failed, timeout=10000) as blocker:
            runner.submit("b", bug)
        assert blocker.args[2] == "KeyError: 'mel_mean'"
        with qtbot.waitSignal(runner.done, timeout=10000) as blocker:
            runner.submit("c", np.arange, 4)
        assert blocker.args[2].tolist() == [0, 1, 2, 3]
    finally:
        runner.shutdown()


def test_progress_and_cancel(qtbot):
    runner = JobRunner("test")

    def counting(n: int, progress) -> int:
        for i in range(n):
            progress((i + 1, n))
        return n

    seen: list = []
    runner.progress.connect(lambda _t, _l, value: seen.append(value))
    try:
        with qtbot.waitSignal(runner.done, timeout=10000):
            runner.submit("batch", counting, 3, with_progress=True)
        assert seen == [(1, 3), (2, 3), (3, 3)]  # progress is queued before the result
        results: list = []
        runner.done.connect(lambda _t, lane, r: results.append(r))
        gate = threading.Event()
        runner.submit("x", slow_square, 5, gate)
        runner.cancel("x")
        gate.set()
        with qtbot.waitSignal(runner.done, timeout=10000):  # runs after x, on the same thread
            runner.submit("y", slow_square, 6)
        assert results == [36]  # a cancelled job's result is ignored
    finally:
        runner.shutdown()


def test_shutdown_waits_for_the_running_job_and_refuses_new_ones(qtbot):
    runner = JobRunner("test")
    gate, running, finished = threading.Event(), threading.Event(), threading.Event()

    def slow() -> int:
        running.set()
        gate.wait(10)
        finished.set()
        return 4

    runner.submit("a", slow)
    assert running.wait(10)
    threading.Timer(0.2, gate.set).start()
    assert runner.shutdown(10000)
    assert finished.is_set()  # it returned only once the running job had ended
    assert not runner.thread_running()
    assert runner.shutdown()  # twice is fine
    try:
        runner.submit("a", slow_square, 3)
    except RuntimeError as exc:
        assert "shut down" in str(exc)
    else:
        raise AssertionError("a shut-down runner accepted a job")


def test_cancel_and_shutdown_ask_the_running_job_to_stop(qtbot):
    """The one way to stop: the running job's ``stop`` event is set (and ``on_stop``
    called); a job that checks it ends, so a shutdown within a second is enough."""
    from ganstudio.qt.common.jobs import live_runners, shutdown_all

    runner = JobRunner("test")
    running = threading.Event()
    hooks: list[str] = []

    def until_stopped(name: str, stop: threading.Event) -> str:
        running.set()
        assert stop.wait(30), "never asked to stop"
        return name

    results: list = []
    runner.done.connect(lambda _t, _lane, r: results.append(r))
    try:
        runner.submit("a", until_stopped, "a", with_stop=True, on_stop=lambda: hooks.append("a"))
        assert running.wait(10)
        running.clear()
        runner.cancel("a")
        with qtbot.waitSignal(runner.done, timeout=10000):  # the next job runs, so a ended
            runner.submit("b", slow_square, 3)
        assert hooks == ["a"] and results == [9]
        runner.submit("c", until_stopped, "c", with_stop=True)
        assert running.wait(10)
        assert runner in live_runners()
        assert shutdown_all(1000)  # asks every runner's running job to stop
        assert runner not in live_runners() and not runner.thread_running()
    finally:
        runner.shutdown()
