"""Time to a visible window: the frozen app next to the checkout, cold and warm.

Run: ``python benchmarks/startup_frozen.py [--exe dist/GANStudio/ganstudio] [--runs 3]``

Each start is a new process under its own Xvfb (``packaging/xwindow.py``): the clock runs
from starting the process until X reports a viewable window titled "GAN Studio". *Cold*
is the first start after dropping the page cache (needs root; otherwise the first start
of this run, whose files may already be cached); *warm* is the median of ``--runs`` starts
right after it. Both programs use a fresh temporary ``GANSTUDIO_HOME`` (so both show the
first-start welcome). Prints seconds and the frozen/checkout ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

from xwindow import time_to_window, xvfb  # noqa: E402


def drop_page_cache() -> bool:
    """Empty the kernel's page cache (root only); True if it was dropped."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def measure(label: str, cmd: list[str], env: dict, runs: int) -> tuple[float, float]:
    with xvfb() as display:
        dropped = drop_page_cache()
        os.environ.update(env)
        cold = time_to_window(cmd, display, timeout=300)
        warm = [time_to_window(cmd, display, timeout=300) for _ in range(runs)]
    failed = [r for r in [cold, *warm] if "seconds_to_window" not in r]
    if failed:
        raise SystemExit(f"{label}: no window: {failed[0]}")
    cold_s = cold["seconds_to_window"]
    warm_s = statistics.median(r["seconds_to_window"] for r in warm)
    kind = "cold (page cache dropped)" if dropped else "first start (cache not dropped)"
    print(f"{label:10} {kind:32} {cold_s:6.2f} s   warm median of {runs}: {warm_s:6.2f} s")
    return cold_s, warm_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exe", type=Path, default=ROOT / "dist" / "GANStudio" / "ganstudio")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.exe.is_file():
        raise SystemExit(f"no frozen app at {args.exe}: run packaging/build.sh first")
    with tempfile.TemporaryDirectory() as home:
        base = {"GANSTUDIO_HOME": home, "TF_CPP_MIN_LOG_LEVEL": "2"}
        checkout = measure(
            "checkout",
            [sys.executable, "-m", "ganstudio"],
            {**base, "PYTHONPATH": str(ROOT)},
            args.runs,
        )
        os.environ.pop("PYTHONPATH", None)
        frozen = measure("frozen", [str(args.exe.resolve())], base, args.runs)
    print(
        f"frozen / checkout: cold {frozen[0] / checkout[0]:.2f}x, "
        f"warm {frozen[1] / checkout[1]:.2f}x"
    )


if __name__ == "__main__":
    main()
