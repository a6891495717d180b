"""Turn a dataset spec string into a :class:`Dataset`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.core.data.dataset import DataError, Dataset


def describe_spec(spec: str) -> str:
    """A short human-readable name for a dataset spec."""
    return spec


def load_dataset(
    spec: str,
    *,
    image_size: int = 28,
    channels: int = 1,
    limit: int | None = None,
    seed: int = 0,
) -> Dataset:
    """Load the dataset named by ``spec`` (see :mod:`ganstudio.core.data`)."""
    if spec.startswith("npz:") or spec.endswith(".npz"):
        path = Path(spec.removeprefix("npz:"))
        with np.load(path) as f:
            x = f["x_train"][:limit]
            y = f["y_train"][:limit].astype(np.int32)
        x = (x.astype(np.float32) / 255.0)[..., None]
        return Dataset(
            name=path.name,
            kind="images",
            x=x,
            y=y,
            class_names=[str(i) for i in range(int(y.max()) + 1)],
        )
    raise DataError(f"unknown dataset {spec!r}")
