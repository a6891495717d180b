"""The best checkpoint: the generator at the step with the best quality metric so far.

``checkpoints/best.npz`` holds the generator's weights (``g/0000`` …, as in every
checkpoint) and ``checkpoints/best.json`` says which step, metric, value and extractor.
Both are written atomically and are never pruned with the last-K checkpoints; the best
generator is also exported to ``generator/best/`` for the explorer and ``sample --best``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes

BEST_WEIGHTS = "best.npz"
BEST_INFO = "best.json"


def read_best(checkpoints_dir: str | Path) -> dict[str, Any] | None:
    """The best checkpoint's description, or None if the run has none (yet)."""
    path = Path(checkpoints_dir) / BEST_INFO
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not (Path(checkpoints_dir) / BEST_WEIGHTS).is_file():
        return None
    return info


def is_better(value: float, best: dict[str, Any] | None, higher: bool) -> bool:
    """Whether ``value`` beats the recorded best (ties keep the earlier step)."""
    if best is None or best.get("value") is None:
        return True
    return value > best["value"] if higher else value < best["value"]


def save_best(
    checkpoints_dir: str | Path, step: int, weights: list[np.ndarray], info: dict[str, Any]
) -> Path:
    """Write ``best.npz`` (the generator's ``weights`` at ``step``), then ``best.json``."""
    directory = Path(checkpoints_dir)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {"step": np.asarray(step, np.int64)}
    arrays.update({f"g/{i:04d}": np.asarray(w) for i, w in enumerate(weights)})
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path = directory / BEST_WEIGHTS
    atomic_write_bytes(path, buf.getvalue())
    text = json.dumps({**info, "step": int(step)}, indent=2) + "\n"
    atomic_write_bytes(directory / BEST_INFO, text.encode())
    return path


class BestKeeper:
    """Keeps ``best.npz`` up to date as evaluations arrive (one thread: the metrics thread)."""

    def __init__(self, checkpoints_dir: str | Path, metric: str, higher: bool, extractor: str):
        self.dir = Path(checkpoints_dir)
        self.metric, self.higher, self.extractor = metric, higher, extractor
        best = read_best(self.dir)
        same = best is not None and (best.get("metric"), best.get("extractor")) == (
            metric,
            extractor,
        )
        self.best = best if same else None

    def consider(self, step: int, record: dict[str, Any], weights: list[np.ndarray]) -> bool:
        """Save ``weights`` as the best if ``record``'s metric beats the best; True if saved."""
        value = record.get(self.metric)
        if value is None or not np.isfinite(value) or not is_better(value, self.best, self.higher):
            return False
        info = {
            "metric": self.metric,
            "value": value,
            "higher_is_better": self.higher,
            "extractor": self.extractor,
        }
        save_best(self.dir, step, weights, info)
        self.best = {**info, "step": step}
        return True
