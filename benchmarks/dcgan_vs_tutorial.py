"""Our default DCGAN against the TensorFlow DCGAN tutorial's, judged by the new metrics.

Trains, in one run, the tutorial's networks and loop (written from the tutorial's
description: G Dense 7·7·256 → BN → LeakyReLU → Conv2DT 128 5×5 s1 → BN → LReLU →
Conv2DT 64 5×5 s2 → BN → LReLU → Conv2DT 1 5×5 s2 tanh; D Conv 64 5×5 s2 → LReLU →
Dropout 0.3 → Conv 128 5×5 s2 → LReLU → Dropout 0.3 → Dense 1; Adam 1e-4 for both, BCE
on logits, 100-dim noise, both networks stepped from one forward pass) and GAN Studio's
default DCGAN, for the same steps and batch size on real MNIST, then measures each final
generator with ``ganstudio eval`` (digit-classifier features): Fréchet distance, KID,
precision/recall/coverage and the digits covered. Both runs keep the default quality
metrics during training (their curves are in each run's metrics.jsonl).

    python benchmarks/dcgan_vs_tutorial.py [--steps 1500] [--batch 64] [--samples 5000]
        [--only tutorial,ours] [--set lr_d=4e-4 ...] [--out DIR]

``--set`` changes our model's settings (to try a variant against the same tutorial run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganstudio.core.config import TrainConfig
from ganstudio.core.models import ModelEntry, register_model

SHARED = Path(os.environ.get("GANSTUDIO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
KEYS = ("fd", "kid", "precision", "recall", "density", "coverage", "digits_covered")


def tutorial_networks(config, spec):
    """The TensorFlow DCGAN tutorial's generator and discriminator."""
    import keras
    from keras import layers

    z = keras.Input((spec.latent_dim,))
    x = layers.Dense(7 * 7 * 256, use_bias=False)(z)
    x = layers.LeakyReLU()(layers.BatchNormalization()(x))
    x = layers.Reshape((7, 7, 256))(x)
    for filters, stride in ((128, 1), (64, 2)):
        x = layers.Conv2DTranspose(filters, 5, strides=stride, padding="same", use_bias=False)(x)
        x = layers.LeakyReLU()(layers.BatchNormalization()(x))
    out = layers.Conv2DTranspose(
        1, 5, strides=2, padding="same", use_bias=False, activation="tanh"
    )(x)
    image = keras.Input(spec.example_shape)
    h = image
    for filters in (64, 128):
        h = layers.Conv2D(filters, 5, strides=2, padding="same")(h)
        h = layers.Dropout(0.3)(layers.LeakyReLU()(h))
    score = layers.Dense(1)(layers.Flatten()(h))
    return keras.Model(z, out, name="tutorial_generator"), keras.Model(image, score)


register_model(
    ModelEntry(
        name="tf-tutorial",
        label="TensorFlow DCGAN tutorial",
        description="the TensorFlow DCGAN tutorial's networks (benchmark only)",
        build=tutorial_networks,
        data_kinds={"images": (-1.0, 1.0)},
        defaults=dict(latent_dim=100, lr_g=1e-4, lr_d=1e-4, beta1=0.9, beta2=0.999, loss="bce"),
    )
)


def parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def train_and_measure(name: str, config: TrainConfig, out: Path, samples: int) -> dict:
    from ganstudio.core.imaging import save_png, tile_grid
    from ganstudio.core.monitoring.run_eval import evaluate_run
    from ganstudio.core.rundir import RunDir
    from ganstudio.core.trainer import Trainer

    run_dir = out / name
    start = time.perf_counter()
    final = Trainer(config, run_dir=run_dir).run()
    seconds = time.perf_counter() - start
    if type(final).__name__ == "Failed":
        raise SystemExit(f"{name} failed: {final.message}")
    record = evaluate_run(str(run_dir), "latest", samples, "digit-classifier")
    run = RunDir(run_dir)
    last = run.sample_steps()[-1]
    save_png(tile_grid(run.load_samples(last)), out / f"{name}_grid.png", scale=2)
    evals = [r for r in run.read_metrics()[0] if r.get("type") == "eval" and "source" not in r]
    return {"seconds": seconds, "final": record, "curve": evals, "run": str(run_dir)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--samples", type=int, default=5000, help="samples for the final metrics")
    p.add_argument("--only", default="tutorial,ours")
    p.add_argument("--set", nargs="*", default=[], help="KEY=VALUE changes to our model")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=Path("/tmp/dcgan_vs_tutorial"))
    args = p.parse_args()
    dataset = f"npz:{SHARED / 'data' / 'mnist.npz'}"
    common = dict(dataset=dataset, steps=args.steps, batch_size=args.batch, seed=args.seed)
    ours = dict(common, **{k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)})
    configs = {
        "tutorial": TrainConfig.from_dict({"model": "tf-tutorial", **common}),
        "ours": TrainConfig.from_dict({"model": "dcgan", **ours}),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.only.split(","):
        tag = name if name != "ours" or not args.set else "ours-" + "-".join(args.set)
        tag = tag.replace("=", "").replace("/", "_")
        results[tag] = train_and_measure(tag, configs[name].validate(), args.out, args.samples)
        r = results[tag]["final"]
        print(
            f"{tag:40} "
            + "  ".join(f"{k} {r.get(k, float('nan')):.4g}" for k in KEYS)
            + f"  {results[tag]['seconds']:.0f} s",
            flush=True,
        )
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    if "tutorial" in results and len(results) > 1:
        base = results["tutorial"]["final"]["fd"]
        for tag, r in results.items():
            print(f"{tag}: FD {r['final']['fd']:.3g} = {r['final']['fd'] / base:.2f} × tutorial's")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
