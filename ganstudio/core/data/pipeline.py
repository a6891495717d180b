"""The tf.data input pipeline: shuffle, batch, prefetch; labels for conditional models."""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.data.dataset import Dataset
from ganstudio.core.ranges import to_output_range

PREFETCH_BATCHES = 2


def make_tf_dataset(
    ds: Dataset,
    batch_size: int,
    *,
    seed: int = 0,
    output_range: tuple[float, float] | None = (-1.0, 1.0),
    with_labels: bool = False,
    repeat: bool = True,
) -> Any:
    """A repeating, shuffled ``tf.data.Dataset`` of full batches, without autotuning.

    Yields ``x`` or ``(x, y)`` when ``with_labels``. Images are mapped from [0, 1] to
    ``output_range``; points pass through unchanged (``output_range=None``).
    """
    import tensorflow as tf

    if len(ds) < batch_size:
        raise ValueError(
            f"the dataset holds {len(ds)} examples, fewer than one batch of {batch_size}; "
            "choose a smaller batch size"
        )
    x = ds.x if ds.kind == "points" else to_output_range(ds.x, output_range)
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
    data = data.batch(batch_size, drop_remainder=True).prefetch(PREFETCH_BATCHES)
    # No autotuning: its thread sleeps up to a minute between rounds, and destroying the
    # iterator waits for it (seen: a finished run's process idle for minutes at exit).
    # Slicing arrays held in memory needs no tuning; a fixed prefetch overlaps it.
    options = tf.data.Options()
    options.autotune.enabled = False
    return data.with_options(options)
