"""The tf.data input pipeline: shuffle, batch, prefetch; labels for conditional models."""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.data.dataset import Dataset


def scale_to_range(x: np.ndarray, output_range: tuple[float, float]) -> np.ndarray:
    """Map images in [0, 1] to ``output_range`` (the generator's output range)."""
    lo, hi = output_range
    return (x * (hi - lo) + lo).astype(np.float32)


def make_tf_dataset(
    ds: Dataset,
    batch_size: int,
    *,
    seed: int = 0,
    output_range: tuple[float, float] | None = (-1.0, 1.0),
    with_labels: bool = False,
    repeat: bool = True,
) -> Any:
    """A repeating, shuffled ``tf.data.Dataset`` of full batches.

    Yields ``x`` or ``(x, y)`` when ``with_labels``. Images are mapped from [0, 1] to
    ``output_range``; points pass through unchanged (``output_range=None``).
    """
    import tensorflow as tf

    if len(ds) < batch_size:
        raise ValueError(
            f"the dataset holds {len(ds)} examples, fewer than one batch of {batch_size}; "
            "choose a smaller batch size"
        )
    x = ds.x if output_range is None or ds.kind == "points" else scale_to_range(ds.x, output_range)
    if with_labels:
        if ds.y is None:
            raise ValueError(f"dataset {ds.name!r} has no labels; a conditional model needs them")
        tensors = (x, ds.y.astype(np.int32))
    else:
        tensors = x
    data = tf.data.Dataset.from_tensor_slices(tensors)
    data = data.shuffle(min(len(ds), 60000), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        data = data.repeat()
    return data.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
