"""Exports from the latent explorer: PNG strips, GIF animations, N images to a folder.

Also turns generator outputs into displayable images (2-D points become a small plot).
No Qt; file writes are atomic (``ganstudio.core.imaging``). Writing N samples to a
folder is :func:`ganstudio.core.latent.sampling.write_samples`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core import imaging
from ganstudio.core.kinds import kind_of
from ganstudio.core.latent.space import LatentError

POINT_CANVAS = 64


def points_bounds(points: np.ndarray, margin: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """A square-ish (lo, hi) box around (n, 2) points in data coordinates, with a margin."""
    pts = np.asarray(points, np.float32).reshape(-1, 2)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1e-3)
    return lo - margin * span, hi + margin * span


def _normalize(points: np.ndarray, bounds: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    pts = np.asarray(points, np.float32).reshape(-1, 2)
    if bounds is None:
        return np.clip(pts, 0.0, 1.0)
    lo, hi = (np.asarray(b, np.float32) for b in bounds)
    return np.clip((pts - lo) / np.maximum(hi - lo, 1e-6), 0.0, 1.0)


def render_points(
    points: np.ndarray,
    size: int = POINT_CANVAS,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
    context: np.ndarray | None = None,
) -> np.ndarray:
    """Draw each (x, y) point as a 3x3 dot on its own (size, size, 1) canvas.

    Data coordinates are mapped from ``bounds`` (lo, hi) to the canvas (without bounds
    they are taken to lie in [0, 1]); y grows upward. ``context`` points (e.g. the
    whole map's outputs) are drawn dim behind each dot, to show where it lies.
    """
    pts = _normalize(points, bounds)
    base = np.zeros((size, size, 1), np.float32)
    if context is not None:
        ctx = _normalize(context, bounds)
        base[_rows(ctx, size), _cols(ctx, size), 0] = 0.35
    out = np.repeat(base[None], len(pts), axis=0)
    for i, (r, c) in enumerate(zip(_rows(pts, size), _cols(pts, size), strict=True)):
        out[i, max(r - 1, 0) : r + 2, max(c - 1, 0) : c + 2, 0] = 1.0
    return out


def _rows(pts: np.ndarray, size: int) -> np.ndarray:
    return np.rint((1.0 - pts[:, 1]) * (size - 1)).astype(int)


def _cols(pts: np.ndarray, size: int) -> np.ndarray:
    return np.rint(pts[:, 0] * (size - 1)).astype(int)


def points_as_colors(
    points: np.ndarray, bounds: tuple[np.ndarray, np.ndarray] | None = None
) -> np.ndarray:
    """One (1, 1, 3) colour tile per point: red = x, green = y (for a latent map)."""
    pts = _normalize(points, bounds)
    rgb = np.stack([pts[:, 0], pts[:, 1], np.full(len(pts), 0.5, np.float32)], axis=1)
    return rgb[:, None, None, :]


def as_images(outputs: np.ndarray, kind: str, **point_options: Any) -> np.ndarray:
    """Generator outputs as (n, h, w, c) float images in [0, 1] for display and export.

    Points are drawn with :func:`render_points` (``point_options``: bounds, context).
    """
    arr = np.asarray(outputs, np.float32)
    entry = kind_of(kind)
    if entry.plane:
        return render_points(arr, **point_options)
    try:
        return entry.tiles(arr)
    except ValueError as exc:
        raise LatentError(str(exc)) from exc


def strip_image(frames: np.ndarray, pad: int = 1) -> np.ndarray:
    """All frames side by side in one row (H, W, c)."""
    frames = np.asarray(frames, np.float32)
    if len(frames) == 0:
        raise LatentError("there are no frames to export; interpolate first")
    return imaging.tile_grid(frames, cols=len(frames), pad=pad)


def save_strip_png(frames: np.ndarray, path: str | Path, scale: int = 1) -> Path:
    """Save the frames as one horizontal PNG strip."""
    return imaging.save_png(strip_image(frames), path, scale=scale)


def save_animation_gif(
    frames: np.ndarray, path: str | Path, fps: float = 12.0, scale: int = 2, bounce: bool = False
) -> Path:
    """Save the frames as a looping GIF (``bounce`` plays them forward then backward)."""
    frames = np.asarray(frames, np.float32)
    if len(frames) == 0:
        raise LatentError("there are no frames to export; interpolate first")
    seq = list(frames) + (list(frames[-2:0:-1]) if bounce else [])
    return imaging.save_gif(seq, path, fps=fps, scale=scale)
