"""The built-in digit set: deterministic, cached, legible, and MNIST-like."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ganstudio.core.data import load_dataset
from ganstudio.core.data.digits import generate_digits, load_digits
from ganstudio.core.data.glyphs import available_fonts, build_glyph_bank


@pytest.fixture(scope="module")
def bank():
    return build_glyph_bank(39)  # 28×28 digits are drawn on a 56×56 canvas


@pytest.fixture(scope="module")
def sample(bank):
    x, y, _ = generate_digits(2000, 28, seed=3, bank=bank)
    return x.reshape(len(x), -1).astype(np.float32) / 255.0, y


def test_uses_fonts_matplotlib_ships():
    import matplotlib

    fonts = available_fonts()
    assert len(fonts) >= 10
    mpl = Path(matplotlib.get_data_path()).resolve()
    assert all(mpl in p.resolve().parents for p in fonts)


def test_deterministic_for_a_seed(bank):
    a = generate_digits(300, 28, seed=7, bank=bank)
    b = generate_digits(300, 28, seed=7, bank=bank)
    c = generate_digits(300, 28, seed=8, bank=bank)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])


def test_shapes_labels_and_mnist_look(sample):
    x, y = sample
    assert x.shape == (2000, 28 * 28)
    assert np.bincount(y, minlength=10).tolist() == [200] * 10  # balanced
    img = x.reshape(-1, 28, 28)
    # White on black: the border is background, every digit has ink.
    assert img[:, 0, :].max() < 0.5 and img[:, :, 0].max() < 0.5
    ink = img.reshape(len(img), -1).sum(axis=1)
    assert ink.min() > 12 and ink.max() < 300  # MNIST: 22 .. 270
    # Varied: no two examples alike.
    assert len({row.tobytes() for row in (img * 255).astype(np.uint8)}) == len(img)


def test_held_out_digits_are_classified_well_above_chance(sample):
    x, y = sample
    train, test = slice(0, 1000), slice(1000, None)
    centroids = np.stack([x[train][y[train] == k].mean(axis=0) for k in range(10)])
    accuracy = float((_nearest(x[test], centroids) == y[test]).mean())
    assert accuracy > 0.7, accuracy  # chance is 0.1


def _nearest(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid (Euclidean) for each row of ``x``."""
    return ((centroids**2).sum(axis=1)[None] - 2.0 * x @ centroids.T).argmin(axis=1)


def _unit_rows(a: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=1, keepdims=True)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_class_means_match_the_same_mnist_classes(sample, mnist_npz):
    """Each generated digit's mean image (relative to the mean of all digits) correlates
    best with the mean image of the *same* MNIST class."""
    x, y = sample
    with np.load(mnist_npz) as f:
        mx = f["x_train"][:10000].reshape(10000, -1).astype(np.float32) / 255.0
        my = f["y_train"][:10000]
    ours = np.stack([x[y == k].mean(axis=0) for k in range(10)])
    theirs = np.stack([mx[my == k].mean(axis=0) for k in range(10)])
    corr = _unit_rows(ours - ours.mean(axis=0)) @ _unit_rows(theirs - theirs.mean(axis=0)).T
    assert corr.argmax(axis=1).tolist() == list(range(10)), np.round(corr, 2)
    # And a classifier fitted on generated digits reads real MNIST far above chance.
    assert float((_nearest(mx, ours) == my).mean()) > 0.4


def test_cache_is_written_reused_and_repaired(tmp_path):
    x1, y1, meta1 = load_digits(500, 28, seed=1)
    cache = Path(meta1["cache_file"])
    assert not meta1["from_cache"]
    assert cache.is_file()
    assert Path(os.environ["GANSTUDIO_HOME"]) / "cache" == cache.parent
    x2, y2, meta2 = load_digits(500, 28, seed=1)
    assert meta2["from_cache"]
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not [p for p in cache.parent.iterdir() if p.name.endswith(".tmp")]
    cache.write_bytes(b"damaged")
    x3, _, meta3 = load_digits(500, 28, seed=1)
    assert not meta3["from_cache"]
    np.testing.assert_array_equal(x1, x3)


def test_load_dataset_digits_at_other_sizes():
    ds = load_dataset("digits:400", image_size=32, channels=3, limit=100, seed=2)
    assert ds.kind == "images" and ds.name == "digits"
    assert ds.x.shape == (100, 32, 32, 3) and ds.x.dtype == np.float32
    assert ds.x.min() >= 0.0 and ds.x.max() <= 1.0
    np.testing.assert_array_equal(ds.x[..., 0], ds.x[..., 2])  # gray in RGB
    assert ds.class_names == [str(d) for d in range(10)]
    assert ds.y.dtype == np.int32 and set(ds.y) <= set(range(10))
    big = load_dataset("digits:50", image_size=64)
    assert big.x.shape == (50, 64, 64, 1)
