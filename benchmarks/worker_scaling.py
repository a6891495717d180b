"""One process against two local MultiWorkerMirroredStrategy workers, in one run.

Each run is ``ganstudio train`` (two workers on localhost ports for the cluster runs);
steps/s come from the chief's metrics.jsonl between the log after the warm-up and the
last one. Weak scaling keeps the per-worker batch (global batch doubles), strong
scaling keeps the global batch (each worker gets half). Efficiency is examples/s of the
two workers over twice the single process's; two workers on the cores of one machine
can at best match the single process (efficiency 0.5), the rest is what they lose.

    python benchmarks/worker_scaling.py [--steps 200] [--warmup 20] [--batch 64]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GANSTUDIO_SHARED", ROOT.parent / "shared"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def train(run_dir: Path, batch: int, workers: int, args: argparse.Namespace) -> float:
    """Steps/s of one run with ``workers`` processes (1: no cluster)."""
    command = [sys.executable, "-m", "ganstudio", "train", "--quiet", "--no-tensorboard"]
    command += ["--model", args.model, "--dataset", f"npz:{SHARED / 'data' / 'mnist.npz'}"]
    command += ["--limit", "8192", "--batch-size", str(batch), "--log-every", "10"]
    command += ["--steps", str(args.warmup + args.steps), "--sample-every", "100000"]
    command += ["--checkpoint-every", "100000", "--run-dir", str(run_dir)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_CONFIG", None)
    if workers == 1:
        procs = [subprocess.Popen([*command, "--strategy", "default"], env=env)]
    else:
        cluster = ",".join(f"localhost:{_port()}" for _ in range(workers))
        extra = ["--strategy", "multiworker", "--cluster", cluster, "--task-index"]
        procs = [subprocess.Popen([*command, *extra, str(i)], env=env) for i in range(workers)]
    if any(p.wait() for p in procs):
        raise SystemExit(f"a run failed: {' '.join(command)}")
    records = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    start = next(r for r in records if r["step"] >= args.warmup)
    end = records[-1]
    return (end["step"] - start["step"]) / (end["time"] - start["time"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--model", default="dcgan")
    args = parser.parse_args()
    b = args.batch
    with tempfile.TemporaryDirectory() as tmp:
        one = train(Path(tmp) / "one", b, 1, args)
        weak = train(Path(tmp) / "weak", 2 * b, 2, args)
        strong = train(Path(tmp) / "strong", b, 2, args)
    print(
        f"{args.model} on MNIST 28x28, {args.steps} timed steps after {args.warmup}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'run':38} {'steps/s':>8} {'examples/s':>11} {'vs 1 process':>13} {'efficiency':>11}")
    print(f"{'1 process, batch ' + str(b):38} {one:8.2f} {one * b:11.0f} {'1.00':>13} {'1.00':>11}")
    for name, rate, batch in (("weak", weak, 2 * b), ("strong", strong, b)):
        label = f"2 workers, global batch {batch} ({name})"
        ratio = rate * batch / (one * b)
        print(f"{label:38} {rate:8.2f} {rate * batch:11.0f} {ratio:13.2f} {ratio / 2:11.2f}")
    print(
        "efficiency = examples/s of the workers / (workers × examples/s of one process); "
        "workers sharing one machine's cores can reach at most 1 / workers"
    )


if __name__ == "__main__":
    main()
