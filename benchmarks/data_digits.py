"""Time the built-in digit set: first generation, cached load, and other image sizes.

Run: ``python benchmarks/data_digits.py`` (uses a temporary GANSTUDIO_HOME, so the real
cache is untouched). Targets: first generation of the default set ≤ ~5 s, cached load
≤ 0.3 s on a small CPU.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<44s} {time.perf_counter() - start:6.2f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["GANSTUDIO_HOME"] = home
        from ganstudio.core.data import load_dataset

        ds = _timed("digits 28×28, first use (generate + cache)", lambda: load_dataset("digits"))
        print(f"  -> {ds.x.shape} {ds.x.dtype}, from cache: {ds.meta['from_cache']}")
        for i in range(3):
            ds = _timed(f"digits 28×28, cached load #{i + 1}", lambda: load_dataset("digits"))
        assert ds.meta["from_cache"]
        _timed(
            "digits 32×32 RGB, first use", lambda: load_dataset("digits", image_size=32, channels=3)
        )
        _timed("digits 64×64, first use", lambda: load_dataset("digits", image_size=64))
        cache = Path(home) / "cache"
        size = sum(p.stat().st_size for p in cache.iterdir()) / 1e6
        print(f"cache folder: {len(list(cache.iterdir()))} files, {size:.0f} MB")


if __name__ == "__main__":
    main()
