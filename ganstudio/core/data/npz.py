"""Image sets stored as ``.npz`` files in the ``keras.datasets`` layout.

Keys: ``x_train`` (images (N, H, W) or (N, H, W, C), uint8 0-255 or float 0-1), optional
``y_train`` (integer labels (N,) or (N, 1)), optional ``class_names``; ``x_test`` and
``y_test`` may be present and are not used. Pure functions; safe from any thread.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ganstudio.core.control import raise_if_cancelled
from ganstudio.core.data.dataset import DataError

EXPECTED_KEYS = ("x_train", "y_train")


def _labels(y: np.ndarray, n: int, path: Path) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or len(y) != n:
        raise DataError(
            f"{path}: y_train must hold one label per image ({n}), but is shaped {y.shape}"
        )
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)):
        raise DataError(f"{path}: y_train must hold integer class labels, not {y.dtype}")
    if np.issubdtype(y.dtype, np.floating) and not np.all(np.isfinite(y) & (y == np.rint(y))):
        raise DataError(f"{path}: y_train must hold whole-number class labels")
    if len(y) and y.min() < 0:
        raise DataError(f"{path}: class labels must not be negative (found {y.min()})")
    return y.astype(np.int32)


def read_npz(
    path: str | Path, cancel: Callable[[], bool] | None = None
) -> tuple[np.ndarray, np.ndarray | None, list[str], dict]:
    """Raw training images, labels (or None), class names and meta from a ``.npz`` file.

    Raises :class:`DataError` for a missing or damaged file, or when ``x_train`` is absent
    (naming the keys found and the keys expected). ``cancel`` is asked before each array
    is read (see :func:`raise_if_cancelled`).
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"no such file: {path}")
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        detail = "not a NumPy file" if "pickle" in str(exc) else f"{type(exc).__name__}: {exc}"
        raise DataError(
            f"cannot read {path}: it is not a valid .npz archive, perhaps damaged ({detail})"
        ) from exc
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise DataError(
            f"{path} holds a single array, not an .npz archive with the keys "
            f"{', '.join(EXPECTED_KEYS)}"
        )
    with data:
        found = list(data.files)
        if "x_train" not in found:
            raise DataError(
                f"{path} does not look like a keras.datasets file: it holds the keys "
                f"{', '.join(found) or '(none)'}, but x_train (images) and y_train "
                "(labels, optional) are expected"
            )
        try:
            raise_if_cancelled(cancel)
            x = data["x_train"]
            raise_if_cancelled(cancel)
            y_raw = data["y_train"] if "y_train" in found else None
            names = data["class_names"] if "class_names" in found else None
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise DataError(f"cannot read the arrays in {path}: {exc}") from exc
    if x.ndim == 0 or len(x) == 0:
        raise DataError(f"{path}: x_train holds no images")
    y = _labels(y_raw, len(x), path) if y_raw is not None else None
    class_names: list[str] = []
    if y is not None:
        count = int(y.max()) + 1
        if names is not None and len(names) >= count:
            class_names = [str(s) for s in names]
        else:
            class_names = [str(i) for i in range(count)]
    meta = {"source": f"npz file {path}", "keys": found}
    return x, y, class_names, meta
