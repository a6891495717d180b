"""Which device TensorFlow will train on, and mixed precision where it helps."""

from __future__ import annotations


def describe_device() -> str:
    """ "GPU: <name>" for the first visible GPU, else "CPU"."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    try:
        name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "")
    except Exception:
        name = ""
    more = f" (+{len(gpus) - 1} more)" if len(gpus) > 1 else ""
    return f"GPU: {name or gpus[0].name}{more}"


def configure_precision(mixed: bool) -> list[str]:
    """Set Keras' global dtype policy; return notes for the user (e.g. why it was declined)."""
    import keras
    import tensorflow as tf

    if not mixed:
        keras.mixed_precision.set_global_policy("float32")
        return []
    if not tf.config.list_physical_devices("GPU"):
        keras.mixed_precision.set_global_policy("float32")
        return ["mixed precision needs a GPU; training in float32"]
    keras.mixed_precision.set_global_policy("mixed_float16")
    return ["mixed precision (float16 compute, float32 weights)"]
