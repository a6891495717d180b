"""Latent-space arithmetic for the explorer (no Qt, no TensorFlow).

Sampling with a seed, truncation toward the mean, linear and spherical interpolation,
paths through two or more keyframes, and latent grids over a plane spanned by two
directions. Every function is pure NumPy and safe to call from any thread.

Generators follow the ``LoadedGenerator`` interface: ``latent_dim``, ``num_classes``,
``class_names``, ``kind`` (images|points|audio), ``output_shape`` and
``generate(z, labels=None) -> float32 in [0, 1]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MODES = ("linear", "spherical")
#: truncation ψ runs from 0 (every latent on the mean) over 1 (as drawn) to this
TRUNCATION_MAX = 2.0


class LatentError(ValueError):
    """A latent request is invalid; the message says what and why."""


def sample_latents(
    n: int,
    latent_dim: int,
    seed: int,
    truncation: float = 1.0,
    mean: np.ndarray | None = None,
) -> np.ndarray:
    """``n`` standard-normal latents from ``seed``, truncated toward ``mean`` (float32)."""
    if n < 1 or latent_dim < 1:
        raise LatentError(f"need n >= 1 and latent_dim >= 1, got n={n}, latent_dim={latent_dim}")
    rng = np.random.default_rng(int(seed))
    z = rng.standard_normal((n, latent_dim)).astype(np.float32)
    return truncate(z, truncation, mean)


def truncate(z: np.ndarray, psi: float, mean: np.ndarray | None = None) -> np.ndarray:
    """Scale latents toward ``mean`` (the prior mean, zero, by default): mean + psi * (z - mean).

    ``psi`` = 1 leaves ``z`` unchanged, 0 collapses every latent onto the mean.
    """
    if not 0.0 <= float(psi) <= TRUNCATION_MAX:
        raise LatentError(f"truncation must lie in [0, {TRUNCATION_MAX:g}], not {psi}")
    z = np.asarray(z, dtype=np.float32)
    if mean is None:
        return (z * np.float32(psi)).astype(np.float32)
    mean = np.asarray(mean, dtype=np.float32)
    return (mean + np.float32(psi) * (z - mean)).astype(np.float32)


def lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Linear interpolation; ``t`` of shape (n,) gives (n, d) rows from a (t=0) to b (t=1)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = np.asarray(t, np.float64)[..., None]
    return ((1.0 - t) * a + t * b).astype(np.float32)


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Spherical interpolation along the great circle between ``a`` and ``b``.

    The norm is interpolated linearly, so endpoints are reproduced exactly even when
    the two latents have different lengths. Nearly parallel latents fall back to lerp.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = np.asarray(t, np.float64)[..., None]
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na < 1e-12 or nb < 1e-12:
        return lerp(a, b, t[..., 0])
    ua, ub = a / na, b / nb
    omega = np.arccos(np.clip(np.dot(ua, ub), -1.0, 1.0))
    if omega < 1e-6 or abs(np.pi - omega) < 1e-6:
        return lerp(a, b, t[..., 0])
    so = np.sin(omega)
    direction = (np.sin((1.0 - t) * omega) * ua + np.sin(t * omega) * ub) / so
    out = direction * ((1.0 - t) * na + t * nb)
    out = np.where(t == 0.0, a, np.where(t == 1.0, b, out))
    return out.astype(np.float32)


def interpolate(a: np.ndarray, b: np.ndarray, t: np.ndarray | float, mode: str) -> np.ndarray:
    """Interpolate with ``mode`` 'linear' or 'spherical'."""
    if mode == "linear":
        return lerp(a, b, t)
    if mode == "spherical":
        return slerp(a, b, t)
    raise LatentError(f"interpolation mode must be one of {', '.join(MODES)}, not {mode!r}")


@dataclass(frozen=True)
class LatentPath:
    """Frames along a keyframe path.

    Frame ``i`` is latent ``z[i]`` rendered with class ``label_from[i]`` blended toward
    ``label_to[i]`` by weight ``mix[i]`` (0 = pure ``label_from``). Labels are ``None``
    for unconditional generators. ``keyframe_index[k]`` is the frame of keyframe ``k``.
    """

    z: np.ndarray
    label_from: np.ndarray | None
    label_to: np.ndarray | None
    mix: np.ndarray
    keyframe_index: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.z)


def keyframe_path(
    keyframes: Sequence[np.ndarray],
    frames_per_segment: int,
    mode: str = "linear",
    labels: Sequence[int] | None = None,
) -> LatentPath:
    """Frames through 2+ keyframes, ``frames_per_segment`` steps per segment.

    The path starts on the first keyframe, passes through each one exactly and ends on
    the last: (k - 1) * frames_per_segment + 1 frames for k keyframes. With ``labels``
    (one class per keyframe) the class blends along each segment as the latent moves.
    """
    if len(keyframes) < 2:
        raise LatentError("an interpolation needs at least two keyframes")
    if frames_per_segment < 1:
        raise LatentError(f"frames per segment must be at least 1, not {frames_per_segment}")
    if mode not in MODES:
        raise LatentError(f"interpolation mode must be one of {', '.join(MODES)}, not {mode!r}")
    keys = [np.asarray(k, np.float32).reshape(-1) for k in keyframes]
    if len({k.shape for k in keys}) != 1:
        raise LatentError("all keyframes must have the same latent size")
    if labels is not None and len(labels) != len(keys):
        raise LatentError(f"got {len(labels)} labels for {len(keys)} keyframes")
    zs, lf, lt, mix, index = [], [], [], [], [0]
    ts = np.arange(frames_per_segment, dtype=np.float64) / frames_per_segment
    for s in range(len(keys) - 1):
        zs.append(interpolate(keys[s], keys[s + 1], ts, mode))
        mix.append(ts)
        if labels is not None:
            lf.append(np.full(len(ts), labels[s], np.int32))
            lt.append(np.full(len(ts), labels[s + 1], np.int32))
        index.append(index[-1] + frames_per_segment)
    zs.append(keys[-1][None])
    mix.append(np.zeros(1))
    if labels is not None:
        lf.append(np.array([labels[-1]], np.int32))
        lt.append(np.array([labels[-1]], np.int32))
    return LatentPath(
        z=np.concatenate(zs).astype(np.float32),
        label_from=np.concatenate(lf) if labels is not None else None,
        label_to=np.concatenate(lt) if labels is not None else None,
        mix=np.concatenate(mix).astype(np.float32),
        keyframe_index=tuple(index),
    )


def axis_directions(latent_dim: int, k: int) -> np.ndarray:
    """The first ``k`` coordinate axes as (k, latent_dim) unit directions."""
    k = max(1, min(k, latent_dim))
    return np.eye(latent_dim, dtype=np.float32)[:k]


def compose(anchor: np.ndarray, coeffs: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """The latent ``anchor + coeffs @ basis`` for (k,) coefficients and a (k, d) basis."""
    return (np.asarray(anchor, np.float32) + np.asarray(coeffs, np.float32) @ basis).astype(
        np.float32
    )


def decompose(z: np.ndarray, basis: np.ndarray, absolute: bool) -> tuple[np.ndarray, np.ndarray]:
    """Split ``z`` into (anchor, coeffs) over ``basis``.

    With ``absolute`` (coordinate axes) the coefficients are z's own coordinates and the
    anchor holds the rest; otherwise the anchor is ``z`` and the coefficients start at 0.
    """
    z = np.asarray(z, np.float32).reshape(-1)
    if not absolute:
        return z.copy(), np.zeros(len(basis), np.float32)
    coeffs = (basis @ z).astype(np.float32)
    return (z - coeffs @ basis).astype(np.float32), coeffs


def plane_coords(extent: float, cells: int) -> np.ndarray:
    """Cell-centre coordinates of ``cells`` steps across [-extent, extent]."""
    if cells < 1 or extent <= 0:
        raise LatentError(f"a latent map needs cells >= 1 and extent > 0, got {cells}, {extent}")
    step = 2.0 * extent / cells
    return (-extent + step * (np.arange(cells) + 0.5)).astype(np.float32)


def plane_latents(
    anchor: np.ndarray,
    coeffs: np.ndarray,
    basis: np.ndarray,
    axes: tuple[int, int],
    extent: float,
    cells: int,
) -> np.ndarray:
    """Latents of a ``cells`` x ``cells`` map over coefficients ``axes`` (row-major).

    Row r, column c sets coefficient ``axes[0]`` (horizontal) to the c-th and
    ``axes[1]`` (vertical, up is positive) to the (cells-1-r)-th cell coordinate; the
    other coefficients keep their current values.
    """
    a, b = axes
    if a == b or not (0 <= a < len(basis) and 0 <= b < len(basis)):
        raise LatentError(f"map axes must be two different directions, got {axes}")
    grid = plane_coords(extent, cells)
    cs = np.repeat(np.asarray(coeffs, np.float32)[None], cells * cells, axis=0)
    cs[:, a] = np.tile(grid, cells)
    cs[:, b] = np.repeat(grid[::-1], cells)
    return (np.asarray(anchor, np.float32)[None] + cs @ basis).astype(np.float32)


def check_latents(z: np.ndarray, latent_dim: int) -> np.ndarray:
    """Return ``z`` as float32 (n, latent_dim) or raise :class:`LatentError`."""
    z = np.asarray(z, np.float32)
    if z.ndim == 1:
        z = z[None]
    if z.ndim != 2 or z.shape[1] != latent_dim:
        raise LatentError(f"expected latents of shape (n, {latent_dim}), got {z.shape}")
    if not np.all(np.isfinite(z)):
        raise LatentError("latents contain NaN or infinity")
    return z
