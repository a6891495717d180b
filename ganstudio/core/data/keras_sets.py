"""MNIST, Fashion-MNIST and CIFAR-10, downloaded once into the Keras cache.

Files are downloaded (checked against their SHA-256 where known) into
``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``), the same files ``keras.datasets``
uses, and read here. Without a network the loader fails within seconds with a
:class:`DataError` naming the file to download and where to put it. Blocking (a download
can take minutes; a ``cancel`` callable stops it between chunks): call it from a worker
thread, never the GUI thread.
"""

from __future__ import annotations

import gzip
import os
import pickle
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import numpy as np

from ganstudio.core.control import Cancelled
from ganstudio.core.data.dataset import DataError
from ganstudio.core.data.download import download

_GCS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
NETWORK_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class KerasSet:
    name: str
    files: tuple[tuple[str, str, str | None], ...]  # (file name, url, sha256)
    subdir: str
    class_names: tuple[str, ...]


SETS = {
    "mnist": KerasSet(
        "mnist",
        (
            (
                "mnist.npz",
                _GCS + "mnist.npz",
                "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
            ),
        ),
        "datasets",
        tuple(str(i) for i in range(10)),
    ),
    "fashion_mnist": KerasSet(
        "fashion_mnist",
        tuple(
            (f, _GCS + f, None)
            for f in ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz")
        ),
        os.path.join("datasets", "fashion-mnist"),
        (
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
    ),
    "cifar10": KerasSet(
        "cifar10",
        (
            (
                "cifar-10-python.tar.gz",
                "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
            ),
        ),
        "datasets",
        (
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ),
    ),
}
ALIASES = {"fashion-mnist": "fashion_mnist", "fashion": "fashion_mnist", "cifar-10": "cifar10"}


def keras_home() -> Path:
    """Keras's cache folder: ``$KERAS_HOME``, else ``~/.keras`` (as Keras decides it)."""
    env = os.environ.get("KERAS_HOME")
    if env:
        return Path(env).expanduser()
    home = Path.home()
    return (home if os.access(home, os.W_OK) else Path("/tmp")) / ".keras"


def _cifar_batches(folder: Path) -> Path | None:
    """The folder holding ``data_batch_1..5`` if an extracted copy exists under ``folder``."""
    for sub in ("cifar-10-python_extracted", "cifar-10-batches-py-target", "."):
        cand = folder / sub / "cifar-10-batches-py"
        if (cand / "data_batch_5").is_file():
            return cand
    return None


def _host_reachable(url: str, timeout: float = NETWORK_TIMEOUT_S) -> str | None:
    """None when ``url``'s host accepts a connection, else the reason it does not.

    Runs in a daemon thread so that even a hanging DNS lookup (which socket timeouts do
    not cover) gives up after ``timeout`` seconds.
    """
    parts = urlsplit(url)
    result: list[str | None] = []

    def probe() -> None:
        try:
            with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout):
                result.append(None)
        except OSError as exc:
            result.append(str(exc) or type(exc).__name__)

    worker = threading.Thread(target=probe, name="ganstudio-net-probe", daemon=True)
    worker.start()
    worker.join(timeout + 1.0)
    return result[0] if result else f"no answer from {parts.hostname} in {timeout:.0f} s"


def _offline_error(spec: KerasSet, folder: Path, reason: str) -> DataError:
    names = ", ".join(f[0] for f in spec.files)
    urls = "\n".join(f"  {url}" for _, url, _ in spec.files)
    return DataError(
        f"cannot download the {spec.name} dataset ({reason}).\n"
        f"Download {names} on a machine with internet access from:\n{urls}\n"
        f"and put {'it' if len(spec.files) == 1 else 'them'} in {folder}{os.sep} "
        "(the Keras cache; set KERAS_HOME to use another "
        f"folder), or load a local copy in the keras.datasets layout with npz:PATH."
    )


def _fetch(spec: KerasSet, cancel: Callable[[], bool] | None = None) -> list[Path]:
    """Local paths of the set's files, downloading any that are missing."""
    folder = keras_home() / spec.subdir
    missing = [f for f in spec.files if not (folder / f[0]).is_file()]
    if missing:
        reason = _host_reachable(missing[0][1])
        if reason is not None:
            raise _offline_error(spec, folder, f"no network: {reason}")
        try:
            for fname, url, sha in missing:
                download(url, folder / fname, sha, cancel)
        except Cancelled:
            raise
        except Exception as exc:  # HTTP, network and file errors alike
            raise _offline_error(spec, folder, f"download failed: {exc}") from exc
    return [folder / f[0] for f in spec.files]


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles only numpy arrays, lists and plain values (the CIFAR batch files)."""

    _ALLOWED: ClassVar[set[tuple[str, str]]] = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a CIFAR batch")


def _read_cifar(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for i in range(1, 6):
        with open(folder / f"data_batch_{i}", "rb") as f:
            batch = _ArrayUnpickler(f, encoding="bytes").load()
        xs.append(np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32))
        ys.append(np.asarray(batch[b"labels"], np.int32))
    return np.concatenate(xs).transpose(0, 2, 3, 1), np.concatenate(ys)


def _read_idx(path: Path, offset: int) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_keras_set(
    name: str, cancel: Callable[[], bool] | None = None
) -> tuple[np.ndarray, np.ndarray, list[str], dict]:
    """The training split of a Keras dataset: uint8 images, int32 labels, class names, meta.

    ``cancel`` is asked between download chunks (see :func:`download`)."""
    key = ALIASES.get(name, name)
    if key not in SETS:
        raise DataError(f"unknown Keras dataset {name!r}; choose one of: {', '.join(SETS)}")
    spec = SETS[key]
    folder = keras_home() / spec.subdir
    try:
        if key == "cifar10":
            batches = _cifar_batches(folder)
            if batches is None:
                (archive,) = _fetch(spec, cancel)
                import tarfile

                target = folder / "cifar-10-python_extracted"
                with tarfile.open(archive) as tar:
                    if hasattr(tarfile, "data_filter"):
                        tar.extractall(target, filter="data")
                    else:  # Python < 3.10.12: only our own verified archive gets here
                        tar.extractall(target)
                batches = _cifar_batches(folder)
                if batches is None:
                    raise DataError(f"{archive} holds no cifar-10-batches-py folder")
            x, y = _read_cifar(batches)
        elif key == "mnist":
            (path,) = _fetch(spec, cancel)
            with np.load(path, allow_pickle=False) as f:
                x, y = f["x_train"], f["y_train"].astype(np.int32)
        else:
            labels, images = _fetch(spec, cancel)
            y = _read_idx(labels, 8).astype(np.int32)
            x = _read_idx(images, 16).reshape(len(y), 28, 28)
    except (DataError, Cancelled):
        raise
    except Exception as exc:
        raise DataError(
            f"the cached {spec.name} files in {folder} cannot be read ({exc}); delete them "
            "to download them again"
        ) from exc
    meta = {"source": f"keras.datasets {spec.name} (training split)", "cache": str(folder)}
    return x, y, list(spec.class_names), meta
