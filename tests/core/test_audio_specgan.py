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

    from ganstudio.core.audio.dataset import load_audio_dataset
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
