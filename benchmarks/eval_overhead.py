"""What the quality metrics cost: the same run with metrics off and at the default cadence.

Trains the default DCGAN on the built-in digits (or ``--dataset``) for ``--steps`` steps,
alternating runs with ``--eval-every off`` and the default (auto) cadence, and prints the
wall time of each, the extra time as a share of the run without metrics, and the time
the metrics thread spent (its evaluations, the one-off setup: reference statistics,
first generator call) as a share
of the run. Rounds alternate so both kinds see the same load.

    python benchmarks/eval_overhead.py [--steps 1500] [--rounds 1] [--dataset digits]
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


def one_run(config: TrainConfig, root: Path) -> tuple[float, list[dict]]:
    from ganstudio.core.rundir import RunDir
    from ganstudio.core.trainer import Trainer

    start = time.perf_counter()
    final = Trainer(config, runs_root=root).run()
    seconds = time.perf_counter() - start
    if type(final).__name__ == "Failed":
        raise SystemExit(final.message)
    records, _ = RunDir(final.run_dir).read_metrics()
    return seconds, [r for r in records if r.get("type") == "eval"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--dataset", default="digits")
    p.add_argument("--model", default="dcgan")
    args = p.parse_args()
    root = Path(tempfile.mkdtemp(prefix="eval_overhead_"))
    base = dict(model=args.model, dataset=args.dataset, steps=args.steps, tensorboard=True)
    off_times, auto_times, shares = [], [], []
    for _ in range(args.rounds):
        off, _ = one_run(TrainConfig.from_dict({**base, "eval_every": 0}), root)
        auto, evals = one_run(TrainConfig.from_dict(base), root)
        work = sum(r["eval_seconds"] + r.get("setup_seconds", 0.0) for r in evals)
        off_times.append(off)
        auto_times.append(auto)
        shares.append(work / auto)
        steps = [r["step"] for r in evals]
        print(
            f"off {off:.0f} s, auto {auto:.0f} s ({len(evals)} evaluations at steps {steps}; "
            f"metrics thread busy {work:.0f} s)",
            flush=True,
        )
    off, auto = statistics.median(off_times), statistics.median(auto_times)
    print(
        f"extra wall time with metrics: {(auto - off) / off:+.1%} of the run without them; "
        f"metrics thread busy {statistics.median(shares):.1%} of the run"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
