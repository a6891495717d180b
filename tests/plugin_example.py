"""A model, a data source and a loss defined outside GAN Studio, as a plugin would.

Nothing in ``ganstudio`` names them: ``register()`` adds them to the tables (it is also
the target of the test entry point in ``tests/core/test_tables.py``) and
``unregister()`` takes them out again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.data import Dataset, register_source, unregister_source
from ganstudio.core.data.source_table import Choice, DataSource, LoadOptions
from ganstudio.core.losses import LossEntry, register_loss, unregister_loss
from ganstudio.core.models import ModelEntry, register_model, unregister_model

MODEL = "tiny-test"
MODEL_LABEL = "Tiny test MLP"
SOURCE = "moons"
LOSS = "lsq"


def tiny_networks(config: Any, spec: Any) -> tuple[Any, Any]:
    """A one-hidden-layer generator and discriminator of 16 units."""
    import keras
    from keras import layers

    size = int(np.prod(spec.example_shape))
    z = keras.Input((spec.latent_dim,))
    h = layers.Dense(16, activation="relu")(z)
    act = None if spec.kind == "points" else "sigmoid"
    out = layers.Reshape(spec.example_shape)(layers.Dense(size, activation=act)(h))
    x = keras.Input(spec.example_shape)
    d = layers.Dense(16, activation="relu")(layers.Flatten()(x))
    return keras.Model(z, out), keras.Model(x, layers.Dense(1)(d))


def tiny_gan(generator: Any, discriminator: Any, *, config: Any, spec: Any, gp_weight: float):
    """Its own training model (the ``make_gan`` hook): the standard step plus a metric."""
    import tensorflow as tf

    from ganstudio.core.gan import GAN

    class TinyGAN(GAN):
        def train_step(self, data: Any) -> dict[str, Any]:
            logs = super().train_step(data)
            return {**logs, "g_mean": tf.reduce_mean(self.generate(tf.zeros((1, 2))))}

    return TinyGAN(
        generator,
        discriminator,
        latent_dim=config.latent_dim,
        loss=config.loss,
        n_critic=config.n_critic,
        gp_weight=gp_weight,
    )


def least_squares(real: Any, fake: Any) -> tuple[Any, Any]:
    """LSGAN (Mao et al. 2017) with targets 1 for real and 0 for fake."""
    import tensorflow as tf

    d_loss = 0.5 * tf.reduce_mean(tf.square(real - 1.0)) + 0.5 * tf.reduce_mean(tf.square(fake))
    return d_loss, 0.5 * tf.reduce_mean(tf.square(fake - 1.0))


def two_moons(arg: str, opts: LoadOptions) -> Dataset:
    """``moons[:COUNT]``: two interleaved half circles of 2-D points."""
    count = int(arg or 1000)
    rng = np.random.default_rng(opts.seed)
    t = rng.uniform(0, np.pi, count)
    upper = rng.random(count) < 0.5
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    points = np.stack([x, y], 1) + rng.normal(0, 0.05, (count, 2))
    return Dataset(name="moons", kind="points", x=points.astype(np.float32))


def register() -> None:
    register_model(
        ModelEntry(
            name=MODEL,
            label=MODEL_LABEL,
            description="a tiny MLP registered by a test",
            build=tiny_networks,
            data_kinds={"points": None, "images": (0.0, 1.0)},
            defaults=dict(latent_dim=2, lr_g=2e-3, lr_d=2e-3, loss="bce", n_critic=1),
            gradient_penalty=True,
            make_gan=tiny_gan,
        )
    )
    register_source(
        DataSource(
            prefix=SOURCE,
            kind="points",
            load=two_moons,
            help="moons[:COUNT]",
            title="Moons",
            describe=lambda arg: "Two moons (2-D points)",
            choices=(Choice("moons", "Toy 2-D: two moons", "Two interleaved half circles"),),
        )
    )
    register_loss(LossEntry(LOSS, "Least squares", least_squares))


def unregister() -> None:
    unregister_model(MODEL)
    unregister_source(SOURCE)
    unregister_loss(LOSS)
