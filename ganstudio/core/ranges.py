"""Output ranges: data live in [0, 1]; each generator outputs its model's own range.

Training maps data into the generator's range (:func:`to_output_range`); everything
that shows, saves or plays generator output maps it back (:func:`from_output_range`).
A range of None means "no scaling" (2-D points are in data units).
"""

from __future__ import annotations

import numpy as np

Range = tuple[float, float] | None


def to_output_range(x01: np.ndarray, output_range: Range) -> np.ndarray:
    """Map data in [0, 1] to ``output_range`` (float32)."""
    x = np.asarray(x01, np.float32)
    if output_range is None:
        return x
    lo, hi = (float(v) for v in output_range)
    return (x * np.float32(hi - lo) + np.float32(lo)).astype(np.float32)


def from_output_range(out: np.ndarray, output_range: Range) -> np.ndarray:
    """Map generator output in ``output_range`` back to [0, 1], clipped (float32)."""
    x = np.asarray(out, np.float32)
    if output_range is None:
        return x
    lo, hi = (float(v) for v in output_range)
    return np.clip((x - np.float32(lo)) / np.float32(hi - lo), 0.0, 1.0)
