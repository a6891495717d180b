"""Distances between sets of feature vectors (pure NumPy, thread-safe).

- Fréchet distance of Gaussians fitted to two sets (Heusel et al. 2017, "FID");
- KID: the unbiased squared MMD with the cubic polynomial kernel, averaged over subsets
  (Bińkowski et al. 2018), unbiased for small sample counts;
- precision, recall (Kynkäänniemi et al. 2019), density and coverage (Naeem et al. 2020)
  from k-nearest-neighbour balls around each real (and, for recall, generated) feature.
  Low recall or coverage with good precision is the mark of mode collapse.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1024  # rows of a distance matrix computed at once


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix by eigendecomposition."""
    vals, vecs = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vecs * np.sqrt(np.clip(vals, 0.0, None))) @ vecs.T


def frechet_distance(mu1: np.ndarray, cov1: np.ndarray, mu2: np.ndarray, cov2: np.ndarray) -> float:
    """Fréchet distance between Gaussians N(mu1, cov1) and N(mu2, cov2):
    ``|mu1 - mu2|^2 + tr(cov1 + cov2 - 2 (cov1 cov2)^(1/2))``, with the trace term
    computed stably as ``tr((s1 cov2 s1)^(1/2))``, ``s1 = cov1^(1/2)``."""
    s1 = _sqrt_psd(cov1)
    middle = s1 @ cov2 @ s1
    eig = np.linalg.eigvalsh((middle + middle.T) / 2.0)
    tr_sqrt = float(np.sqrt(np.clip(eig, 0.0, None)).sum())
    diff = np.asarray(mu1) - np.asarray(mu2)
    value = float(diff @ diff + np.trace(cov1) + np.trace(cov2) - 2.0 * tr_sqrt)
    return max(value, 0.0)


def feature_stats(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance (float64) of (n, d) features; n must be at least 2."""
    f = np.asarray(features, np.float64)
    if f.ndim != 2 or len(f) < 2:
        raise ValueError(f"need at least two (n, d) feature vectors, got shape {f.shape}")
    return f.mean(axis=0), np.cov(f, rowvar=False)


def frechet_features(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between the Gaussians fitted to two feature sets."""
    return frechet_distance(*feature_stats(a), *feature_stats(b))


def _cubic_kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    k = a @ b.T
    k /= a.shape[1]
    k += 1.0
    return k * k * k


def kernel_inception_distance(
    real: np.ndarray, fake: np.ndarray, *, subsets: int = 10, subset_size: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """KID: mean and standard deviation over ``subsets`` random subsets (of at most
    ``subset_size``, and at most half of the smaller set) of the unbiased MMD² with kernel
    ``k(x, y) = (x·y / d + 1)³``. Near 0 (possibly slightly negative) for samples of one
    distribution."""
    x, y = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    m = min(subset_size, max(2, min(len(x), len(y)) // 2))
    if min(len(x), len(y)) < 2:
        raise ValueError("KID needs at least two samples in each set")
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        a = x[rng.choice(len(x), m, replace=False)]
        b = y[rng.choice(len(y), m, replace=False)]
        kxx, kyy = _cubic_kernel(a, a), _cubic_kernel(b, b)
        same = (kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        values.append(same - 2.0 * _cubic_kernel(a, b).mean())
    return float(np.mean(values)), float(np.std(values))


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d2 = (a * a).sum(1)[:, None] - 2.0 * a @ b.T + (b * b).sum(1)[None, :]
    return np.maximum(d2, 0.0)


def knn_radii(features: np.ndarray, k: int) -> np.ndarray:
    """Distance of each feature to its ``k``-th nearest other feature of the same set."""
    f = np.asarray(features, np.float64)
    if len(f) <= k:
        raise ValueError(f"need more than k={k} features, got {len(f)}")
    radii = np.empty(len(f))
    for start in range(0, len(f), CHUNK):
        d2 = _squared_distances(f[start : start + CHUNK], f)
        # column k of the sorted row: index 0 is the point itself (distance 0)
        radii[start : start + CHUNK] = np.sqrt(np.partition(d2, k, axis=1)[:, k])
    return radii


def prdc(
    real: np.ndarray, fake: np.ndarray, *, k: int = 5, real_radii: np.ndarray | None = None
) -> dict[str, float]:
    """Precision, recall, density and coverage of ``fake`` against ``real`` features.

    ``real_radii`` (from :func:`knn_radii` of ``real``) may be passed to reuse them.
    """
    x, y = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    rx = knn_radii(x, k) if real_radii is None else np.asarray(real_radii)
    ry = knn_radii(y, k)
    inside_real = np.zeros(len(y), np.int64)  # per fake: real balls containing it
    covered = np.zeros(len(x), bool)  # per real: a fake inside its own ball
    recalled = np.zeros(len(x), bool)  # per real: inside some fake's ball
    for start in range(0, len(x), CHUNK):
        dist = np.sqrt(_squared_distances(x[start : start + CHUNK], y))  # (real, fake)
        r = rx[start : start + CHUNK, None]
        inside_real += (dist <= r).sum(axis=0)
        covered[start : start + CHUNK] = dist.min(axis=1) <= rx[start : start + CHUNK]
        recalled[start : start + CHUNK] = (dist <= ry[None, :]).any(axis=1)
    return {
        "precision": float((inside_real > 0).mean()),
        "recall": float(recalled.mean()),
        "density": float(inside_real.sum() / (k * len(y))),
        "coverage": float(covered.mean()),
    }


def mean_pairwise_distance(x: np.ndarray, max_n: int = 512, seed: int = 0) -> float:
    """Mean Euclidean distance between distinct pairs of (at most ``max_n``) rows of ``x``."""
    f = np.asarray(x, np.float64).reshape(len(x), -1)
    if len(f) > max_n:
        f = f[np.random.default_rng(seed).choice(len(f), max_n, replace=False)]
    if len(f) < 2:
        return 0.0
    dist = np.sqrt(_squared_distances(f, f))
    n = len(f)
    return float(dist.sum() / (n * (n - 1)))
