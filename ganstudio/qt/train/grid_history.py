"""Sample-grid history with bounded memory: the newest grids in memory, older ones on disk.

A :class:`Grid` is one sample grid tiled once into a uint8 image (plus, for audio, the
samples themselves, so a click on a tile can play it). :class:`GridHistory` knows every
step of a run but keeps at most ``keep`` grids in memory (least recently used first
out); the others are read back from the run folder with :func:`load_grid` when the
history slider goes there. :func:`make_grid`, :func:`load_grid` and :func:`write_gif`
do the tiling and file work: call them on a worker thread (a training thread or a
:class:`~ganstudio.qt.common.jobs.JobRunner`), never on the GUI thread. Everything here
is plain data; no Qt.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganstudio.core.imaging import grid_shape, save_gif, tile_grid, to_uint8
from ganstudio.core.rundir import RunDir
from ganstudio.core.vocoder.live import read_sounds
from ganstudio.qt.kinds import GRID_VIEW, kind_view, tiles_of

KEEP_GRIDS = 32  # tiled grids kept in memory; a 64-sample 28x28 grid is about 55 kB


@dataclass(frozen=True)
class Grid:
    """One tiled grid: ``tile`` (H, W, 1|3) uint8; ``samples`` (float16) for audio grids."""

    step: int
    tile: np.ndarray
    samples: np.ndarray | None = None
    cols: int = 0  # tiles per row (needed to find the sample under a click)
    sounds: dict | None = None  # a vocoder run's view: original, resynth, sample_rate


def grid_to_uint8(images: np.ndarray, cols: int | None = None) -> np.ndarray:
    """Tile (n, h, w, c) float images in [0, 1] into one (H, W, 1|3) uint8 image."""
    images = np.asarray(images, dtype=np.float32)
    # (h, w, c) is a single, already tiled image
    tiled = images if images.ndim == 3 else tile_grid(images, cols=cols, pad=1, pad_value=0.5)
    if tiled.shape[-1] not in (1, 3):
        tiled = tiled[..., :1]
    return np.ascontiguousarray(to_uint8(tiled))


def make_grid(
    step: int,
    images: np.ndarray,
    cols: int | None = None,
    keep_samples: bool = False,
    sounds: dict | None = None,
) -> Grid:
    """Tile ``images`` (worker thread); ``keep_samples`` keeps audio samples for playback;
    ``sounds`` are a vocoder view's sounds, played by clicking a tile's halves."""
    samples = None
    n_cols = 0
    if np.ndim(images) == 4:
        n_cols = cols or grid_shape(len(images))[1]
        if keep_samples or sounds:
            samples = np.asarray(images, np.float16)
    return Grid(int(step), grid_to_uint8(images, cols), samples, n_cols, sounds or None)


def sample_grid(
    step: int,
    samples: np.ndarray,
    kind: str | None,
    cols: int | None = None,
    extra: dict | None = None,
) -> Grid | None:
    """The tiled grid of samples of ``kind`` (worker thread), as the window's kind table
    says; None for a kind shown in the toy view. ``extra``: the event's extra data (a
    vocoder view's sounds)."""
    view = kind_view(kind, samples)
    if view.sample_view != GRID_VIEW:
        return None
    sounds = extra if view.view_sounds and extra and "resynth" in extra else None
    return make_grid(step, tiles_of(kind, samples), cols, view.keep_samples, sounds)


def load_grid(run: str, step: int, cols: int | None = None, kind: str | None = None) -> Grid:
    """Read the grid saved at ``step`` in run folder ``run`` and tile it (worker thread),
    with the sounds a vocoder run saved with that view."""
    sounds = None
    if kind_view(kind).view_sounds:
        sounds = read_sounds(run, step)
    grid = sample_grid(step, RunDir(run).load_samples(step), kind, cols, sounds)
    if grid is None:
        raise ValueError(f"the samples at step {step} are not shown as a grid")
    return grid


def write_gif(
    path: str,
    steps: Sequence[int],
    cached: dict[int, np.ndarray],
    run: str | None,
    cols: int | None,
    fps: float,
    scale: int,
) -> str:
    """Write the grids at ``steps`` as an animated GIF (worker thread): tiles from
    ``cached`` (step -> tile), the others read from ``run``. Unreadable grids are skipped."""
    frames = []
    for step in steps:
        tile = cached.get(step)
        if tile is None and run:
            try:
                tile = load_grid(run, step, cols).tile
            except (OSError, ValueError):
                continue
        if tile is not None:
            frames.append(tile.astype(np.float32) / 255.0)
    if not frames:
        raise ValueError("none of the sample grids could be read for the animation")
    sizes = {f.shape for f in frames}
    if len(sizes) > 1:  # e.g. a resumed run with another sample count: keep the newest size
        frames = [f for f in frames if f.shape == frames[-1].shape]
    return str(save_gif(frames, Path(path), fps=fps, scale=scale))


class GridHistory:
    """Every step of a run, and at most ``keep`` of its grids in memory (GUI thread)."""

    def __init__(self, keep: int = KEEP_GRIDS) -> None:
        self.keep = max(1, keep)
        self.steps: list[int] = []
        self._grids: OrderedDict[int, Grid] = OrderedDict()

    def __len__(self) -> int:
        return len(self.steps)

    def clear(self) -> None:
        self.steps.clear()
        self._grids.clear()

    def set_steps(self, steps: Sequence[int]) -> None:
        """Steps known from a run folder (their grids are read when needed)."""
        self.steps = sorted({int(s) for s in steps} | set(self.steps))

    def add(self, grid: Grid) -> tuple[int, bool]:
        """Keep ``grid``; returns (its index, True if its step is new)."""
        new = grid.step not in self.steps
        if new:
            bisect.insort(self.steps, grid.step)
        self.put(grid)
        return self.steps.index(grid.step), new

    def put(self, grid: Grid) -> None:
        """Cache a grid (newly made or read back), dropping the least recently used."""
        self._grids[grid.step] = grid
        self._grids.move_to_end(grid.step)
        while len(self._grids) > self.keep:
            self._grids.popitem(last=False)

    def get(self, index: int) -> Grid | None:
        """The grid at ``index`` if it is in memory (marks it recently used)."""
        if not 0 <= index < len(self.steps):
            return None
        grid = self._grids.get(self.steps[index])
        if grid is not None:
            self._grids.move_to_end(grid.step)
        return grid

    def cached(self) -> dict[int, np.ndarray]:
        """step -> tile of the grids in memory."""
        return {step: g.tile for step, g in self._grids.items()}

    @property
    def in_memory(self) -> int:
        return len(self._grids)
