"""DiffAugment: shapes kept, random per image, differentiable, used inside the GAN step."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from ganstudio.core.augment import augment_fn, colour, cutout, diffaugment, translation


def images(n=8, size=28, channels=1):
    return tf.constant(
        np.random.default_rng(0).uniform(-1, 1, (n, size, size, channels)), tf.float32
    )


@pytest.mark.parametrize("fn", [colour, translation, cutout, diffaugment])
@pytest.mark.parametrize("shape", [(8, 28, 28, 1), (4, 32, 32, 3)])
def test_each_transform_keeps_the_shape_and_is_differentiable(fn, shape):
    x = images(shape[0], shape[1], shape[3])
    tf.random.set_seed(1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
        loss = tf.reduce_sum(y * y)
    assert y.shape == x.shape
    grad = tape.gradient(loss, x)
    assert grad is not None and np.isfinite(grad.numpy()).all() and np.abs(grad.numpy()).sum() > 0
    assert not np.allclose(y.numpy(), x.numpy())


def test_translation_shifts_whole_pixels_and_fills_with_zeros():
    x = tf.ones((16, 8, 8, 1))
    y = translation(x, ratio=0.25).numpy()
    assert set(np.unique(y)) <= {0.0, 1.0}
    zeros = (y == 0).reshape(16, -1).sum(axis=1)
    assert zeros.max() > 0 and len(set(zeros.tolist())) > 1  # each image its own shift


def test_cutout_zeroes_a_square_of_half_the_side():
    y = cutout(tf.ones((32, 16, 16, 1))).numpy()
    zeros = (y == 0).reshape(32, -1).sum(axis=1)
    assert zeros.max() == 64 and zeros.min() > 0  # 8×8, less where it leaves the image


def test_unknown_augmentation_is_refused():
    assert augment_fn("none") is None
    with pytest.raises(ValueError, match="diffaugment"):
        augment_fn("mixup")
