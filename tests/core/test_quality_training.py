"""Quality metrics during a tiny real training run, the best checkpoint, and the commands
``ganstudio eval`` and ``ganstudio sample --best`` in subprocesses."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ganstudio.core import checkpoints as ck
from ganstudio.core.checkpoints import read_best
from ganstudio.core.generator import load_run_generator
from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, tiny_config
from tests.core.test_cli import ganstudio


@pytest.fixture(scope="module")
def evaluated_run(mnist_npz, tmp_path_factory):
    """A DCGAN run of 6 steps on MNIST with metrics every 2 steps."""
    root = tmp_path_factory.mktemp("runs")
    config = tiny_config(mnist_npz, "dcgan", steps=6, eval_every=2, eval_samples=64)
    rec = Recorder()
    final = Trainer(config, runs_root=root, emit=rec).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    return RunDir(final.run_dir), rec


def test_training_writes_metric_records_and_keeps_the_best_checkpoint(evaluated_run):
    run, rec = evaluated_run
    started = rec.of("Started")[0]
    assert any("digit classifier" in note for note in started.notes)
    records, _ = run.read_metrics()
    evals = [r for r in records if r.get("type") == "eval"]
    assert evals and evals[-1]["step"] == 6  # the final step is always measured
    assert {r["extractor"] for r in evals} == {"digit-classifier"}
    for key in ("fd", "kid", "precision", "recall", "density", "coverage", "digits_covered"):
        assert all(np.isfinite(r[key]) for r in evals), key
    events = rec.of("EvalMetrics")
    assert [e.step for e in events] == [r["step"] for r in evals]
    best = read_best(run.checkpoints_dir)
    winner = min(evals, key=lambda r: r["fd"])
    assert best["metric"] == "fd" and best["extractor"] == "digit-classifier"
    assert (best["step"], best["value"]) == (winner["step"], winner["fd"])
    assert [e.best for e in events].count(True) == sum(bool(r.get("best")) for r in evals)
    assert ck.best_weights_path(run.checkpoints_dir).is_file()
    assert (
        json.loads((run.generator_dir / "best" / "generator.json").read_text())["step"]
        == best["step"]
    )
    assert ck.list_checkpoints(run.checkpoints_dir) != []
    assert list(run.path.glob("metrics_ref/reference-digit-classifier-*.npz"))


def test_best_generator_is_the_one_at_the_best_step(evaluated_run):
    run, _ = evaluated_run
    best = read_best(run.checkpoints_dir)
    gen = load_run_generator(run.path, "best")
    z = np.random.default_rng(0).standard_normal((4, gen.latent_dim)).astype(np.float32)
    exported = load_run_generator(run.path / "generator" / "best", "export")
    np.testing.assert_allclose(gen.generate(z), exported.generate(z), atol=1e-5)
    assert gen.info["step"] == best["step"]
    with pytest.raises(FileNotFoundError, match="kept: 2, 4, 6, best"):
        load_run_generator(run.path, "3")


def test_eval_command_prints_every_metric_and_appends_them(evaluated_run):
    run, _ = evaluated_run
    before = len(run.read_metrics()[0])
    result = ganstudio("eval", str(run.path), "-n", "80")
    assert result.returncode == 0, result.stderr
    best = read_best(run.checkpoints_dir)
    assert f"best checkpoint, step {best['step']}, 80 samples, digit-classifier" in result.stdout
    for label in ("Fréchet distance", "KID", "precision", "recall", "coverage", "digits covered"):
        assert label in result.stdout
    records, _ = run.read_metrics()
    assert len(records) == before + 1
    assert records[-1]["source"] == "ganstudio eval" and records[-1]["n"] == 80
    result = ganstudio("eval", str(run.path), "--checkpoint", "4", "-n", "60")
    assert result.returncode == 0 and "step 4" in result.stdout
    result = ganstudio("eval", str(run.path), "--checkpoint", "5")
    assert result.returncode == 2 and "no checkpoint at step 5" in result.stderr


def test_sample_best_uses_the_best_checkpoint(evaluated_run, tmp_path):
    run, _ = evaluated_run
    out = tmp_path / "best.png"
    result = ganstudio(
        "sample", str(run.path), "--best", "-n", "4", "--out", str(out), "--seed", "3"
    )
    assert result.returncode == 0, result.stderr
    assert f"best checkpoint: step {read_best(run.checkpoints_dir)['step']}" in result.stderr
    assert out.is_file()


def test_metrics_can_be_turned_off_and_toy_sets_count_modes(tmp_path):
    from tests.core.helpers import small_config

    config = small_config(
        "mlp",
        dataset="toy:ring",
        steps=20,
        batch_size=32,
        sample_every=10,
        log_every=5,
        eval_every=10,
        eval_samples=200,
        tensorboard=False,
    )
    rec = Recorder()
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert type(final).__name__ == "Finished"
    *_, last = rec.of("EvalMetrics")
    assert last.extractor == "toy-modes" and last.values["modes_total"] == 8
    assert read_best(RunDir(final.run_dir).checkpoints_dir)["metric"] == "modes_covered"
    config.eval_every = 0
    rec = Recorder()
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert rec.of("EvalMetrics") == [] and "quality metrics off" in " ".join(
        rec.of("Started")[0].notes
    )
    assert read_best(RunDir(final.run_dir).checkpoints_dir) is None


def test_generator_weight_average_makes_the_samples_and_is_checkpointed(mnist_npz, tmp_path):
    config = tiny_config(mnist_npz, "dcgan", ema_decay=0.9, eval_every=0)
    final = Trainer(config, runs_root=tmp_path).run()
    run = RunDir(final.run_dir)
    f = ck.read_checkpoint(ck.checkpoint_path(run.checkpoints_dir, 4))
    g = [f[k] for k in ck.group_keys(f, ck.GENERATOR)]
    ema = [f[k] for k in ck.group_keys(f, ck.G_EMA)]
    noise = f[ck.extra_key(ck.FIXED_NOISE)]
    assert len(g) == len(ema) and any(not np.allclose(a, b) for a, b in zip(g, ema, strict=True))
    exported = load_run_generator(run.path, "export")
    np.testing.assert_allclose(exported.generate(noise), run.load_samples(4), atol=2e-3)
    latest = load_run_generator(run.path, "latest")  # the average, as exported
    np.testing.assert_allclose(latest.generate(noise), exported.generate(noise), atol=1e-5)
    resumed = Trainer(tiny_config(mnist_npz, "dcgan", steps=6), run_dir=run.path, resume=True)
    assert type(resumed.run()).__name__ == "Finished"  # config from the run: still averaging
