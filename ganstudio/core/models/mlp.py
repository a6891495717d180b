"""The classic fully connected GAN (the seed design), for images or 2-D points."""

from __future__ import annotations

import math
from typing import Any

from ganstudio.core.models.spec import ModelSpec


def mlp_generator(spec: ModelSpec, hidden: int = 128) -> Any:
    """Dense 128 (ReLU) → Dense (sigmoid) → image; points get two hidden layers and a linear out."""
    import keras
    from keras import layers

    z = keras.Input((spec.latent_dim,), name="z")
    if spec.kind == "points":
        h = layers.Dense(hidden, activation="relu")(z)
        h = layers.Dense(hidden, activation="relu")(h)
        out = layers.Dense(spec.example_shape[0], dtype="float32", name="points")(h)
    else:
        size = math.prod(spec.example_shape)
        h = layers.Dense(hidden, activation="relu")(z)
        h = layers.Dense(size, activation="sigmoid", dtype="float32")(h)
        out = layers.Reshape(spec.example_shape, name="image")(h)
    return keras.Model(z, out, name="mlp_generator")


def mlp_discriminator(spec: ModelSpec, hidden: int = 128, dropout: float = 0.2) -> Any:
    """Flatten → Dense 128 (ReLU) → Dropout 0.2 → Dense 1 (a logit)."""
    import keras
    from keras import layers

    from ganstudio.core.models.replicas import BatchDropout

    x = keras.Input(spec.example_shape, name="x")
    h = layers.Flatten()(x) if len(spec.example_shape) > 1 else x
    h = layers.Dense(hidden, activation="relu")(h)
    if spec.kind == "points":
        h = layers.Dense(hidden, activation="relu")(h)
    h = BatchDropout(dropout)(h)
    out = layers.Dense(1, dtype="float32", name="logit")(h)
    return keras.Model(x, out, name="mlp_discriminator")
