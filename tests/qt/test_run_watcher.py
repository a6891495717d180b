"""Following a run folder from disk while the real engine stops, fails and resumes it."""

from __future__ import annotations

import math

from ganstudio.core.control import RunControl
from ganstudio.core.rundir import RunDir, training_records
from ganstudio.core.session import TrainingSession
from ganstudio.core.trainer import Trainer
from ganstudio.core.training_curves import MetricSeries
from ganstudio.qt.train.runs import RunWatcher, read_run
from tests.core.helpers import Recorder, tiny_config

TIMEOUT = 180_000  # ms


def test_watched_run_stopped_failed_and_resumed_keeps_one_continuous_curve(
    qtbot, mnist_npz, tmp_path, monkeypatch
):
    real_step = TrainingSession.train_step
    poison = {"at": 0, "calls": 0}

    def maybe_poisoned(self):
        logs = real_step(self)
        poison["calls"] += 1
        if poison["calls"] == poison["at"]:
            logs = dict(logs, d_loss=math.nan)  # the run dies between two checkpoints
        return logs

    monkeypatch.setattr(TrainingSession, "train_step", maybe_poisoned)
    run_dir = tmp_path / "run"
    config = tiny_config(
        mnist_npz, "mlp", steps=100, checkpoint_every=4, sample_every=100, tensorboard=False
    )
    control = RunControl()
    stop_at_6 = Recorder(
        lambda e: control.stop() if type(e).__name__ == "StepMetrics" and e.step == 6 else None
    )
    first = Trainer(config, run_dir=run_dir, emit=stop_at_6, control=control).run()
    assert (first.reason, first.step) == ("stopped", 6)  # with a checkpoint at 6

    snap = read_run(run_dir)
    series = MetricSeries()
    series.extend(snap.metrics)
    watcher = RunWatcher(run_dir, offset=snap.metrics_offset, interval_ms=20)
    resets: list[bool] = []
    watcher.metrics.connect(series.extend)
    watcher.metrics_reset.connect(lambda: resets.append(True))
    watcher.start()
    try:
        poison.update(at=5, calls=0)  # steps 7..10 logged, step 11 diverges; checkpoint at 8
        second = Trainer(run_dir=run_dir, resume=True).run()
        assert type(second).__name__ == "Failed" and second.step == 11
        qtbot.waitUntil(lambda: series.last_step == 10, timeout=TIMEOUT)
        before = RunDir(run_dir).metrics_path.read_bytes()

        poison.update(at=0)
        config.steps = 14
        third = Trainer(config, run_dir=run_dir, resume=True).run()  # from the checkpoint at 8
        assert (third.reason, third.step) == ("completed", 14)
        qtbot.waitUntil(lambda: series.last_step == 14, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: watcher._state.get("status") == "completed", timeout=TIMEOUT)
    finally:
        watcher.stop()
    steps, curves = series.arrays()
    assert steps.tolist() == list(range(1, 15))  # continuous: nothing lost, nothing twice
    assert all(math.isfinite(v) for v in curves["d_loss"])
    assert not resets
    after = RunDir(run_dir).metrics_path.read_bytes()
    assert after.startswith(before)  # the log only grew: a reader's offset stays valid
    # A reader opening the finished run sees the same curve.
    records = training_records(read_run(run_dir).metrics)
    assert [r["step"] for r in records] == list(range(1, 15))


def test_watcher_starts_over_when_the_log_shrinks(qtbot, tmp_path):
    run = RunDir(tmp_path / "run")
    run.prepare()
    run.config_path.write_text("{}")
    run.metrics_path.write_text("".join(f'{{"step": {s}, "d_loss": 1.0}}\n' for s in range(1, 6)))
    series = MetricSeries()
    watcher = RunWatcher(run.path, interval_ms=20)
    watcher.metrics.connect(series.extend)
    watcher.metrics_reset.connect(series.clear)
    watcher.start()
    try:
        qtbot.waitUntil(lambda: series.last_step == 5, timeout=10_000)
        run.metrics_path.write_text('{"step": 1, "d_loss": 2.0}\n')  # rewritten by someone
        with qtbot.waitSignal(watcher.metrics_reset, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: len(series) == 1, timeout=10_000)
    finally:
        watcher.stop()
    assert series.arrays()[1]["d_loss"].tolist() == [2.0]
