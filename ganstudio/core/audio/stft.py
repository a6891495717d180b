"""A batched short-time Fourier transform in NumPy/scipy.fft with precomputed windows.

Conventions match librosa's defaults (periodic Hann window, ``center=True`` with zero
padding of ``n_fft // 2`` on both sides), so a frame ``t`` is centred on sample
``t * hop``. Spectra are laid out ``(batch, frames, bins)`` (frame-major, so the FFT
runs over the contiguous last axis); callers transpose at the edges. Thread-safe: a
:class:`Stft` holds only read-only arrays after construction.
"""

from __future__ import annotations

import numpy as np
import scipy.fft as sfft


class Stft:
    """Forward and inverse STFT for one ``(n_fft, hop)`` pair, float32/complex64."""

    def __init__(self, n_fft: int = 1024, hop_length: int = 128) -> None:
        if n_fft < 2 or hop_length < 1 or hop_length > n_fft:
            raise ValueError(f"invalid STFT sizes n_fft={n_fft}, hop_length={hop_length}")
        self.n_fft = int(n_fft)
        self.hop = int(hop_length)
        self.pad = self.n_fft // 2
        self.window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)
        self._inv_wss: dict[int, np.ndarray] = {}

    @property
    def n_bins(self) -> int:
        return self.n_fft // 2 + 1

    def n_frames(self, length: int) -> int:
        """Frames of a centred STFT of ``length`` samples (as librosa)."""
        return 1 + length // self.hop

    def padded_length(self, frames: int) -> int:
        return (frames - 1) * self.hop + self.n_fft

    # -- forward -----------------------------------------------------------------------
    def frames_of_padded(self, padded: np.ndarray) -> np.ndarray:
        """Complex64 spectra (batch, frames, bins) of already-padded signals (batch, L)."""
        view = np.lib.stride_tricks.sliding_window_view(padded, self.n_fft, axis=-1)
        return sfft.rfft(view[..., :: self.hop, :] * self.window, axis=-1)

    def forward(self, signals: np.ndarray) -> np.ndarray:
        """Centred STFT of (batch, length) or (length,) signals -> (batch, frames, bins)."""
        x = np.asarray(signals, dtype=np.float32)
        squeeze = x.ndim == 1
        x = np.atleast_2d(x)
        padded = np.pad(x, ((0, 0), (self.pad, self.pad)))
        spec = self.frames_of_padded(padded)
        return spec[0] if squeeze else spec

    # -- inverse -----------------------------------------------------------------------
    def inverse_wss(self, frames: int) -> np.ndarray:
        """1 / (sum of squared windows) for ``frames`` overlapped frames (cached)."""
        cached = self._inv_wss.get(frames)
        if cached is None:
            wss = np.zeros(self.padded_length(frames), np.float64)
            w2 = self.window.astype(np.float64) ** 2
            for t in range(frames):
                wss[t * self.hop : t * self.hop + self.n_fft] += w2
            tiny = np.finfo(np.float32).tiny
            cached = np.where(wss > 1e-8, 1.0 / np.maximum(wss, tiny), 0.0).astype(np.float32)
            self._inv_wss[frames] = cached
        return cached

    def overlap_add(self, spec: np.ndarray) -> np.ndarray:
        """Windowed overlap-add of (batch, frames, bins) spectra, normalised by the
        window sum-square, in padded coordinates: (batch, padded_length(frames))."""
        batch, frames = spec.shape[:2]
        chunks = sfft.irfft(spec, n=self.n_fft, axis=-1)
        chunks *= self.window
        n_fft, hop = self.n_fft, self.hop
        if n_fft % hop == 0:
            r = n_fft // hop
            out = np.zeros((batch, frames + r - 1, hop), np.float32)
            blocks = chunks.reshape(batch, frames, r, hop)
            for k in range(r):
                out[:, k : k + frames] += blocks[:, :, k]
            out = out.reshape(batch, -1)
        else:
            out = np.zeros((batch, self.padded_length(frames)), np.float32)
            for t in range(frames):
                out[:, t * hop : t * hop + n_fft] += chunks[:, t]
        out *= self.inverse_wss(frames)
        return out

    def inverse(self, spec: np.ndarray, length: int | None = None) -> np.ndarray:
        """Signals (batch, length) from centred spectra (batch, frames, bins); ``length``
        defaults to ``(frames - 1) * hop`` as librosa's ``istft``."""
        spec = np.asarray(spec)
        squeeze = spec.ndim == 2
        spec = spec[None] if squeeze else spec
        frames = spec.shape[1]
        length = (frames - 1) * self.hop if length is None else int(length)
        full = self.overlap_add(spec)[:, self.pad : self.pad + length]
        if full.shape[1] < length:
            full = np.pad(full, ((0, 0), (0, length - full.shape[1])))
        return full[0] if squeeze else full
