"""Pause, resume, stop, single steps, divergence and exact resumption."""

from __future__ import annotations

import threading
import time

import numpy as np

from ganstudio.core import checkpoints as ck
from ganstudio.core.checkpoints import latest_checkpoint
from ganstudio.core.control import RunControl
from ganstudio.core.rundir import RunDir, training_records
from ganstudio.core.session import TrainingSession
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, tiny_config


def wait_until(condition, deadline_s: float = 120.0) -> None:
    """Poll ``condition`` until it holds; a generous deadline guards against a hang."""
    deadline = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.005)


def test_stop_saves_a_checkpoint_and_reports_stopped(mnist_npz, tmp_path):
    control = RunControl()
    rec = Recorder(
        lambda e: control.stop() if type(e).__name__ == "StepMetrics" and e.step == 3 else None
    )
    config = tiny_config(mnist_npz, "mlp", steps=50, checkpoint_every=100)
    final = Trainer(config, runs_root=tmp_path, emit=rec, control=control).run()
    assert (type(final).__name__, final.reason, final.step) == ("Finished", "stopped", 3)
    run = RunDir(final.run_dir)
    assert latest_checkpoint(run.checkpoints_dir) == ck.checkpoint_path(run.checkpoints_dir, 3)
    assert run.read_state()["status"] == "stopped"
    assert (run.generator_dir / "generator.keras").is_file()


def test_pause_is_answered_at_the_next_step_and_resume_continues(mnist_npz, tmp_path):
    control = RunControl()
    rec = Recorder()
    config = tiny_config(mnist_npz, "mlp", steps=400, checkpoint_every=1000, sample_every=1000)
    trainer = Trainer(config, runs_root=tmp_path, emit=rec, control=control)
    thread = threading.Thread(target=trainer.run)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not rec.of("StepMetrics") and time.monotonic() < deadline:
            time.sleep(0.01)
        asked = time.monotonic()
        before = trainer.step
        control.pause()
        after = trainer.step
        while not rec.of("Paused") and time.monotonic() < asked + 60:
            time.sleep(0.005)
        assert rec.of("Paused"), "pause was not answered"
        paused_at = rec.of("Paused")[0].step
        # answered at the next step boundary (the step running when asked may finish)
        assert before <= paused_at <= after + 1
        wait_until(lambda: control.parked)  # the loop waits in the gate: no step can run
        assert trainer.step == paused_at  # really parked
        assert RunDir(trainer.run_dir).read_state()["status"] == "paused"

        control.step_once()  # one step, then parked again
        wait_until(lambda: trainer.step > paused_at and control.parked)
        assert trainer.step == paused_at + 1
        assert rec.of("StepMetrics")[-1].step == paused_at + 1  # single steps always report

        control.resume()
        deadline = time.monotonic() + 60
        while not rec.of("Resumed") and time.monotonic() < deadline:
            time.sleep(0.005)
        assert rec.of("Resumed")
    finally:
        control.stop()
        thread.join(60)
    assert not thread.is_alive()
    assert rec.of("Finished")[0].reason == "stopped"


def test_non_finite_loss_stops_the_run_with_a_clear_message(mnist_npz, tmp_path, monkeypatch):
    real_step = TrainingSession.train_step
    calls = {"n": 0}

    def poisoned(self):
        logs = real_step(self)
        calls["n"] += 1
        if calls["n"] == 3:
            logs = dict(logs, d_loss=float("nan"))
        return logs

    monkeypatch.setattr(TrainingSession, "train_step", poisoned)
    rec = Recorder()
    config = tiny_config(mnist_npz, "mlp", steps=10)
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert type(final).__name__ == "Failed"
    assert "diverged at step 3" in final.message and "d_loss" in final.message
    run = RunDir(final.run_dir)
    assert run.read_state()["status"] == "failed"
    # the checkpoint from before the bad step is intact
    assert latest_checkpoint(run.checkpoints_dir) == ck.checkpoint_path(run.checkpoints_dir, 2)


def test_resume_continues_from_saved_step_weights_and_optimizer_state(mnist_npz, tmp_path):
    control = RunControl()
    rec = Recorder(
        lambda e: control.stop() if type(e).__name__ == "CheckpointSaved" and e.step == 4 else None
    )
    config = tiny_config(mnist_npz, "dcgan", steps=8, checkpoint_every=4, sample_every=4)
    first = Trainer(config, runs_root=tmp_path, emit=rec, control=control).run()
    assert (first.reason, first.step) == ("stopped", 4)
    run = RunDir(first.run_dir)
    saved = ck.read_checkpoint(ck.checkpoint_path(run.checkpoints_dir, 4))

    # What a resumed session holds before its first step is exactly the checkpoint.
    session = TrainingSession(run.read_config(), run)
    assert session.setup(resume=True) == 4
    gan = session.gan
    assert int(gan.g_optimizer.iterations.numpy()) == 4
    assert int(gan.d_optimizer.iterations.numpy()) == 4
    for group, variables in (
        (ck.GENERATOR, gan.generator.weights),
        (ck.D_OPT, gan.d_optimizer.variables),
    ):
        for i, var in enumerate(variables):
            np.testing.assert_array_equal(var.numpy(), saved[ck.variable_key(group, i)])
    np.testing.assert_array_equal(session.fixed_noise, saved[ck.extra_key(ck.FIXED_NOISE)])
    session.close()

    rec2 = Recorder()
    second = Trainer(run_dir=run.path, resume=True, emit=rec2).run()
    assert (second.reason, second.step) == ("completed", 8)
    assert rec2.of("Started")[0].step == 4
    assert [m.step for m in rec2.of("StepMetrics")] == [5, 6, 7, 8]
    records = training_records(run.read_metrics()[0])
    assert [r["step"] for r in records] == list(range(1, 9))
    assert run.read_state()["status"] == "completed"
