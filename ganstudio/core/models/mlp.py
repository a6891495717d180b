"""The classic fully connected GAN (the seed design), for images or 2-D points.

Sizes can be changed per run through ``TrainConfig.options``: ``hidden`` (units per
layer), ``layers`` (hidden layers) and ``dropout`` (before D's output).
"""

from __future__ import annotations

import math
from typing import Any

from ganstudio.core.kinds import get_kind
from ganstudio.core.models.spec import ModelSpec

#: (hidden units, hidden layers) by data kind
SIZES = {"points": (128, 2), "images": (128, 1)}
DROPOUT = {"points": 0.2, "images": 0.2}


def _sizes(spec: ModelSpec, options: dict[str, Any]) -> tuple[int, int]:
    hidden, depth = SIZES.get(spec.kind, SIZES["images"])
    return int(options.get("hidden", hidden)), int(options.get("layers", depth))


def mlp_generator(spec: ModelSpec, options: dict[str, Any] | None = None) -> Any:
    """Dense (ReLU) layers → a linear output for points, a sigmoid image otherwise."""
    import keras
    from keras import layers

    hidden, depth = _sizes(spec, options or {})
    z = keras.Input((spec.latent_dim,), name="z")
    h = z
    for _ in range(depth):
        h = layers.Dense(hidden, activation="relu")(h)
    if not get_kind(spec.kind).scaled:  # data units (2-D points): a linear output
        out = layers.Dense(spec.example_shape[0], dtype="float32", name="points")(h)
    else:
        h = layers.Dense(math.prod(spec.example_shape), activation="sigmoid", dtype="float32")(h)
        out = layers.Reshape(spec.example_shape, name="image")(h)
    return keras.Model(z, out, name="mlp_generator")


def mlp_discriminator(spec: ModelSpec, options: dict[str, Any] | None = None) -> Any:
    """Flatten → Dense (ReLU) layers → Dropout → Dense 1 (a logit)."""
    import keras
    from keras import layers

    # deferred: Keras
    from ganstudio.core.models.replicas import BatchDropout

    options = options or {}
    hidden, depth = _sizes(spec, options)
    x = keras.Input(spec.example_shape, name="x")
    h = layers.Flatten()(x) if len(spec.example_shape) > 1 else x
    for _ in range(depth):
        h = layers.Dense(hidden, activation="relu")(h)
    dropout = float(options.get("dropout", DROPOUT.get(spec.kind, 0.2)))
    if dropout > 0:
        h = BatchDropout(dropout)(h)
    out = layers.Dense(1, dtype="float32", name="logit")(h)
    return keras.Model(x, out, name="mlp_discriminator")
