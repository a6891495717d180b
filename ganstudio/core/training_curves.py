"""Growing metric series with EMA smoothing and downsampling for plots (plain NumPy, no Qt).

Appending is amortised O(1) per point; :meth:`MetricSeries.view` returns at most
``max_points`` points per curve (recent points exact, older ones averaged in buckets), so
plots over 100 000 steps stay fast.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from ganstudio.core.metrics_log import RESUMED

KEYS = ("d_loss", "g_loss", "d_real", "d_fake")


class MetricSeries:
    """Steps and the four GAN curves, with an exponential moving average kept alongside."""

    def __init__(self, smoothing: float = 0.9, capacity: int = 1024) -> None:
        if not 0.0 <= smoothing < 1.0:
            raise ValueError("smoothing must be in [0, 1)")
        self.smoothing = smoothing
        self._n = 0
        self._steps = np.empty(capacity, np.float64)
        self._raw = {k: np.empty(capacity, np.float64) for k in KEYS}
        self._ema = {k: np.empty(capacity, np.float64) for k in KEYS}
        self._last_ema: dict[str, float] = {}

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self._n = 0
        self._last_ema = {}

    def truncate_after(self, step: float) -> None:
        """Drop points beyond ``step`` (a resumed run repeats them from its checkpoint)."""
        self._n = int(np.searchsorted(self._steps[: self._n], step, side="right"))
        self._last_ema = {}
        if self._n:
            for k in KEYS:
                v = self._ema[k][self._n - 1]
                if np.isfinite(v):
                    self._last_ema[k] = float(v)

    @property
    def last_step(self) -> int:
        return int(self._steps[self._n - 1]) if self._n else 0

    def _grow(self, need: int) -> None:
        cap = len(self._steps)
        if need <= cap:
            return
        new_cap = max(need, cap * 2)
        self._steps = np.resize(self._steps, new_cap)
        for store in (self._raw, self._ema):
            for k in KEYS:
                store[k] = np.resize(store[k], new_cap)

    def append(self, step: float, values: Mapping[str, float]) -> None:
        """Add one point; missing or non-finite values are stored as NaN (gaps in the plot)."""
        self._grow(self._n + 1)
        i = self._n
        self._steps[i] = step
        a = self.smoothing
        for k in KEYS:
            v = values.get(k)
            v = float(v) if v is not None else math.nan
            self._raw[k][i] = v
            prev = self._last_ema.get(k)
            if math.isfinite(v):
                prev = v if prev is None else a * prev + (1.0 - a) * v
                self._last_ema[k] = prev
            self._ema[k][i] = prev if prev is not None else math.nan
        self._n += 1

    def extend(self, records: Iterable[object]) -> int:
        """Append StepMetrics events or metrics.jsonl dicts; return how many were applied.

        A resume marker from a metrics log (``{"resumed_from": step}``) drops the points
        past its step, as the resumed run logs them again. Only training records are
        plotted here: those of evaluations and warnings carry a ``type``.
        """
        count = 0
        for r in records:
            if isinstance(r, Mapping):
                if RESUMED in r:
                    self.truncate_after(r[RESUMED])
                elif "step" in r and r.get("type", "train") == "train":
                    self.append(r["step"], r)
                else:
                    continue
            else:
                self.append(r.step, {k: getattr(r, k, None) for k in KEYS})
            count += 1
        return count

    def arrays(self, smooth: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """All points (views into the internal buffers; do not modify)."""
        store = self._ema if smooth else self._raw
        return self._steps[: self._n], {k: store[k][: self._n] for k in KEYS}

    def view(
        self, max_points: int = 2000, smooth: bool = False
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """At most ``max_points`` points: the newest half exact, older points bucket-averaged."""
        x, ys = self.arrays(smooth)
        n = len(x)
        if n <= max_points:
            return x.copy(), {k: v.copy() for k, v in ys.items()}
        recent = max_points // 2
        old = n - recent
        buckets = max_points - recent
        size = math.ceil(old / buckets)
        usable = (old // size) * size  # whole buckets; the remainder joins the exact part

        def reduce(a: np.ndarray) -> np.ndarray:
            head = a[:usable].reshape(-1, size)
            finite = np.isfinite(head)
            count = finite.sum(axis=1)
            total = np.where(finite, head, 0.0).sum(axis=1)
            means = np.full(len(head), np.nan)
            np.divide(total, count, out=means, where=count > 0)
            return np.concatenate([means, a[usable:]])

        return reduce(x), {k: reduce(v) for k, v in ys.items()}
