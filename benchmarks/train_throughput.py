"""Training throughput: GAN Studio's engine against a bare tf.function loop, in one run.

The bare loop is the TensorFlow DCGAN tutorial's (two tapes, one forward pass, Adam
2e-4/0.5, BCE on logits) on the same networks, data and batch size. The engine run
includes everything a real run does: metrics log, TensorBoard, sample grids and
checkpoints at their default intervals. Rounds alternate so both see the same load.

    python benchmarks/train_throughput.py [--steps 200] [--rounds 2] [--batch 64]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganstudio.core.config import TrainConfig
from ganstudio.core.data import load_dataset

SHARED = Path(os.environ.get("GANSTUDIO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
WARMUP = 20


def bare_loop(x, batch: int, steps: int, latent_dim: int) -> float:
    """Steps/s of the tutorial-style loop over ``steps`` steps after warm-up."""
    import tensorflow as tf

    from ganstudio.core.models import ModelSpec
    from ganstudio.core.models.dcgan import dcgan_discriminator, dcgan_generator

    spec = ModelSpec(latent_dim, tuple(x.shape[1:]))
    generator, discriminator = dcgan_generator(spec), dcgan_discriminator(spec)
    g_opt = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
    d_opt = tf.keras.optimizers.Adam(2e-4, beta_1=0.5)
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    data = (
        tf.data.Dataset.from_tensor_slices(x * 2.0 - 1.0)
        .shuffle(60000)
        .repeat()
        .batch(batch, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )

    @tf.function
    def train_step(images):
        noise = tf.random.normal([batch, latent_dim])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated, training=True)
            gen_loss = bce(tf.ones_like(fake_output), fake_output)
            disc_loss = bce(tf.ones_like(real_output), real_output) + bce(
                tf.zeros_like(fake_output), fake_output
            )
        g_grads = gen_tape.gradient(gen_loss, generator.trainable_variables)
        d_grads = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
        g_opt.apply_gradients(zip(g_grads, generator.trainable_variables, strict=True))
        d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables, strict=True))
        return gen_loss, disc_loss

    it = iter(data)
    for _ in range(WARMUP):
        train_step(next(it))
    start = time.perf_counter()
    for _ in range(steps):
        out = train_step(next(it))
    float(out[0])
    return steps / (time.perf_counter() - start)


def engine(dataset: str, batch: int, steps: int, latent_dim: int, root: Path) -> float:
    """Steps/s of :class:`Trainer` between the end of warm-up and the last step."""
    from ganstudio.core.trainer import Trainer

    marks: dict[int, float] = {}

    def emit(event) -> None:
        if type(event).__name__ == "StepMetrics":
            marks[event.step] = time.perf_counter()

    config = TrainConfig(
        dataset=dataset,
        model="dcgan",
        steps=WARMUP + steps,
        batch_size=batch,
        latent_dim=latent_dim,
        log_every=10,
        sample_every=100,
        checkpoint_every=500,
    ).validate()
    final = Trainer(config, runs_root=root, emit=emit).run()
    if type(final).__name__ != "Finished":
        raise SystemExit(f"engine run failed: {final.message}")
    return steps / (marks[WARMUP + steps] - marks[WARMUP])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--dataset", default=f"npz:{SHARED / 'data' / 'mnist.npz'}")
    args = parser.parse_args()

    x = load_dataset(args.dataset).x
    bare, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            bare.append(bare_loop(x, args.batch, args.steps, args.latent_dim))
            ours.append(engine(args.dataset, args.batch, args.steps, args.latent_dim, Path(tmp)))
            print(
                f"round {r + 1}: bare {bare[-1]:.2f} steps/s, engine {ours[-1]:.2f} steps/s",
                flush=True,
            )
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"DCGAN 28x28, batch {args.batch}, {args.steps} timed steps x {args.rounds} rounds")
    print(f"bare tf.function loop: {b:.2f} steps/s (median)")
    print(f"GAN Studio engine:     {o:.2f} steps/s (median)")
    print(f"ratio engine/bare:     {o / b:.3f}  (target >= 0.95)")


if __name__ == "__main__":
    main()
