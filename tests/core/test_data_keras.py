"""keras.datasets sets: the offline message, and files placed in the Keras cache."""

from __future__ import annotations

import gzip
import pickle
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from ganstudio.core.data import DataError, load_dataset

HANG_GUARD_S = 300  # offline, loading must give up with a message, never wait forever


def _online() -> bool:
    try:
        with socket.create_connection(("storage.googleapis.com", 443), timeout=3):
            return True
    except OSError:
        return False


@pytest.fixture
def keras_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "keras home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    return home


@pytest.mark.parametrize(
    ("spec", "file", "subdir"),
    [
        ("mnist", "mnist.npz", "datasets"),
        ("fashion_mnist", "train-images-idx3-ubyte.gz", "datasets/fashion-mnist"),
        ("cifar10", "cifar-10-python.tar.gz", "datasets"),
    ],
)
def test_offline_message_says_what_to_put_where(keras_home, spec, file, subdir):
    if _online():
        pytest.skip("this machine has a network; the offline message cannot be shown")
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_dataset(spec)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(HANG_GUARD_S)  # a hang guard, not a timing claim
    assert not worker.is_alive(), f"load_dataset({spec!r}) offline did not return"
    (error,) = outcome
    assert isinstance(error, DataError), error
    text = str(error)
    assert file in text
    assert str(keras_home / subdir) in text
    assert "https://" in text and "npz:" in text and "KERAS_HOME" in text


def test_a_file_put_in_the_keras_cache_is_used(keras_home, mnist_npz):
    (keras_home / "datasets").mkdir(parents=True)
    (keras_home / "datasets" / "mnist.npz").symlink_to(mnist_npz)
    ds = load_dataset("MNIST", limit=300, seed=1, image_size=32)
    assert ds.name == "mnist" and ds.x.shape == (300, 32, 32, 1)
    assert ds.class_names == [str(d) for d in range(10)]
    assert "keras" in ds.meta["source"]


def test_fashion_mnist_idx_files_are_read(keras_home):
    folder = keras_home / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (12, 28, 28), dtype=np.uint8)
    y = (np.arange(12) % 10).astype(np.uint8)
    with gzip.open(folder / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(b"\x00\x00\x08\x01" + (12).to_bytes(4, "big") + y.tobytes())
    with gzip.open(folder / "train-images-idx3-ubyte.gz", "wb") as f:
        header = b"\x00\x00\x08\x03" + b"".join(n.to_bytes(4, "big") for n in (12, 28, 28))
        f.write(header + x.tobytes())
    ds = load_dataset("fashion-mnist")
    np.testing.assert_allclose(ds.x[..., 0], x / 255.0, atol=1e-6)
    assert ds.y.tolist() == y.tolist() and ds.class_names[9] == "Ankle boot"


def test_cifar_batches_are_read_without_unsafe_pickles(keras_home):
    folder = keras_home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(1, 6):
        batch = {
            b"data": rng.integers(0, 256, (4, 3072), dtype=np.uint8),
            b"labels": [i, i, 0, 9],
        }
        (folder / f"data_batch_{i}").write_bytes(pickle.dumps(batch))
    ds = load_dataset("cifar10", channels=3, image_size=32)
    assert ds.x.shape == (20, 32, 32, 3) and ds.class_names[0] == "airplane"
    first = pickle.loads((folder / "data_batch_1").read_bytes())[b"data"][0]
    np.testing.assert_allclose(ds.x[0], first.reshape(3, 32, 32).transpose(1, 2, 0) / 255.0)

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    (folder / "data_batch_3").write_bytes(pickle.dumps({b"data": Evil(), b"labels": []}))
    with pytest.raises(DataError, match=r"refusing to load builtins\.print"):
        load_dataset("cifar10")
