"""TensorBoard scalar event files, written with TensorFlow alone.

TensorFlow no longer bundles the ``tensorboard`` package that ``tf.summary.scalar``
needs, so scalars are written with ``tf.summary.write`` and the same plugin metadata
TensorBoard's scalar plugin reads ("scalars", data class SCALAR).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ScalarWriter:
    """Append scalars to TensorBoard event files in ``logdir`` (one thread at a time)."""

    def __init__(self, logdir: str | Path) -> None:
        import tensorflow as tf
        from tensorflow.core.framework import summary_pb2

        self._tf = tf
        self._writer = tf.summary.create_file_writer(str(logdir))
        metadata = summary_pb2.SummaryMetadata()
        metadata.plugin_data.plugin_name = "scalars"
        metadata.data_class = summary_pb2.DATA_CLASS_SCALAR
        self._metadata = metadata.SerializeToString()

    def write(self, step: int, values: dict[str, Any]) -> None:
        tf = self._tf
        with self._writer.as_default(step=step):
            for key, value in values.items():
                tf.summary.write(
                    key, tf.constant(float(value), tf.float32), metadata=self._metadata
                )

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()
