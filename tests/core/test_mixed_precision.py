"""Mixed precision: declined on a CPU-only machine, and the float16 path trains when allowed."""

from __future__ import annotations

import math

import keras
import tensorflow as tf

from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, tiny_config


def test_mixed_precision_is_declined_without_a_gpu(mnist_npz, tmp_path):
    if tf.config.list_physical_devices("GPU"):
        return  # covered by the next test on a GPU machine
    config = tiny_config(mnist_npz, "mlp", steps=2, mixed_precision=True)
    rec = Recorder()
    final = Trainer(config, runs_root=tmp_path, emit=rec).run()
    assert type(final).__name__ == "Finished"
    assert "mixed precision needs a GPU; training in float32" in rec.of("Started")[0].notes
    assert keras.mixed_precision.global_policy().name == "float32"


def test_mixed_float16_path_trains_with_loss_scaling(mnist_npz, tmp_path, monkeypatch):
    real = tf.config.list_physical_devices
    fake_gpu = tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")
    monkeypatch.setattr(
        tf.config,
        "list_physical_devices",
        lambda kind=None: [fake_gpu] if kind == "GPU" else real(kind),
    )
    rec = Recorder()
    try:
        config = tiny_config(mnist_npz, "mlp", steps=2, mixed_precision=True)
        final = Trainer(config, runs_root=tmp_path, emit=rec).run()
        assert type(final).__name__ == "Finished", getattr(final, "traceback", "")
        started = rec.of("Started")[0]
        assert started.device.startswith("GPU")
        assert keras.mixed_precision.global_policy().name == "mixed_float16"
        assert all(
            math.isfinite(m.d_loss) and math.isfinite(m.g_loss) for m in rec.of("StepMetrics")
        )
        assert rec.of("SampleGrid")[-1].images.dtype.name == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")
