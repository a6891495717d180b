""".npz files in the keras.datasets layout: real MNIST, resizing, and bad files."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.data import DataError, load_dataset


def test_real_mnist(mnist_npz):
    ds = load_dataset(f"npz:{mnist_npz}")
    assert ds.kind == "images" and ds.name == "mnist.npz"
    assert ds.x.shape == (60_000, 28, 28, 1) and ds.x.dtype == np.float32
    assert ds.x.min() == 0.0 and ds.x.max() == 1.0
    assert ds.y.dtype == np.int32 and ds.y.shape == (60_000,)
    assert np.bincount(ds.y).min() > 5000
    assert ds.class_names == [str(d) for d in range(10)]
    with np.load(mnist_npz) as f:
        np.testing.assert_allclose(ds.x[123, ..., 0], f["x_train"][123] / 255.0, atol=1e-6)
        assert ds.y[123] == f["y_train"][123]


def test_mnist_resized_to_32_rgb_with_a_seeded_limit(mnist_npz):
    a = load_dataset(str(mnist_npz), image_size=32, channels=3, limit=500, seed=9)
    b = load_dataset(str(mnist_npz), image_size=32, channels=3, limit=500, seed=9)
    assert a.x.shape == (500, 32, 32, 3)
    assert a.x.min() >= 0.0 and a.x.max() <= 1.0 and a.x.max() > 0.9
    np.testing.assert_array_equal(a.x[..., 0], a.x[..., 1])
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    # A resized digit still looks like its source: the ink sits in the same place.
    with np.load(mnist_npz) as f:
        labels = f["y_train"]
    assert set(np.unique(a.y)) == set(range(10))
    assert np.bincount(a.y, minlength=10).sum() == 500
    assert len(np.unique(labels)) == 10
    c = load_dataset(str(mnist_npz), image_size=64, limit=20)
    assert c.x.shape == (20, 64, 64, 1)


def test_wrong_keys_name_what_was_found_and_expected(tmp_path):
    path = tmp_path / "wrong keys.npz"
    np.savez(path, images=np.zeros((4, 8, 8), np.uint8), labels=np.zeros(4))
    with pytest.raises(DataError) as err:
        load_dataset(f"npz:{path}")
    text = str(err.value)
    assert "images" in text and "labels" in text and "x_train" in text and "y_train" in text


def test_corrupt_file_is_a_clear_error(tmp_path):
    path = tmp_path / "corrupt.npz"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    with pytest.raises(DataError, match=r"not a valid \.npz"):
        load_dataset(str(path))
    truncated = tmp_path / "truncated.npz"
    good = tmp_path / "good.npz"
    np.savez(good, x_train=np.zeros((100, 28, 28), np.uint8), y_train=np.arange(100) % 10)
    truncated.write_bytes(good.read_bytes()[:3000])
    with pytest.raises(DataError, match=r"truncated\.npz"):
        load_dataset(str(truncated))


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        load_dataset(f"npz:{tmp_path / 'nope.npz'}")


def test_float_channels_first_and_unlabelled(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (10, 3, 16, 16)).astype(np.float32)  # (N, C, H, W), 0-1
    path = tmp_path / "cf.npz"
    np.savez(path, x_train=x, y_train=np.array([[i % 3] for i in range(10)]))
    ds = load_dataset(str(path), image_size=16, channels=3)
    assert ds.x.shape == (10, 16, 16, 3)
    np.testing.assert_allclose(ds.x, x.transpose(0, 2, 3, 1), atol=1 / 255)
    assert ds.y.tolist() == [i % 3 for i in range(10)] and ds.class_names == ["0", "1", "2"]
    np.savez(path, x_train=(x * 255).astype(np.uint8))
    ds = load_dataset(str(path), image_size=16, channels=1)
    assert ds.y is None and ds.class_names == [] and ds.x.shape == (10, 16, 16, 1)


def test_bad_values_are_clear_errors(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, x_train=np.full((4, 8, 8), -3.0), y_train=np.zeros(4, int))
    with pytest.raises(DataError, match="0-1"):
        load_dataset(str(path))
    np.savez(path, x_train=np.zeros((4, 8, 8), np.uint8), y_train=np.zeros(3, int))
    with pytest.raises(DataError, match="one label per image"):
        load_dataset(str(path))
    np.savez(path, x_train=np.zeros((4, 8), np.uint8))
    with pytest.raises(DataError, match="shaped"):
        load_dataset(str(path))
