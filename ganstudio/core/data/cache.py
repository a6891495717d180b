"""The on-disk cache for generated datasets, under ``$GANSTUDIO_HOME/cache``.

Files are written atomically (:mod:`ganstudio.core.atomic`), so a crash or a
second process never leaves a half-written cache entry; a damaged entry is ignored and
rebuilt. Safe to call from any thread.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ganstudio.core.atomic import atomic_file
from ganstudio.paths import app_home


def cache_dir() -> Path:
    """``$GANSTUDIO_HOME/cache`` (not created here)."""
    return app_home() / "cache"


def save_arrays(path: str | Path, arrays: dict[str, np.ndarray]) -> Path:
    """Write ``arrays`` to an uncompressed ``.npz`` at ``path`` atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as f:
        np.savez(f, **arrays)
    return path


def load_arrays(path: str | Path, keys: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """Read ``keys`` from a cached ``.npz``; None if it is missing, damaged or incomplete."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            if not set(keys) <= set(f.files):
                return None
            return {k: f[k] for k in keys}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
