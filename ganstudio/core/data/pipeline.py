"""The tf.data input pipeline: shard, shuffle, batch, prefetch; labels for conditional models."""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.data.dataset import Dataset
from ganstudio.core.kinds import get_kind
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
    n_critic: int = 1,
    input_context: Any = None,
) -> Any:
    """A repeating, shuffled ``tf.data.Dataset`` of full batches, without autotuning.

    Yields ``x`` or ``(x, y)`` when ``with_labels``. Data of a scaled kind (images, audio) are
    mapped from [0, 1] to ``output_range``; others (points) pass through unchanged.

    With ``input_context`` (a ``tf.distribute.InputContext``, as passed by
    ``strategy.distribute_datasets_from_function``) ``batch_size`` is the global batch of
    one step and the dataset is this input pipeline's part of it: the examples are
    sharded over the pipelines (worker ``i`` of ``W`` reads examples ``i, i+W, ...``), and
    the pipeline's batch is cut into one batch per local replica. A step's batch holds
    ``n_critic`` slices (one per critic update), so replica ``r`` of ``R`` gets the ``r``-th
    part of every slice: together the replicas train on exactly the slices one device
    would (see :func:`split_for_replicas`).
    """
    import tensorflow as tf

    index, count, replicas = 0, 1, 1
    if input_context is not None:
        index, count = input_context.input_pipeline_id, input_context.num_input_pipelines
        replicas = input_context.num_replicas_in_sync // count
        if batch_size % (input_context.num_replicas_in_sync * n_critic):
            replicas_in_sync = input_context.num_replicas_in_sync
            raise ValueError(
                f"batch size {batch_size // n_critic} (the global batch) cannot be split evenly "
                f"over {replicas_in_sync} replicas; choose a multiple of {replicas_in_sync}"
            )
        batch_size //= count
    x = to_output_range(ds.x, get_kind(ds.kind).range_for(output_range))
    y = None
    if with_labels:
        if ds.y is None:
            raise ValueError(f"dataset {ds.name!r} has no labels; a conditional model needs them")
        y = ds.y.astype(np.int32)
    if count > 1:
        x, y = x[index::count], (None if y is None else y[index::count])
    if len(x) < batch_size:
        share = f" (this worker's share of {len(ds)})" if count > 1 else ""
        raise ValueError(
            f"the dataset holds {len(x)} examples{share}, fewer than one batch of "
            f"{batch_size}; choose a smaller batch size"
        )
    data = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
    data = data.shuffle(min(len(x), 60000), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        data = data.repeat()
    data = data.batch(batch_size, drop_remainder=True)
    if replicas > 1:
        data = data.map(lambda *t: split_for_replicas(t, replicas, n_critic)).unbatch()
    data = data.prefetch(PREFETCH_BATCHES)
    # No autotuning: its thread sleeps up to a minute between rounds, and destroying the
    # iterator waits for it (seen: a finished run's process idle for minutes at exit).
    # Slicing arrays held in memory needs no tuning; a fixed prefetch overlaps it.
    options = tf.data.Options()
    options.autotune.enabled = False
    return data.with_options(options)


def split_for_replicas(tensors: tuple, replicas: int, n_critic: int) -> Any:
    """Cut a step's batch ``[n_critic × replicas × b, ...]`` (critic slices one after the
    other) into ``[replicas, n_critic × b, ...]``: row ``r`` holds part ``r`` of every slice."""
    import tensorflow as tf

    def split(t: Any) -> Any:
        tail = tf.shape(t)[1:]
        parts = tf.reshape(t, tf.concat([[n_critic, replicas, -1], tail], 0))
        perm = [1, 0, *range(2, len(t.shape) + 2)]
        return tf.reshape(tf.transpose(parts, perm), tf.concat([[replicas, -1], tail], 0))

    out = tuple(split(t) for t in tensors)
    return out if len(out) > 1 else out[0]
