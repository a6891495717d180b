"""Does DiffAugment help on little data? 500 MNIST images, the default DCGAN, same steps.

Trains the default DCGAN twice on the same 500 MNIST training images (``--limit 500``),
without and with ``--augment diffaugment``, for the same number of steps, and measures
both final generators with the digit classifier's features against the MNIST *test*
split (10 000 images never trained on: how well each run learned digits, not the 500
images) and against the 500 training images. Writes both grids next to the results.

    python benchmarks/small_data_augment.py [--steps 1500] [--samples 5000] [--out DIR]
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

from ganstudio.config import TrainConfig

SHARED = Path(os.environ.get("GANSTUDIO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
KEYS = ("fd", "kid", "precision", "recall", "coverage", "digits_covered")


def measure(run_dir: Path, test, samples: int) -> dict:
    from ganstudio.core.generator import load_run_generator
    from ganstudio.core.latent.sampling import generate
    from ganstudio.core.metrics.evaluate import Evaluator
    from ganstudio.core.metrics.run_eval import evaluate_run

    gen = load_run_generator(run_dir, "latest")
    z = np.random.default_rng(1).standard_normal((samples, gen.latent_dim)).astype(np.float32)
    fake = generate(gen, z, None)
    on_test = Evaluator(test, "digit-classifier", samples=samples).evaluate(fake)
    on_train = evaluate_run(str(run_dir), "latest", samples, "digit-classifier")
    return {"test": on_test, "train500": on_train}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--limit", type=int, default=500)
    p.add_argument("--samples", type=int, default=5000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=Path("/tmp/small_data_augment"))
    args = p.parse_args()
    from ganstudio.core.data import Dataset
    from ganstudio.core.imaging import save_png, tile_grid
    from ganstudio.core.rundir import RunDir
    from ganstudio.core.trainer import Trainer

    mnist = SHARED / "data" / "mnist.npz"
    with np.load(mnist) as f:
        x = f["x_test"][..., None].astype(np.float32) / 255.0
        test = Dataset("mnist-test", "images", x, f["y_test"].astype(np.int32), list("0123456789"))
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for augment in ("none", "diffaugment"):
        config = TrainConfig.from_dict(
            dict(
                model="dcgan",
                dataset=f"npz:{mnist}",
                dataset_limit=args.limit,
                steps=args.steps,
                seed=args.seed,
                augment=augment,
            )
        ).validate()
        run_dir = args.out / augment
        start = time.perf_counter()
        final = Trainer(config, run_dir=run_dir).run()
        if type(final).__name__ == "Failed":
            raise SystemExit(final.message)
        seconds = time.perf_counter() - start
        results[augment] = {"seconds": seconds, **measure(run_dir, test, args.samples)}
        run = RunDir(run_dir)
        save_png(
            tile_grid(run.load_samples(run.sample_steps()[-1])), args.out / f"{augment}.png", 2
        )
        for ref in ("test", "train500"):
            r = results[augment][ref]
            print(
                f"{augment:12} vs {ref:9} "
                + "  ".join(f"{k} {r[k]:.4g}" for k in KEYS)
                + f"  ({seconds:.0f} s)",
                flush=True,
            )
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    a, b = results["none"]["test"]["fd"], results["diffaugment"]["test"]["fd"]
    print(
        f"Fréchet distance to MNIST test: {a:.3g} without, {b:.3g} with DiffAugment "
        f"({'lower' if b < a else 'NOT lower'} with augmentation)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
