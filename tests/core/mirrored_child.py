"""Run in a fresh process by ``test_multiworker.py``: logical devices exist only if they are
set before TensorFlow starts.

``python -m tests.core.mirrored_child OUT.json MODEL...`` splits the CPU into two logical
devices, trains each model for three steps with TensorFlow's default strategy and with
``MirroredStrategy`` over both devices (same seed, same global batch), and writes what
differs. ``mixed`` as a model name trains the MLP with mixed float16 under the mirrored
strategy (a fake GPU lets the policy through, as in ``test_mixed_precision.py``).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import tensorflow as tf

tf.config.set_logical_device_configuration(
    tf.config.list_physical_devices("CPU")[0], [tf.config.LogicalDeviceConfiguration()] * 2
)

from ganstudio.core.checkpoints import (  # noqa: E402
    DISCRIMINATOR,
    GENERATOR,
    group_keys,
    list_checkpoints,
    read_checkpoint,
)
from ganstudio.core.rundir import RunDir, training_records  # noqa: E402
from ganstudio.core.trainer import Trainer  # noqa: E402
from tests.conftest import SHARED  # noqa: E402
from tests.core.helpers import small_config, tiny_config  # noqa: E402

LOSS_KEYS = ("d_loss", "g_loss", "d_real", "d_fake")


def config_for(model: str, **values):
    if model == "specgan":
        audio = dict(dataset=f"audio:{SHARED / 'data' / 'drums'}", dataset_limit=16)
        return small_config(model, **audio, steps=3, batch_size=4, n_critic=2, latent_dim=16,
                            sample_every=100, checkpoint_every=1, log_every=1, num_samples=4,
                            tensorboard=False, **values)  # fmt: skip
    critic = {"n_critic": 2} if model == "wgan-gp" else {}  # two critic slices per step
    return tiny_config(
        SHARED / "data" / "mnist.npz",
        model,
        steps=3,
        batch_size=8,
        dataset_limit=256,
        sample_every=100,
        checkpoint_every=1,
        tensorboard=False,
        **critic,
        **values,
    )


def train(config, root: Path) -> tuple[list[dict], list[dict]]:
    final = Trainer(config, runs_root=root).run()
    if type(final).__name__ != "Finished":
        raise SystemExit(f"{config.model} ({config.strategy}) failed: {final.traceback}")
    run = RunDir(final.run_dir)
    records = training_records(run.read_metrics()[0])
    return records, [read_checkpoint(p) for p in list_checkpoints(run.checkpoints_dir)]


def weights(ckpt: dict) -> list[np.ndarray]:
    keys = group_keys(ckpt, DISCRIMINATOR) + group_keys(ckpt, GENERATOR)  # sorted as before
    return [ckpt[k].astype(np.float64) for k in keys]


def compare(model: str, root: Path) -> dict:
    one, one_ckpts = train(config_for(model, strategy="default"), root)
    two, two_ckpts = train(config_for(model, strategy="mirrored", devices="CPU:0,CPU:1"), root)
    first, last, mirrored = weights(one_ckpts[0]), weights(one_ckpts[-1]), weights(two_ckpts[-1])
    diffs = np.concatenate([np.abs(a - b).ravel() for a, b in zip(last, mirrored, strict=True)])
    moved = np.concatenate([np.abs(a - b).ravel() for a, b in zip(last, first, strict=True)])
    return {
        "model": model,
        "lr": max(config_for(model).lr_g, config_for(model).lr_d),
        "steps": [[r["step"] for r in one], [r["step"] for r in two]],
        "loss_diff": max(
            abs(a[k] - b[k]) for a, b in zip(one, two, strict=True) for k in LOSS_KEYS
        ),
        "loss_change": max(abs(one[0][k] - one[-1][k]) for k in LOSS_KEYS),
        "loss_size": max(abs(r[k]) for r in one for k in LOSS_KEYS),
        "weight_diff_max": float(diffs.max()),
        "weight_diff_mean": float(diffs.mean()),
        "weights_moved_mean": float(moved.mean()),
    }


def mixed(root: Path) -> dict:
    import keras

    real = tf.config.list_physical_devices
    fake_gpu = tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")
    tf.config.list_physical_devices = lambda kind=None: [fake_gpu] if kind == "GPU" else real(kind)
    try:
        config = config_for("mlp", strategy="mirrored", devices="CPU:0,CPU:1", mixed_precision=True)
        records, _ = train(config, root)
        policy = keras.mixed_precision.global_policy().name
    finally:
        tf.config.list_physical_devices = real
        keras.mixed_precision.set_global_policy("float32")
    return {"model": "mixed", "policy": policy, "losses": [r["d_loss"] for r in records]}


def overflow(_root: Path) -> dict:
    """One replica's gradients overflow under loss scaling: every replica must skip the step."""
    import keras

    from ganstudio.core.distribute import create_strategy
    from ganstudio.core.gan import GAN

    strategy, _, _ = create_strategy("mirrored", "CPU:0,CPU:1", None)
    with strategy.scope():
        layer = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")
        layer.build((None, 1))
        opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
        opt.build(layer.trainable_variables)

    def step(x: tf.Tensor) -> None:
        with tf.GradientTape() as tape:
            scaled = GAN._scaled(opt, tf.reduce_sum(layer(x)))
        GAN._apply(opt, tape, scaled, layer.trainable_variables)

    inputs = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant([[1.0 if ctx.replica_id_in_sync_group == 0 else np.inf]])
    )
    tf.function(lambda x: strategy.run(step, args=(x,)))(inputs)
    kernels = strategy.experimental_local_results(layer.kernel.value)
    return {
        "model": "overflow",
        "kernels": [float(np.asarray(k).ravel()[0]) for k in kernels],
        "scale": float(opt.dynamic_scale.numpy()),
        "initial_scale": float(opt.initial_scale),
    }


def main() -> None:
    out, models = Path(sys.argv[1]), sys.argv[2:]
    root = Path(tempfile.mkdtemp())
    special = {"mixed": mixed, "overflow": overflow}
    results = [special[m](root) if m in special else compare(m, root) for m in models]
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
