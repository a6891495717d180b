"""SpecGAN networks (Donahue, McAuley & Puckette 2019): DCGAN-style 2-D networks for
normalised log-mel spectrograms, trained as WGAN-GP.

The generator maps z through a dense layer to a (h/32, w/32, 16 d) block and five
stride-2 5x5 transposed convolutions (16d -> 8d -> 4d -> 2d -> d -> 1) with ReLU, ending in
tanh; the discriminator mirrors it with stride-2 5x5 convolutions and LeakyReLU(0.2), no
batch normalisation (it would break the gradient penalty), and a linear score. The paper
uses d = 64 on a GPU; our default d = 32 keeps a CPU run practical (about a quarter of
the compute). Keras is imported inside the functions.
"""

from __future__ import annotations

import math
from typing import Any


def _stages(shape: tuple[int, ...]) -> int:
    """Number of stride-2 stages: halve the smaller side down to 4 (5 for 128x128)."""
    h, w = int(shape[0]), int(shape[1])
    stages = max(1, int(math.log2(min(h, w) // 4)))
    if h % (1 << stages) or w % (1 << stages) or min(h, w) < 8:
        raise ValueError(
            f"SpecGAN needs a spectrogram side divisible by {1 << stages} and at least 8; "
            f"got {h}x{w}"
        )
    return stages


def specgan_generator(
    latent_dim: int, shape: tuple[int, ...] = (128, 128, 1), *, dim: int = 32
) -> Any:
    """z (latent_dim,) -> tanh spectrogram ``shape`` in [-1, 1]."""
    import keras
    from keras import layers

    h, w, c = (int(v) for v in shape)
    stages = _stages(shape)
    top = dim * (1 << (stages - 1))
    sh, sw = h >> stages, w >> stages
    z = keras.Input((int(latent_dim),), name="z")
    x = layers.Dense(sh * sw * top, name="project")(z)
    x = layers.Reshape((sh, sw, top))(x)
    x = layers.ReLU()(x)
    for i in range(stages - 1):
        filters = top >> (i + 1)
        x = layers.Conv2DTranspose(filters, 5, strides=2, padding="same", name=f"up{i}")(x)
        x = layers.ReLU()(x)
    x = layers.Conv2DTranspose(
        c, 5, strides=2, padding="same", activation="tanh", dtype="float32", name="spectrogram"
    )(x)
    return keras.Model(z, x, name="specgan_generator")


def specgan_discriminator(shape: tuple[int, ...] = (128, 128, 1), *, dim: int = 32) -> Any:
    """Spectrogram ``shape`` -> one linear critic score (WGAN-GP; no batch norm)."""
    import keras
    from keras import layers

    stages = _stages(shape)
    image = keras.Input(tuple(int(v) for v in shape), name="x")
    x = image
    for i in range(stages):
        x = layers.Conv2D(dim << i, 5, strides=2, padding="same", name=f"down{i}")(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    score = layers.Dense(1, dtype="float32", name="score")(x)
    return keras.Model(image, score, name="specgan_discriminator")
