"""Health warnings: what the metrics say is going wrong, and what to try.

:class:`HealthMonitor` is fed the run's numbers as they come (plain floats, on the training
thread) and returns :class:`~ganstudio.core.events.HealthWarning` events. Each kind of
warning is given once, and again only after its condition has cleared:

- ``collapse``: recall or coverage (or, on 2-D sets, the modes covered) fell to half its
  best, or the fixed-noise samples lost half their diversity (mean pairwise distance);
- ``discriminator``: D(x) near 1 and D(G(z)) near 0 for a long stretch of steps;
- ``diverging``: the chosen metric worsened three evaluations in a row, to well past its best;
- ``oscillating``: the chosen metric swung up and down over the last evaluations.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ganstudio.core.events import HealthWarning
from ganstudio.core.metrics.measures import DEFAULT_BEST, metric_label

D_HIGH, D_LOW = 0.9, 0.1  # D(x) above, D(G(z)) below: the discriminator is winning
FALL = 0.5  # a collapse: a coverage measure fell to this share of its best
WORSE = 1.5  # diverging: the metric is this factor past its best (for lower-is-better)
SWINGS = 6  # oscillating: this many evaluations alternating up and down ...
SWING_SIZE = 0.2  # ... by at least this share of their mean

ADVICE = {
    "collapse": "Try a lower learning rate, a larger batch, another loss (hinge, or "
    "wgan-gp), or --augment diffaugment on small data; the best checkpoint is kept.",
    "discriminator": "The generator gets little gradient. Try a lower discriminator "
    "learning rate (or a higher generator one), --augment diffaugment on small data, or "
    "the hinge or Wasserstein loss.",
    "diverging": "Try lower learning rates or fewer steps; sample from the best checkpoint "
    "(ganstudio sample RUN --best).",
    "oscillating": "Try lower learning rates or a larger batch; the best checkpoint keeps "
    "the good moments.",
}


@dataclass
class HealthMonitor:
    """Turns metric series into warnings (one thread). ``probabilities`` says D's reported
    outputs are probabilities (logit losses); ``patience`` is how many steps the
    discriminator must keep winning before it is reported."""

    probabilities: bool = True
    patience: int = 200
    primary: str = DEFAULT_BEST
    higher_is_better: bool = False
    _active: set[str] = field(default_factory=set)
    _winning_since: int | None = None
    _peaks: dict[str, tuple[float, int]] = field(default_factory=dict)
    _history: list[tuple[int, float]] = field(default_factory=list)
    _collapsing: dict[str, bool] = field(default_factory=dict)  # per source: noise | eval

    def _raise(self, kind: str, step: int, seen: str, on: bool) -> list[HealthWarning]:
        if not on:
            self._active.discard(kind)
            return []
        if kind in self._active:
            return []
        self._active.add(kind)
        return [HealthWarning(step, kind, f"{seen} {ADVICE[kind]}")]

    def train(self, step: int, d_real: float, d_fake: float) -> list[HealthWarning]:
        """Mean D outputs of a logged step."""
        if not self.probabilities:
            return []
        if d_real > D_HIGH and d_fake < D_LOW:
            self._winning_since = step if self._winning_since is None else self._winning_since
        else:
            self._winning_since = None
        since = self._winning_since
        on = since is not None and step - since >= self.patience
        seen = (
            f"The discriminator is winning: D(x) = {d_real:.2f} and D(G(z)) = {d_fake:.2f} "
            f"since step {since}."
        )
        return self._raise("discriminator", step, seen, on)

    def _fell(self, key: str, step: int, value: float, floor: float) -> str | None:
        """Track the best of ``key``; describe a fall to under half of it, else None."""
        peak, at = self._peaks.get(key, (value, step))
        if value >= peak:
            self._peaks[key] = (value, step)
            return None
        if peak >= floor and value < FALL * peak:
            return f"{metric_label(key)} fell from {peak:.3g} (step {at}) to {value:.3g}"
        return None

    def fixed_noise(self, step: int, diversity: float) -> list[HealthWarning]:
        """Mean pairwise distance of the fixed-noise samples at a sample grid."""
        fall = self._fell("mean pairwise distance", step, diversity, 1e-6)
        seen = f"Mode collapse? The fixed-noise samples look alike: their {fall}." if fall else ""
        return self._raise("collapse", step, seen, fall is not None)

    def evaluation(self, step: int, record: dict[str, Any]) -> list[HealthWarning]:
        """A metric record of :class:`~ganstudio.core.metrics.evaluate.Evaluator`."""
        out: list[HealthWarning] = []
        falls = [
            fall
            for key in ("recall", "coverage", "modes_covered")
            if record.get(key) is not None
            and (
                fall := self._fell(
                    key, step, float(record[key]), 0.2 if key != "modes_covered" else 2
                )
            )
        ]
        seen = f"Mode collapse? {'; '.join(falls)}." if falls else ""
        if falls or "fixed-noise diversity" not in str(self._active):
            out += self._raise("collapse", step, seen, bool(falls))
        value = record.get(self.primary)
        if value is None:
            return out
        self._history.append((step, float(value)))
        return out + self._trend(step)

    def _trend(self, step: int) -> list[HealthWarning]:
        sign = 1.0 if self.higher_is_better else -1.0
        values = [v for _, v in self._history]
        best_step, best = max(self._history, key=lambda sv: sign * sv[1])
        name = metric_label(self.primary)
        last = values[-4:]
        worse = len(last) == 4 and all(sign * (b - a) < 0 for a, b in itertools.pairwise(last))
        far = (values[-1] > WORSE * best) if sign < 0 else (values[-1] < best / WORSE)
        diverging = worse and far
        seen = (
            f"The {name} worsened three evaluations in a row, from {best:.3g} at its best "
            f"(step {best_step}) to {values[-1]:.3g}."
        )
        out = self._raise("diverging", step, seen, diverging)
        swing = values[-SWINGS:]
        diffs = [b - a for a, b in itertools.pairwise(swing)]
        mean = sum(abs(v) for v in swing) / max(len(swing), 1)
        oscillating = (
            len(swing) == SWINGS
            and all(d1 * d2 < 0 for d1, d2 in itertools.pairwise(diffs))
            and min(abs(d) for d in diffs) >= SWING_SIZE * mean
        )
        seen = (
            f"The {name} swings up and down: "
            + ", ".join(f"{v:.3g}" for v in swing)
            + " over the last evaluations."
        )
        return out + self._raise("oscillating", step, seen, oscillating and not diverging)
