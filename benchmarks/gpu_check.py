"""GPU check: steps/s of the real engine for DCGAN at 64×64, batch 256, four ways.

Plain, mixed precision (float16 compute, loss scaling), XLA (``jit_compile`` on the step)
and MirroredStrategy on one GPU, each a full :class:`Trainer` run (metrics, final sample
grid, checkpoint and export included) on the built-in digits, timed between two log
points after a warm-up. Every loss must stay finite. Without a GPU it says so and runs
the same code paths at tiny sizes as a smoke test. Exits 1 if any variant fails.

    python benchmarks/gpu_check.py [--steps 100] [--warmup 20] [--batch 256]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganstudio.core.config import TrainConfig


def variants(device: str) -> list[tuple[str, dict]]:
    """One device each (``auto`` picks it on a GPU machine; named so that the CPU smoke
    run takes the same one-device path)."""
    one = {"strategy": "default", "devices": device}
    return [
        ("plain", one),
        ("mixed precision", {**one, "mixed_precision": True}),
        ("XLA", {**one, "xla": True}),
        (f"mirrored, {device}", {"strategy": "mirrored", "devices": device}),
    ]


def run_variant(values: dict, args: argparse.Namespace, root: Path) -> dict:
    """Train one variant; steps/s between the logs at ``warmup`` and ``warmup + steps``."""
    from ganstudio.core.trainer import Trainer

    marks: dict[int, float] = {}
    seen: dict = {"metrics": [], "notes": ()}

    def emit(event) -> None:
        name = type(event).__name__
        if name == "StepMetrics":
            marks[event.step] = time.perf_counter()
            seen["metrics"].append(event)
        elif name == "Started":
            seen["notes"] = event.notes

    config = TrainConfig(
        dataset=f"digits:{args.examples}",
        model="dcgan",
        image_size=args.size,
        batch_size=args.batch,
        latent_dim=64,
        steps=args.warmup + args.steps,
        log_every=args.log_every,
        sample_every=10**6,
        checkpoint_every=10**6,
        num_samples=16,
        tensorboard=False,
        **values,
    ).validate()
    final = Trainer(config, runs_root=root, emit=emit).run()
    if type(final).__name__ != "Finished":
        return {"ok": False, "why": final.message.splitlines()[0][:120], "notes": seen["notes"]}
    timed = [m for m in seen["metrics"] if m.step > args.warmup]
    losses = [(m.d_loss, m.g_loss) for m in seen["metrics"]]
    return {
        "ok": all(math.isfinite(v) for pair in losses for v in pair),
        "rate": args.steps / (marks[args.warmup + args.steps] - marks[args.warmup]),
        "wait": sum(m.data_wait_ms for m in timed) / max(1, len(timed)),
        "loss": losses[-1],
        "notes": seen["notes"],
        "why": "a loss is not finite",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()

    import tensorflow as tf

    from ganstudio.core.device import describe_device

    gpu = bool(tf.config.list_physical_devices("GPU"))
    args.size, args.examples, args.log_every = 64, 8192, 10
    if not gpu:
        print("no GPU visible: a CPU smoke run of the same code paths at tiny sizes")
        args.size, args.batch, args.warmup, args.steps = 28, 8, 2, 3
        args.examples, args.log_every = 512, 1
    print(
        f"GAN Studio GPU check on {describe_device()}: DCGAN {args.size}x{args.size}, "
        f"batch {args.batch}, {args.steps} timed steps after {args.warmup} warm-up steps",
        flush=True,
    )
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        for name, values in variants("GPU:0" if gpu else "CPU:0"):
            result = run_variant(values, args, Path(tmp))
            rows.append((name, result))
            failed |= not result["ok"]
            state = "ok" if result["ok"] else f"FAILED: {result['why']}"
            print(f"  {name}: {state}", flush=True)
    plain = rows[0][1].get("rate")
    print(f"\n{'variant':22} {'steps/s':>9} {'vs plain':>9} {'data wait':>10}  {'D / G loss':>15}")
    for name, r in rows:
        if "rate" not in r:
            print(f"{name:22} {'-':>9} {'-':>9} {'-':>10}  {'-':>15}  FAILED")
            continue
        ratio = f"{r['rate'] / plain:.2f}x" if plain else "-"
        loss = f"{r['loss'][0]:.3f} / {r['loss'][1]:.3f}"
        flag = "" if r["ok"] else "  NON-FINITE"
        print(f"{name:22} {r['rate']:9.2f} {ratio:>9} {r['wait']:7.2f} ms  {loss:>15}{flag}")
    for name, r in rows:
        for note in r["notes"]:
            print(f"note ({name}): {note}")
    print("FAILED" if failed else "all variants trained with finite losses")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
