"""TrainingSession / TrainingWorker: signal order, coalescing, control, errors, threads."""

from __future__ import annotations

from ganstudio.core.config import TrainConfig
from ganstudio.qt.train.worker import TrainingSession
from tests.qt.scripted_trainer import factory


def session(qtbot, steps=20, sample_every=10, **options) -> TrainingSession:
    cfg = TrainConfig(model="mlp", steps=steps, sample_every=sample_every)
    s = TrainingSession(cfg, trainer_factory=factory(**options))
    return s


def test_signals_arrive_in_order(qtbot):
    s = session(qtbot, steps=10, sample_every=10)
    with qtbot.waitSignals(
        [s.started, s.metrics, s.sample, s.finished, s.ended], order="strict", timeout=20000
    ):
        s.start()
    assert not s.running


def test_metrics_are_coalesced(qtbot):
    s = session(qtbot, steps=20000, sample_every=100000)
    batches: list[list] = []
    s.metrics.connect(batches.append)
    with qtbot.waitSignal(s.ended, timeout=60000):
        s.start()
    steps = [m.step for batch in batches for m in batch]
    assert steps == list(range(1, 20001))  # nothing lost, in order
    assert len(batches) < 2000  # far fewer signals than steps


def test_pause_step_resume_stop(qtbot):
    s = session(qtbot, steps=100000, step_time=0.001)
    seen: list[int] = []
    s.metrics.connect(lambda b: seen.extend(m.step for m in b))
    with qtbot.waitSignal(s.started, timeout=10000):
        s.start()
    with qtbot.waitSignal(s.paused, timeout=5000) as paused:
        s.pause()
    at = paused.args[0]
    qtbot.wait(200)
    assert max(seen, default=0) <= at + 1
    s.step_once()
    qtbot.waitUntil(lambda: max(seen, default=0) >= at + 1, timeout=5000)
    qtbot.wait(200)
    assert max(seen) == at + 1  # exactly one step
    with qtbot.waitSignal(s.resumed, timeout=5000):
        s.resume()
    qtbot.waitUntil(lambda: max(seen) > at + 5, timeout=5000)
    ends = []
    s.finished.connect(ends.append)
    with qtbot.waitSignals([s.finished, s.ended], order="strict", timeout=10000):
        s.stop()
    assert ends[0].reason == "stopped"


def test_engine_failure_is_relayed(qtbot):
    s = session(qtbot, steps=50, fail_at=7)
    errors = []
    s.failed.connect(errors.append)
    with qtbot.waitSignals([s.failed, s.ended], order="strict", timeout=10000):
        s.start()
    failed = errors[0]
    assert "NaN" in failed.message and failed.step == 7


def test_exception_while_building_becomes_failed(qtbot):
    def broken(config, **kwargs):
        raise FileNotFoundError("no such dataset: /nowhere.npz")

    s = TrainingSession(TrainConfig(model="mlp"), trainer_factory=broken)
    errors = []
    s.failed.connect(errors.append)
    with qtbot.waitSignals([s.failed, s.ended], order="strict", timeout=10000):
        s.start()
    failed = errors[0]
    assert failed.error_type == "FileNotFoundError" and "/nowhere.npz" in failed.message


def test_shutdown_stops_and_waits(qtbot):
    s = session(qtbot, steps=10**7, step_time=0.001)
    with qtbot.waitSignal(s.started, timeout=10000):
        s.start()
    assert s.shutdown(10000)
    assert not s.running


def test_training_thread_priority_follows_the_setting(qtbot, monkeypatch):
    """The training thread runs ``TRAINING_NICENESS`` above the GUI thread: 0 by default
    (a lowered priority made the window less smooth, see engine_threads), and a chosen
    value (``benchmarks/gui_overhead.py --nice N``) is applied to that thread only."""
    import os
    import threading

    from ganstudio.qt.common import engine_threads
    from ganstudio.qt.common.engine_threads import tf_thread_counts

    seen: list[int] = []

    def recording(config, **kwargs):
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return factory()(config, **kwargs)

    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    for niceness in (engine_threads.TRAINING_NICENESS, 3):
        monkeypatch.setattr(engine_threads, "TRAINING_NICENESS", niceness)
        s = TrainingSession(TrainConfig(model="mlp", steps=3), trainer_factory=recording)
        with qtbot.waitSignal(s.ended, timeout=10000):
            s.start()
    assert seen == [gui, min(gui + 3, 19)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui  # GUI untouched
    assert tf_thread_counts(2) == (2, 1) and tf_thread_counts(8) == (7, 1)
