"""Evaluation records gathered into curves, one per (extractor, metric) (plain NumPy).

Numbers of different extractors are kept apart: a curve is always one extractor's.
Records written by ``ganstudio eval`` (``source``) measure a chosen checkpoint after the
fact and are not part of the training curve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ganstudio.core.metrics.extractors import extractor_label, primary_metric
from ganstudio.core.metrics.measures import metric_label, metric_names


def is_eval_record(record: Mapping[str, Any]) -> bool:
    return record.get("type") == "eval" and "source" not in record and "extractor" in record


def eval_record(event: Any) -> dict[str, Any]:
    """An :class:`~ganstudio.core.events.EvalMetrics` event as a metrics.jsonl record."""
    return {
        "type": "eval",
        "step": event.step,
        "extractor": event.extractor,
        **event.values,
        "best": event.best,
    }


class EvalSeries:
    """Training evaluations by extractor: steps, times and every numeric metric."""

    def __init__(self) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {}

    def clear(self) -> None:
        self.records.clear()

    def extend(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Add the training-evaluation records among ``records``; return how many."""
        count = 0
        for r in records:
            if is_eval_record(r):
                rows = self.records.setdefault(str(r["extractor"]), [])
                rows[:] = [x for x in rows if x["step"] != r["step"]] + [dict(r)]
                rows.sort(key=lambda x: x["step"])
                count += 1
        return count

    def truncate_after(self, step: int) -> None:
        for rows in self.records.values():
            rows[:] = [r for r in rows if r["step"] <= step]

    def curves(self) -> list[tuple[str, str, str]]:
        """(extractor, metric key, label) of every curve with data, primary metrics first."""
        out = []
        for extractor, rows in self.records.items():
            primary = primary_metric(extractor)[0]
            keys = [
                k for k in metric_names() if any(isinstance(r.get(k), (int, float)) for r in rows)
            ]
            keys.sort(key=lambda k: k != primary)
            out += [
                (extractor, k, f"{metric_label(k)} ({extractor_label(extractor)})") for k in keys
            ]
        return out

    def points(self, extractor: str, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Steps and values of one curve (NaN where a record lacks the metric)."""
        rows = self.records.get(extractor, [])
        steps = np.array([r["step"] for r in rows], np.float64)
        values = np.array([_number(r.get(key)) for r in rows], np.float64)
        return steps, values

    def times(self, extractor: str) -> np.ndarray:
        return np.array([_number(r.get("time")) for r in self.records.get(extractor, [])])

    def best_step(self, extractor: str) -> int | None:
        """The step that became the best checkpoint last (by the extractor's primary metric)."""
        best = [r["step"] for r in self.records.get(extractor, []) if r.get("best")]
        return int(best[-1]) if best else None


def _number(value: Any) -> float:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan
    )
