"""SpecGAN networks: shapes, and a few WGAN-GP steps on real drum spectrograms."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ganstudio.core.models.specgan import specgan_discriminator, specgan_generator


def test_forward_pass_shapes():
    gen = specgan_generator(100)
    disc = specgan_discriminator()
    assert gen.input_shape == (None, 100) and gen.output_shape == (None, 128, 128, 1)
    assert disc.input_shape == (None, 128, 128, 1) and disc.output_shape == (None, 1)
    z = np.random.default_rng(0).standard_normal((3, 100)).astype(np.float32)
    fake = np.asarray(gen(z))
    assert fake.shape == (3, 128, 128, 1) and np.abs(fake).max() <= 1.0
    score = np.asarray(disc(fake))
    assert score.shape == (3, 1) and np.isfinite(score).all()
    assert not any("batch_normalization" in layer.name for layer in disc.layers)
    assert disc.layers[-1].get_config()["activation"] == "linear"  # a WGAN critic score


def test_other_shapes_and_bad_shapes():
    gen = specgan_generator(8, (64, 32, 1), dim=4)
    assert gen.output_shape == (None, 64, 32, 1)
    assert specgan_discriminator((64, 32, 1), dim=4).output_shape == (None, 1)
    with pytest.raises(ValueError, match="divisible"):
        specgan_generator(8, (100, 128, 1))


def test_a_few_wgan_gp_steps_on_drums(drums_dir: Path):
    import keras
    import tensorflow as tf

    from ganstudio.core.data.audio_folder import load_audio_dataset
    from ganstudio.core.gan import GAN

    data = load_audio_dataset(drums_dir, limit=8, seed=0)
    keras.utils.set_random_seed(0)
    gan = GAN(
        specgan_generator(16, data.example_shape, dim=4),
        specgan_discriminator(data.example_shape, dim=4),
        latent_dim=16,
        loss="wasserstein",
        n_critic=2,
        gp_weight=10.0,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
    )
    batch = tf.constant(data.x * 2.0 - 1.0)  # the trainer maps [0, 1] to tanh's range
    before = [w.numpy().copy() for w in gan.generator.trainable_variables]
    for _ in range(3):
        logs = {k: float(v) for k, v in gan.train_step(batch).items()}
        assert all(np.isfinite(v) for v in logs.values()), logs
    after = gan.generator.trainable_variables
    assert any(not np.allclose(b, a.numpy()) for b, a in zip(before, after, strict=True))


def test_trainer_runs_specgan_on_drums_and_samples_wavs(drums_dir: Path, tmp_path: Path):
    """End to end: audio:FOLDER through the real Trainer, then WAVs from the run."""
    import math

    from ganstudio.core.audio.io import describe_audio, load_audio
    from ganstudio.core.generator import LoadedGenerator
    from ganstudio.core.latent.sampling import write_samples
    from ganstudio.core.rundir import RunDir, training_records
    from ganstudio.core.trainer import Trainer
    from tests.core.helpers import small_config

    config = small_config(
        "specgan",
        dataset=f"audio:{drums_dir}",
        dataset_limit=8,
        steps=2,
        batch_size=2,
        n_critic=2,
        latent_dim=16,
        sample_every=2,
        checkpoint_every=2,
        log_every=1,
        num_samples=4,
        tensorboard=False,
    )
    final = Trainer(config, runs_root=tmp_path / "runs").run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    run = RunDir(final.run_dir)
    records = training_records(run.read_metrics()[0])
    assert [r["step"] for r in records] == [1, 2]
    assert all(math.isfinite(r[k]) for r in records for k in ("d_loss", "g_loss"))
    assert set(run.load_stats()) >= {"mel_mean", "mel_std"}
    assert run.load_samples(2).shape == (4, 128, 128, 1)

    wavs = write_samples(LoadedGenerator.load(run.path), 3, tmp_path / "sounds", seed=1)
    assert len(wavs) == 3
    for path in wavs:
        samples, sr = load_audio(path)
        assert sr == 16000 and samples.shape == (16384,) and np.isfinite(samples).all()
        assert describe_audio(path).subtype == "PCM_16"
