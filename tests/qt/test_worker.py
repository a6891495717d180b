"""TrainingController: one event signal in order, coalescing, control, errors, threads."""

from __future__ import annotations

from ganstudio.core.config import TrainConfig
from ganstudio.core.events import Failed, Finished, Paused, Resumed, Started
from ganstudio.qt.train.worker import LiveSample, MetricsBatch, TrainingController
from tests.qt.scripted_trainer import factory


def controller(qtbot, steps=20, sample_every=10, **options) -> TrainingController:
    cfg = TrainConfig(model="mlp", steps=steps, sample_every=sample_every)
    return TrainingController(cfg, trainer_factory=factory(**options))


def recorded(c: TrainingController) -> list:
    """Every event ``c`` delivers, in the GUI thread, in order."""
    events: list = []
    c.event.connect(events.append)
    return events


def of_type(kind: type):
    """A ``waitSignal`` check: the event is a ``kind``."""
    return lambda event: isinstance(event, kind)


def test_events_arrive_in_order_on_one_signal(qtbot):
    c = controller(qtbot, steps=10, sample_every=10)
    events = recorded(c)
    with qtbot.waitSignal(c.ended, timeout=20000):
        c.start()
    kinds = [type(e) for e in events]
    assert kinds[0] is Started and kinds[-1] is Finished
    assert kinds.index(MetricsBatch) < kinds.index(LiveSample) < kinds.index(Finished)
    assert kinds.count(Finished) == 1 and Failed not in kinds
    assert not c.running and not c.jobs.thread_running()


def test_metrics_are_coalesced(qtbot):
    c = controller(qtbot, steps=20000, sample_every=100000)
    events = recorded(c)
    with qtbot.waitSignal(c.ended, timeout=60000):
        c.start()
    batches = [e for e in events if isinstance(e, MetricsBatch)]
    steps = [m.step for batch in batches for m in batch.events]
    assert steps == list(range(1, 20001))  # nothing lost, in order
    assert len(batches) < 2000  # far fewer signals than steps


def test_pause_step_resume_stop(qtbot):
    c = controller(qtbot, steps=100000, step_time=0.001)
    events = recorded(c)

    def steps_seen() -> list[int]:
        return [m.step for e in events if isinstance(e, MetricsBatch) for m in e.events]

    with qtbot.waitSignal(c.event, check_params_cb=of_type(Started), timeout=10000):
        c.start()
    with qtbot.waitSignal(c.event, check_params_cb=of_type(Paused), timeout=5000) as paused:
        c.pause()
    at = paused.args[0].step
    assert max(steps_seen(), default=0) == at  # metrics are flushed before Paused

    def paused_at(step: int):
        return lambda e: isinstance(e, Paused) and e.step == step

    # one step, then the trainer parks again: its Paused comes after that step's metrics
    with qtbot.waitSignal(c.event, check_params_cb=paused_at(at + 1), timeout=5000):
        c.step_once()
    assert max(steps_seen()) == at + 1  # exactly one step
    stepped = at + 1
    with qtbot.waitSignal(c.event, check_params_cb=of_type(Resumed), timeout=5000):
        c.resume()
    qtbot.waitUntil(lambda: max(steps_seen()) > stepped + 5, timeout=5000)
    with qtbot.waitSignal(c.ended, timeout=10000):
        c.stop()
    ends = [e for e in events if isinstance(e, (Finished, Failed))]
    assert len(ends) == 1 and ends[0].reason == "stopped"


def test_engine_failure_is_relayed(qtbot):
    c = controller(qtbot, steps=50, fail_at=7)
    events = recorded(c)
    with qtbot.waitSignal(c.ended, timeout=10000):
        c.start()
    failed = events[-1]
    assert isinstance(failed, Failed)
    assert "NaN" in failed.message and failed.step == 7
    assert sum(isinstance(e, (Failed, Finished)) for e in events) == 1


def test_exception_while_building_becomes_failed(qtbot):
    def broken(config, **kwargs):
        raise FileNotFoundError("no such dataset: /nowhere.npz")

    c = TrainingController(TrainConfig(model="mlp"), trainer_factory=broken)
    events = recorded(c)
    with qtbot.waitSignal(c.ended, timeout=10000):
        c.start()
    assert len(events) == 1
    failed = events[0]
    assert failed.error_type == "FileNotFoundError" and "/nowhere.npz" in failed.message


def test_shutdown_stops_and_waits(qtbot):
    c = controller(qtbot, steps=10**7, step_time=0.001)
    with qtbot.waitSignal(c.event, check_params_cb=of_type(Started), timeout=10000):
        c.start()
    assert c.shutdown(10000)
    assert not c.running and not c.jobs.thread_running()


def test_shutdown_all_stops_a_run_without_being_told_about_it(qtbot):
    from ganstudio.qt.common.jobs import live_runners, shutdown_all

    c = controller(qtbot, steps=10**7, step_time=0.001)
    with qtbot.waitSignal(c.event, check_params_cb=of_type(Started), timeout=10000):
        c.start()
    assert c.jobs in live_runners()
    assert shutdown_all(10000)
    assert not c.jobs.thread_running() and c.control.stop_requested
    assert c.jobs not in live_runners()


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
        c = TrainingController(TrainConfig(model="mlp", steps=3), trainer_factory=recording)
        with qtbot.waitSignal(c.ended, timeout=10000):
            c.start()
    assert seen == [gui, min(gui + 3, 19)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui  # GUI untouched
    assert tf_thread_counts(2) == (2, 1) and tf_thread_counts(8) == (7, 1)
