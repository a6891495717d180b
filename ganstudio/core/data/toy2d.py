"""2-D toy distributions that show mode collapse: a ring of 8 Gaussians, a 5×5 grid of
Gaussians and a spiral, with a "modes covered" measure for generated points.

Points are float32 (N, 2) in data coordinates, roughly within [-2, 2]. Pure functions;
safe from any thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganstudio.core.data.dataset import DataError, Dataset

DEFAULT_COUNT = 20_000
SHAPES = ("ring", "grid", "spiral")


@dataclass(frozen=True)
class ToyShape:
    """Mode centres (k, 2), the per-mode noise scale, and the radius that counts a hit.

    The spiral has no separate modes: its "modes" are 12 stretches of equal length along
    the curve (``centres`` are their midpoints), and a point is a hit for the stretch
    whose part of the curve lies within ``radius`` of it.
    """

    name: str
    centres: np.ndarray
    std: float
    radius: float
    labelled: bool


def toy_shape(name: str) -> ToyShape:
    """The geometry of ``ring``, ``grid`` or ``spiral``."""
    if name == "ring":
        angles = np.arange(8) * (2 * np.pi / 8)
        centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        return ToyShape(name, centres, 0.02, 3 * 0.02, True)
    if name == "grid":
        ticks = np.linspace(-2.0, 2.0, 5)
        centres = np.array([(a, b) for a in ticks for b in ticks])
        return ToyShape(name, centres, 0.05, 3 * 0.05, True)
    if name == "spiral":
        t = _spiral_param((np.arange(SPIRAL_STRETCHES) + 0.5) / SPIRAL_STRETCHES)
        return ToyShape(name, _spiral_xy(t), 0.05, 3 * 0.05, False)
    raise DataError(f"unknown toy set {name!r}; choose one of: " + ", ".join(SHAPES))


_TURNS = 1.75
SPIRAL_STRETCHES = 12


def _spiral_param(u: np.ndarray) -> np.ndarray:
    """Map u in [0, 1] to the curve parameter so that arc length grows about evenly."""
    return np.sqrt(0.04 + 0.96 * u)


def _spiral_xy(t: np.ndarray) -> np.ndarray:
    """An Archimedean spiral: radius 2·t at angle 2π·turns·t."""
    angle = 2 * np.pi * _TURNS * t
    return np.stack([2.0 * t * np.cos(angle), 2.0 * t * np.sin(angle)], axis=1)


def sample_toy(name: str, count: int = DEFAULT_COUNT, seed: int = 0) -> Dataset:
    """Draw ``count`` points from the toy set ``name``; deterministic for ``seed``."""
    if count < 1:
        raise DataError(f"a toy set needs at least 1 point, not {count}")
    shape = toy_shape(name)
    rng = np.random.default_rng(seed)
    if shape.labelled:
        y = rng.integers(0, len(shape.centres), count)
        x = shape.centres[y] + rng.normal(0.0, shape.std, (count, 2))
        labels = y.astype(np.int32)
        class_names = [f"mode {i}" for i in range(len(shape.centres))]
    else:
        x = _spiral_xy(_spiral_param(rng.uniform(0.0, 1.0, count)))
        x = x + rng.normal(0.0, shape.std, (count, 2))
        labels, class_names = None, []
    meta = {
        "source": f"2-D toy set: {name}",
        "modes": shape.centres.round(6).tolist(),
        "mode_std": shape.std,
        "mode_radius": shape.radius,
    }
    return Dataset(
        name=f"toy:{name}",
        kind="points",
        x=x.astype(np.float32),
        y=labels,
        class_names=class_names,
        meta=meta,
    )


def _nearest_mode(pts: np.ndarray, shape: ToyShape) -> tuple[np.ndarray, np.ndarray]:
    """(index of the nearest mode, distance to it) for each point, in chunks."""
    if shape.labelled:
        anchors, owner = shape.centres, np.arange(len(shape.centres))
    else:  # a dense polyline along the spiral, each vertex owned by its stretch
        u = np.linspace(0.0, 1.0, 720)  # vertices ~0.015 apart
        anchors = _spiral_xy(_spiral_param(u))
        owner = np.minimum((u * SPIRAL_STRETCHES).astype(int), SPIRAL_STRETCHES - 1)
    index = np.empty(len(pts), np.int64)
    dist = np.empty(len(pts))
    for start in range(0, len(pts), 2048):
        chunk = pts[start : start + 2048]
        d2 = (chunk**2).sum(1)[:, None] - 2.0 * chunk @ anchors.T + (anchors**2).sum(1)[None]
        j = d2.argmin(axis=1)
        index[start : start + 2048] = owner[j]
        dist[start : start + 2048] = d2[np.arange(len(chunk)), j]
    return index, np.sqrt(np.maximum(dist, 0.0))


def mode_hits(points: np.ndarray, name: str) -> tuple[np.ndarray, int]:
    """Points near each mode (within its radius) and the number of points near none."""
    shape = toy_shape(name.removeprefix("toy:"))
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    finite = np.isfinite(pts).all(axis=1)
    index, dist = _nearest_mode(pts[finite], shape)
    close = dist <= shape.radius
    counts = np.bincount(index[close], minlength=len(shape.centres))
    return counts, int((~close).sum() + (~finite).sum())


def mode_coverage(points: np.ndarray, spec: str, min_share: float = 0.2) -> tuple[int, int]:
    """(modes covered, modes in total) for generated ``points`` of toy set ``spec``.

    A mode counts as covered when at least ``min_share`` of its fair share of the points
    (n / modes) lie within its radius (3 standard deviations of the data's noise) — the
    usual measure in the mode-collapse literature (e.g. VEEGAN, PacGAN).
    """
    counts, _ = mode_hits(points, spec)
    total = len(counts)
    n = len(np.asarray(points).reshape(-1, 2))
    if n == 0:
        return 0, total
    needed = max(1.0, min_share * n / total)
    return int((counts >= needed).sum()), total


def high_quality_share(points: np.ndarray, spec: str) -> float:
    """Share of ``points`` that lie within the radius of some mode."""
    counts, _ = mode_hits(points, spec)
    n = len(np.asarray(points).reshape(-1, 2))
    return float(counts.sum()) / n if n else 0.0
