"""The in-memory dataset every loader returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


class DataError(ValueError):
    """A dataset could not be loaded; the message tells a person what to do."""


@dataclass
class Dataset:
    """Examples held in memory, ready for a :mod:`tf.data` pipeline.

    ``x`` is float32. For ``kind == "images"`` (and ``"audio"``, whose examples are
    normalised log-mel spectrograms shaped like 1-channel images) it is (N, H, W, C)
    in [0, 1]; for ``kind == "points"`` it is (N, 2) in data coordinates.
    ``y`` holds integer class labels (N,) or is None. ``skipped`` lists
    ``(path, reason)`` for inputs that could not be read. ``stats`` holds arrays a run
    must keep to turn generator output back into data (saved as ``data_stats.npz``);
    ``meta`` holds plain JSON-able facts (sample rate, source, ...).
    """

    name: str
    kind: str
    x: np.ndarray
    y: np.ndarray | None = None
    class_names: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.x) == 0:
            raise DataError(f"dataset {self.name!r} holds no examples")
        if self.y is not None and len(self.y) != len(self.x):
            raise DataError(
                f"dataset {self.name!r}: {len(self.x)} examples but {len(self.y)} labels"
            )

    @property
    def num_classes(self) -> int:
        return len(self.class_names) if self.y is not None else 0

    @property
    def example_shape(self) -> tuple[int, ...]:
        return tuple(self.x.shape[1:])

    def __len__(self) -> int:
        return len(self.x)
