"""Quality measures for generated sound: a Fréchet distance on mel-band statistics and
spectral convergence. Pure NumPy (no scipy.linalg.sqrtm); thread-safe. The Fréchet
distance itself lives in :mod:`ganstudio.core.metrics.distances`."""

from __future__ import annotations

import numpy as np

from ganstudio.core.metrics.distances import frechet_distance

__all__ = ["frechet_distance", "frechet_mel_distance", "mel_band_features", "spectral_convergence"]


def mel_band_features(spectrograms: np.ndarray) -> np.ndarray:
    """Per-frame band vectors of spectrograms (n, n_mels, frames[, 1]) -> (n * frames,
    n_mels) float64: every time frame is one sample of the n_mels-dimensional band
    vector, so the statistics describe the spectral shapes a set of sounds uses."""
    x = np.asarray(spectrograms, dtype=np.float64)
    if x.ndim == 4:
        if x.shape[-1] != 1:
            raise ValueError(f"expected one channel, got shape {x.shape}")
        x = x[..., 0]
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"expected (n, n_mels, frames[, 1]) spectrograms, got {x.shape}")
    return np.swapaxes(x, 1, 2).reshape(-1, x.shape[1])


def frechet_mel_distance(real: np.ndarray, generated: np.ndarray) -> float:
    """Fréchet distance between the mel-band statistics (mean and covariance of the
    per-frame band vectors, :func:`mel_band_features`) of two sets of spectrograms in the
    same representation (e.g. both normalised [0, 1] dataset spectrograms). 0 = same
    statistics; lower is closer."""
    a, b = mel_band_features(real), mel_band_features(generated)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"band counts differ: {a.shape[1]} vs {b.shape[1]}")
    if len(a) < 2 or len(b) < 2:
        raise ValueError("need at least two frames in each set")
    return frechet_distance(
        a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False)
    )


def spectral_convergence(target_mag: np.ndarray, estimate_mag: np.ndarray) -> float:
    """``||T - E||_F / ||T||_F`` of two magnitude spectrograms of the same shape (lower
    is better; 0 = identical)."""
    t = np.asarray(target_mag, dtype=np.float64)
    e = np.asarray(estimate_mag, dtype=np.float64)
    if t.shape != e.shape:
        raise ValueError(f"shapes differ: {t.shape} vs {e.shape}")
    norm = np.linalg.norm(t)
    if norm == 0:
        raise ValueError("the target spectrogram is all zeros")
    return float(np.linalg.norm(t - e) / norm)
