"""Differentiable augmentation for training on little data (Zhao et al. 2020, "DiffAugment").

The same random colour, translation and cutout transforms are drawn independently for
every image and applied to real *and* generated images before the discriminator sees
them, inside the training step. Every transform is differentiable with respect to the
image, so the generator's gradients flow through them; the discriminator cannot memorise
the few real images, and the generator is not taught to reproduce the augmentations.

Images are float tensors (n, h, w, c) in the generator's output range ([-1, 1] for tanh
models). TensorFlow ops only (called inside the ``tf.function`` step).
"""

from __future__ import annotations

from typing import Any

AUGMENTS = {
    "none": "no augmentation",
    "diffaugment": "DiffAugment: colour, translation and cutout on real and generated images",
}
TRANSLATION = 0.125  # the largest shift, as a share of the image side
CUTOUT = 0.5  # side of the cut-out square, as a share of the image side


def _uniform(x: Any, lo: float, hi: float) -> Any:
    import tensorflow as tf

    return tf.random.uniform([tf.shape(x)[0], 1, 1, 1], lo, hi, dtype=x.dtype)


def colour(x: Any) -> Any:
    """Random brightness (±0.5), saturation (×0..2) and contrast (×0.5..1.5) per image."""
    import tensorflow as tf

    x = x + _uniform(x, -0.5, 0.5)
    grey = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - grey) * _uniform(x, 0.0, 2.0) + grey
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * _uniform(x, 0.5, 1.5) + mean


def translation(x: Any, ratio: float = TRANSLATION) -> Any:
    """Shift each image by up to ``ratio`` of its size in x and y, filling with zeros."""
    import tensorflow as tf

    n, h, w = tf.shape(x)[0], tf.shape(x)[1], tf.shape(x)[2]

    def shifted_index(size: Any) -> Any:
        limit = tf.cast(tf.cast(size, tf.float32) * ratio + 0.5, tf.int32)
        shift = tf.random.uniform([n, 1], -limit, limit + 1, dtype=tf.int32)
        # indices into the image padded by one zero row/column on each side
        return tf.clip_by_value(tf.range(size)[None, :] + shift + 1, 0, size + 1)

    padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
    rows = tf.gather(padded, shifted_index(h), axis=1, batch_dims=1)
    return tf.gather(rows, shifted_index(w), axis=2, batch_dims=1)


def cutout(x: Any, ratio: float = CUTOUT) -> Any:
    """Zero a square of ``ratio`` of the image side at a random place in each image."""
    import tensorflow as tf

    n, h, w = tf.shape(x)[0], tf.shape(x)[1], tf.shape(x)[2]
    ch = tf.cast(tf.cast(h, tf.float32) * ratio + 0.5, tf.int32)
    cw = tf.cast(tf.cast(w, tf.float32) * ratio + 0.5, tf.int32)
    cy = tf.random.uniform([n, 1, 1], 0, h + (1 - ch % 2), dtype=tf.int32)
    cx = tf.random.uniform([n, 1, 1], 0, w + (1 - cw % 2), dtype=tf.int32)
    ys = tf.range(h)[None, :, None]
    xs = tf.range(w)[None, None, :]
    top, left = cy - ch // 2, cx - cw // 2
    inside = (ys >= top) & (ys < top + ch) & (xs >= left) & (xs < left + cw)
    return x * tf.cast(~inside, x.dtype)[..., None]


def diffaugment(x: Any) -> Any:
    """Colour, then translation, then cutout (the paper's policy for small data sets)."""
    return cutout(translation(colour(x)))


def augment_fn(name: str) -> Any:
    """The function a GAN applies before its discriminator (None for ``none``)."""
    if name not in AUGMENTS:
        raise ValueError(f"unknown augmentation {name!r}; choose one of: {', '.join(AUGMENTS)}")
    return diffaugment if name == "diffaugment" else None
