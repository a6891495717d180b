"""Does DiffAugment help on little data? 500 MNIST images, the default DCGAN, same steps.

Trains the default DCGAN on the same 500 MNIST training images (``--limit 500``),
without and with ``--augment diffaugment``, for the same number of steps, once per seed,
and measures every final generator with the digit classifier's features against the
MNIST *test* split (10 000 images never trained on: how well each run learned digits,
not the 500 images) and against the 500 training images. Writes the grids next to the
results and ends with the per-seed differences and their mean: between two seeds of
one setting the distance moves by several points, so one seed decides nothing.

    python benchmarks/small_data_augment.py [--steps 1500] [--seeds 0,1] [--limit 500]
        [--set loss=bce --set ema_decay=0 ...] [--samples 5000] [--out DIR]

``--set`` changes both runs' settings (``KEY=VALUE``, as in a config file), e.g. the
classic DCGAN: ``--set loss=bce --set ema_decay=0``.

Seen (1500 steps, 2 cores; the distance to the 500 training images themselves is 4.9):
with the default DCGAN (hinge loss, weight average) augmentation made the distance
*larger*; the discriminator does overfit the 500 images (its mean score on them ~1.4,
on test digits ~0.4), but within these steps that does not cost the generator, which is
still far from the 500 images' 4.9; see the README.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganstudio.cli_models import parse_options
from ganstudio.core.config import TrainConfig

SHARED = Path(os.environ.get("GANSTUDIO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
KEYS = ("fd", "kid", "precision", "recall", "coverage", "digits_covered")
ARMS = ("none", "diffaugment")


def measure(run_dir: Path, test, samples: int) -> dict:
    from ganstudio.core.generator import load_run_generator
    from ganstudio.core.latent.sampling import generate
    from ganstudio.core.metrics.evaluate import Evaluator
    from ganstudio.core.monitoring.run_eval import evaluate_run

    gen = load_run_generator(run_dir, "latest")
    z = np.random.default_rng(1).standard_normal((samples, gen.latent_dim)).astype(np.float32)
    fake = generate(gen, z, None)
    on_test = Evaluator(test, "digit-classifier", samples=samples).evaluate(fake)
    on_train = evaluate_run(str(run_dir), "latest", samples, "digit-classifier")
    return {"test": on_test, "train500": on_train}


def train_arm(augment: str, seed: int, args, changes: dict, test) -> dict:
    """Train one run and measure it; writes its grid beside the results."""
    from ganstudio.core.imaging import save_png, tile_grid
    from ganstudio.core.rundir import RunDir
    from ganstudio.core.trainer import Trainer

    config = TrainConfig.from_dict(
        dict(
            model="dcgan",
            dataset=f"npz:{SHARED / 'data' / 'mnist.npz'}",
            dataset_limit=args.limit,
            steps=args.steps,
            seed=seed,
            **changes,
            augment=augment,
        )
    ).validate()
    run_dir = args.out / f"{augment}-seed{seed}"
    start = time.perf_counter()
    final = Trainer(config, run_dir=run_dir).run()
    if type(final).__name__ == "Failed":
        raise SystemExit(final.message)
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, **measure(run_dir, test, args.samples)}
    run = RunDir(run_dir)
    grid = tile_grid(run.load_samples(run.sample_steps()[-1]))
    save_png(grid, args.out / f"{augment}-seed{seed}.png", 2)
    for ref in ("test", "train500"):
        r = result[ref]
        print(
            f"seed {seed} {augment:12} vs {ref:9} "
            + "  ".join(f"{k} {r[k]:.4g}" for k in KEYS)
            + f"  ({seconds:.0f} s)",
            flush=True,
        )
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--samples", type=int, default=5000)
    p.add_argument("--seeds", default="0,1", help="comma-separated seeds, e.g. 0,1,2")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--out", type=Path, default=Path("/tmp/small_data_augment"))
    args = p.parse_args()
    from ganstudio.core.data import Dataset

    changes = parse_options(args.set)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    with np.load(SHARED / "data" / "mnist.npz") as f:
        x = f["x_test"][..., None].astype(np.float32) / 255.0
        test = Dataset("mnist-test", "images", x, f["y_test"].astype(np.int32), list("0123456789"))
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    for seed in seeds:
        results[str(seed)] = {arm: train_arm(arm, seed, args, changes, test) for arm in ARMS}
        (args.out / "results.json").write_text(json.dumps(results, indent=1))
    print(f"Fréchet distance to MNIST test ({args.limit} images, {args.steps} steps):")
    gains = []
    for seed, arms in results.items():
        a, b = (arms[arm]["test"]["fd"] for arm in ARMS)
        gains.append(a - b)
        print(f"  seed {seed}: {a:.3g} without, {b:.3g} with DiffAugment ({a - b:+.3g})")
    mean = float(np.mean(gains))
    verdict = "lower" if mean > 0 else "NOT lower"
    print(f"mean change {mean:+.3g}: {verdict} with augmentation (positive = augmentation better)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
