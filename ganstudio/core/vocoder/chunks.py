"""Long inputs in overlapping windows, joined by crossfades: any length through a model
that takes a fixed number of frames (or should, to keep memory and graph shapes fixed).

A sound of ``n_frames`` frames is cut into cores of ``core`` frames. Window ``k`` holds
its core plus ``context`` frames on each side (the ends are padded with a ``fill``
value), so every window has ``core + 2 * context`` frames. The model's output for window
``k`` starts at sample ``(k * core - context) * hop``. Neighbouring windows overlap by
``2 * context`` frames; in the middle ``context`` frames of that overlap the output of one
window fades out (cos²) while the next fades in (sin²), weights summing to one. Edge
effects of a convolutional model stay in the outer ``context / 2`` frames of a window,
which get no weight, so for a model whose receptive field is under ``context / 2``
frames the joined output equals the unchunked one up to rounding (no seams).
Pure NumPy; thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ganstudio.core.control import Cancelled


@dataclass(frozen=True)
class WindowPlan:
    """Where the windows of one input lie (see the module docstring)."""

    n_frames: int
    core: int
    context: int
    hop: int

    def __post_init__(self) -> None:
        if self.core < 1 or self.context < 1 or self.hop < 1 or self.n_frames < 1:
            raise ValueError(f"invalid window plan {self}")
        if self.core < self.context:
            raise ValueError("a window's core must be at least as long as its context")

    @property
    def window(self) -> int:
        return self.core + 2 * self.context

    @property
    def count(self) -> int:
        return -(-self.n_frames // self.core)

    @property
    def fade(self) -> int:
        """Crossfade length in samples."""
        return self.context * self.hop

    def padded(self, frames: np.ndarray, fill: float) -> np.ndarray:
        """``frames`` (n_frames, ...) with ``context`` fill frames before and enough after."""
        after = self.count * self.core + self.context - self.n_frames
        pad = [(self.context, after)] + [(0, 0)] * (frames.ndim - 1)
        return np.pad(frames, pad, constant_values=fill)

    def windows(self, frames: np.ndarray, fill: float) -> np.ndarray:
        """All windows ``(count, window, ...)`` of ``frames`` (n_frames, ...)."""
        padded = self.padded(frames, fill)
        starts = range(0, self.count * self.core, self.core)
        return np.stack([padded[s : s + self.window] for s in starts])

    def weights(self, k: int, length: int) -> np.ndarray:
        """Crossfade weights of window ``k``'s output of ``length`` samples."""
        t = (k * self.core - self.context) * self.hop + np.arange(length, dtype=np.float64)
        w = np.ones(length)
        half = self.fade / 2.0
        if k > 0:
            start = k * self.core * self.hop - half
            w *= np.sin(0.5 * np.pi * np.clip((t - start) / self.fade, 0.0, 1.0)) ** 2
        if k < self.count - 1:
            start = (k + 1) * self.core * self.hop - half
            w *= np.cos(0.5 * np.pi * np.clip((t - start) / self.fade, 0.0, 1.0)) ** 2
        return w


def join(plan: WindowPlan, outputs: list[np.ndarray], n_samples: int) -> np.ndarray:
    """Crossfade the windows' outputs (each ``(length,)``) into one ``(n_samples,)`` sound."""
    out = np.zeros(n_samples, np.float64)
    for k, y in enumerate(outputs):
        y = np.asarray(y, np.float64).reshape(-1)
        offset = (k * plan.core - plan.context) * plan.hop
        lo, hi = max(offset, 0), min(offset + len(y), n_samples)
        if hi <= lo:
            continue
        w = plan.weights(k, len(y))
        out[lo:hi] += (y * w)[lo - offset : hi - offset]
    return out.astype(np.float32)


def render_windows(
    plan: WindowPlan,
    frames: np.ndarray,
    render: Callable[[np.ndarray], np.ndarray],
    *,
    fill: float,
    batch: int,
    n_samples: int,
    progress: Callable[[tuple[int, int]], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> np.ndarray:
    """Run ``render`` on ``batch`` windows at a time (the last batch padded with ``fill``
    windows, so every call has the same shape) and join the outputs. Reports
    ``(windows done, total)``; raises :class:`Cancelled` when ``cancelled()`` turns true
    between batches."""
    windows = plan.windows(frames, fill)
    outputs: list[np.ndarray] = []
    for start in range(0, plan.count, batch):
        if cancelled is not None and cancelled():
            raise Cancelled("cancelled")
        part = windows[start : start + batch]
        if len(part) < batch:
            extra = np.full((batch - len(part), *part.shape[1:]), fill, part.dtype)
            part = np.concatenate([part, extra])
        used = min(batch, plan.count - start)
        outputs.extend(np.asarray(render(part))[:used].reshape(used, -1))
        if progress is not None:
            progress((len(outputs), plan.count))
    return join(plan, outputs, n_samples)
