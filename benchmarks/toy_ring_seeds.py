"""How many seeds of the default MLP GAN cover all 8 modes of ``toy:ring`` in 3000 steps.

Trains ``ganstudio train --model mlp --dataset toy:ring --steps 3000 --seed S`` (the
model's defaults, nothing else set) for each seed, then counts the modes the final
generator covers (2000 samples; a mode counts when it gets at least a fifth of its fair
share of points within 3 standard deviations) and the share of high-quality points.

    python benchmarks/toy_ring_seeds.py [--seeds 10] [--steps 3000] [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganstudio.core.config import TrainConfig


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--dataset", default="toy:ring")
    p.add_argument("--set", nargs="*", default=[], help="KEY=VALUE (JSON values) on top")
    args = p.parse_args()
    from ganstudio.core.monitoring.run_eval import evaluate_run
    from ganstudio.core.trainer import Trainer

    changes = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
    root = Path(tempfile.mkdtemp(prefix="toy_ring_"))
    full, rows = 0, []
    for seed in range(args.seeds):
        values = {"model": "mlp", "dataset": args.dataset, "steps": args.steps, "seed": seed}
        config = TrainConfig.from_dict({**values, **changes}).validate()
        start = time.perf_counter()
        final = Trainer(config, run_dir=root / f"seed{seed}").run()
        if type(final).__name__ == "Failed":
            raise SystemExit(final.message)
        record = evaluate_run(str(root / f"seed{seed}"), "latest", 2000)
        covered, total = record["modes_covered"], record["modes_total"]
        full += covered == total
        rows.append((seed, covered, total, record["high_quality_share"]))
        print(
            f"seed {seed}: {covered}/{total} modes, {record['high_quality_share']:.0%} "
            f"high-quality points ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
    print(
        f"{full} of {args.seeds} seeds cover all modes ({args.dataset}, {args.steps} steps, "
        f"settings: mlp defaults{', ' + ' '.join(args.set) if args.set else ''}); runs in {root}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
