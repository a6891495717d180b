"""Which step is the best: keeps the run's best checkpoint up to date as evaluations arrive.

The best checkpoint's files and their keys belong to :mod:`ganstudio.core.checkpoints`;
they are never pruned with the last-K checkpoints. The best generator is also exported to
``generator/best/`` for the explorer and ``sample --best``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.checkpoints import best_info, read_best, save_best


def is_better(value: float, best: dict[str, Any] | None, higher: bool) -> bool:
    """Whether ``value`` beats the recorded best (ties keep the earlier step)."""
    if best is None or best.get("value") is None:
        return True
    return value > best["value"] if higher else value < best["value"]


class BestKeeper:
    """Keeps the best checkpoint up to date as evaluations arrive (one thread: the metrics
    thread)."""

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
        info = best_info(self.metric, value, self.higher, self.extractor)
        save_best(self.dir, step, weights, info)
        self.best = {**info, "step": step}
        return True
