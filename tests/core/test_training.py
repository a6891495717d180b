"""Each model trains on real MNIST and leaves a complete run folder."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from ganstudio.core import checkpoints as ck
from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.rundir import RunDir, list_runs, training_records
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, tiny_config


@pytest.mark.parametrize("model", ["mlp", "dcgan", "wgan-gp", "cgan"])
def test_model_trains_with_finite_losses_and_writes_run_folder(model, mnist_npz, tmp_path):
    config = tiny_config(mnist_npz, model)
    rec = Recorder()
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    assert final.reason == "completed" and final.step == 4

    names = [type(e).__name__ for e in rec.events]
    assert names[0] == "Started" and names[-1] == "Finished"
    metrics = rec.of("StepMetrics")
    assert [m.step for m in metrics] == [1, 2, 3, 4]
    for m in metrics:
        assert all(math.isfinite(v) for v in (m.d_loss, m.g_loss, m.d_real, m.d_fake))
    if model == "wgan-gp":
        assert metrics[-1].extra["gp"] >= 0

    run = RunDir(final.run_dir)
    assert run.read_config().model == model
    state = run.read_state()
    assert (state["status"], state["step"], state["total_steps"]) == ("completed", 4, 4)
    records = training_records(run.read_metrics()[0])
    assert [r["step"] for r in records] == [1, 2, 3, 4]
    assert run.sample_steps() == [2, 4]
    grid = run.load_samples(4)
    assert grid.shape == (16, 28, 28, 1) and grid.min() >= 0.0 and grid.max() <= 1.0
    assert run.sample_path(4, "png").stat().st_size > 0
    assert ck.best_weights_path(run.checkpoints_dir).is_file()  # the best by the quality metric
    assert ck.checkpoint_steps(run.checkpoints_dir) == [2, 4]
    assert list(run.tensorboard_dir.glob("events.out.tfevents.*"))

    info = json.loads((run.generator_dir / "generator.json").read_text())
    assert info["latent_dim"] == config.latent_dim and info["output_shape"] == [28, 28, 1]
    assert info["num_classes"] == (10 if model == "cgan" else 0)
    gen = LoadedGenerator.load(run.path)
    out = gen.generate(np.zeros((3, config.latent_dim), np.float32))
    assert out.shape == (3, 28, 28, 1) and np.isfinite(out).all()

    sample_grids = rec.of("SampleGrid")
    np.testing.assert_allclose(sample_grids[-1].images, grid, atol=2e-3)  # float16 on disk
    assert list_runs(tmp_path)[0].status == "completed"


def test_generator_export_matches_fixed_noise_samples(mnist_npz, tmp_path):
    """The exported generator reproduces the last sample grid from the saved fixed noise."""
    final = Trainer(tiny_config(mnist_npz, "dcgan"), runs_root=tmp_path).run()
    run = RunDir(final.run_dir)
    ckpt = ck.read_checkpoint(ck.checkpoint_path(run.checkpoints_dir, 4))
    gen = LoadedGenerator.load(run.path)
    again = gen.generate(ckpt[ck.extra_key(ck.FIXED_NOISE)])
    np.testing.assert_allclose(again, run.load_samples(4), atol=2e-3)


def test_too_small_a_dataset_for_one_step_is_a_clear_failure(mnist_npz, tmp_path):
    config = tiny_config(mnist_npz, "wgan-gp", dataset_limit=30, batch_size=8)
    final = Trainer(config, runs_root=tmp_path).run()
    assert type(final).__name__ == "Failed"
    assert "30 examples" in final.message and "batch size 8 × 5 critic steps = 40" in final.message


def test_input_pipeline_has_no_autotuning_thread_to_wait_for():
    """tf.data's autotuning thread sleeps up to a minute between rounds, and destroying
    the iterator waits for it: runs held their thread (and the process exit) that long."""
    from ganstudio.core.data import load_dataset
    from ganstudio.core.data.pipeline import make_tf_dataset

    data = make_tf_dataset(load_dataset("toy:ring", limit=256), 32, output_range=None)
    assert data.options().autotune.enabled is False
    batches = iter(data)
    assert tuple(next(batches).shape) == (32, 2)
