"""Layers and random draws that give the same numbers for any number of replicas.

Under a tf.distribute strategy each replica sees its slice of the global batch. Random
numbers drawn per replica (latents, dropout masks, interpolation weights) would differ
from one draw for the global batch, and batch norm would normalise each slice by its
own statistics. Here every per-example draw is made for the global batch with the
same seed on every replica, and each replica keeps its rows; batch norm synchronises
its statistics when there is more than one replica. So training on 2 GPUs with global
batch 64 computes what one device computes with batch 64, up to float rounding.
Imported lazily (it imports Keras); called while building or inside a training step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras


def replica_position() -> tuple[Any, int]:
    """(this replica's index among all replicas, number of replicas in sync)."""
    import tensorflow as tf

    ctx = tf.distribute.get_replica_context()
    if ctx is None:  # cross-replica context: the caller holds the whole batch
        return 0, 1
    return ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync


def draw_for_replica(sample: Callable[[tuple], Any], n: Any, tail: tuple = ()) -> Any:
    """This replica's ``n`` rows of ``sample((n * replicas, *tail))`` (the global batch)."""
    index, replicas = replica_position()
    if replicas == 1:
        return sample((n, *tail))
    return sample((n * replicas, *tail))[index * n : (index + 1) * n]


def agree_on_overflow(grads: list) -> list:
    """Gradients that overflow on any replica overflow on all (NaN everywhere).

    Loss scaling skips a step whose gradients are not finite. Keras decides from the
    first replica's own gradients (or from each replica's, under XLA), so one replica's
    overflow could be summed into the others' update, or the replicas could disagree
    about calling the all-reduce and wait for each other forever. With one agreed flag
    (one scalar all-reduce) every replica skips the step or none does.
    """
    import tensorflow as tf

    _, replicas = replica_position()
    if replicas == 1:
        return grads
    present = [g for g in grads if g is not None]
    bad = tf.add_n([tf.reduce_sum(tf.cast(~tf.math.is_finite(g), tf.float32)) for g in present])
    bad = tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.SUM, bad)
    poison = tf.where(bad > 0, float("nan"), 0.0)
    return [g if g is None else g + tf.cast(poison, g.dtype) for g in grads]


def batch_norm(**kwargs: Any) -> Any:
    """BatchNormalization over the global batch: synchronised across replicas if several.

    Call inside the strategy scope (where the networks are built). One replica keeps the
    plain layer, which computes the same statistics with one pass less.
    """
    import tensorflow as tf

    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    return keras.layers.BatchNormalization(synchronized=replicas > 1, **kwargs)


@keras.saving.register_keras_serializable(package="ganstudio")
class BatchDropout(keras.layers.Layer):
    """Dropout whose mask is drawn for the global batch (see the module docstring)."""

    def __init__(self, rate: float, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.rate == 0:
            return inputs
        import tensorflow as tf

        def sample(shape: tuple) -> Any:
            return keras.random.uniform(shape, seed=self.seed_generator, dtype=inputs.dtype)

        keep = draw_for_replica(sample, tf.shape(inputs)[0], tuple(inputs.shape[1:])) >= self.rate
        return tf.where(keep, inputs / (1.0 - self.rate), tf.zeros_like(inputs))

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
