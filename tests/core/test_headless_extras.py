"""TensorBoard files TensorBoard can read, and Ctrl-C in ``ganstudio train``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import tensorflow as tf

from ganstudio.core.checkpoints import checkpoint_path, latest_checkpoint
from ganstudio.core.rundir import RunDir, list_runs
from ganstudio.core.trainer import Trainer
from tests.conftest import ROOT
from tests.core.helpers import tiny_config


def test_tensorboard_event_files_hold_scalar_summaries(mnist_npz, tmp_path):
    final = Trainer(tiny_config(mnist_npz, "mlp", steps=3), runs_root=tmp_path).run()
    (events,) = RunDir(final.run_dir).tensorboard_dir.glob("events.out.tfevents.*")
    seen: dict[str, list[int]] = {}
    for raw in tf.data.TFRecordDataset(str(events)):
        event = tf.compat.v1.Event.FromString(raw.numpy())
        for value in event.summary.value:
            assert value.metadata.plugin_data.plugin_name == "scalars"
            assert tf.make_ndarray(value.tensor).shape == ()
            seen.setdefault(value.tag, []).append(event.step)
    assert seen["d_loss"] == [1, 2, 3] and seen["g_loss"] == [1, 2, 3]
    assert {"d_real", "d_fake", "steps_per_sec"} <= set(seen)


def test_ctrl_c_saves_a_checkpoint_and_exits_cleanly(mnist_npz, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ganstudio",
            "train",
            "--dataset",
            f"npz:{mnist_npz}",
            "--model",
            "mlp",
            "--steps",
            "1000000",
            "--limit",
            "512",
            "--batch-size",
            "16",
            "--log-every",
            "1",
            "--checkpoint-every",
            "100000",
            "--runs-root",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            runs = list_runs(tmp_path)
            if runs and RunDir(runs[0].path).read_metrics()[0]:
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "saving a checkpoint" in err and "stopped at step" in err and "Traceback" not in err
    run = RunDir(list_runs(tmp_path)[0].path)
    state = run.read_state()
    assert state["status"] == "stopped" and state["step"] > 0
    assert latest_checkpoint(run.checkpoints_dir) == checkpoint_path(
        run.checkpoints_dir, state["step"]
    )
