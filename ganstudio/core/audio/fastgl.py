"""The fast Griffin-Lim loop, batched, with fused numba kernels around scipy's FFTs, and
the sparse mel-filterbank kernels behind the mel -> linear NNLS step.

Per iteration the only passes over memory are: one fused "inertial step + magnitude
projection" kernel, an inverse real FFT, one fused "window + overlap-add + normalise +
zero outside the signal" kernel, one fused "frame + window" kernel and a forward real
FFT, all on preallocated float32/complex64 buffers. numba is a dependency of librosa; the
kernels compile on first use (about a second; :mod:`.warmup` does it) and release the
GIL. Thread-safe: every call allocates its own buffers.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import numpy as np
import scipy.fft as sfft

from ganstudio.core.audio.pghi import pghi_phase
from ganstudio.core.audio.stft import Stft


@lru_cache(maxsize=1)
def _kernels() -> SimpleNamespace:
    import numba

    jit = numba.njit(fastmath=True, nogil=True, error_model="numpy")  # no zero checks

    @jit
    def project(c, c_prev, mag, alpha, first, out):
        # t = c + alpha * (c - c_prev);  out = t * mag / |t|
        fc, fp, fm, fo = c.reshape(-1), c_prev.reshape(-1), mag.reshape(-1), out.reshape(-1)
        keep = np.float32(0.0) if first else alpha
        for i in range(fm.size):
            t = fc[i] + keep * (fc[i] - fp[i])
            fo[i] = t * (fm[i] / np.sqrt(t.real * t.real + t.imag * t.imag + np.float32(1e-30)))

    @jit
    def overlap_add(chunks, window, inv_wss, hop, pad, length, out):
        # windowed overlap-add, normalised, zero outside [pad, pad + length)
        batch, frames, n_fft = chunks.shape
        total = out.shape[1]
        for b in range(batch):
            row = out[b]
            row[:] = 0.0
            for t in range(frames):
                seg = row[t * hop : t * hop + n_fft]
                chunk = chunks[b, t]
                for k in range(n_fft):
                    seg[k] += chunk[k] * window[k]
            for i in range(pad):
                row[i] = 0.0
            for i in range(pad, min(pad + length, total)):
                row[i] *= inv_wss[i]
            for i in range(pad + length, total):
                row[i] = 0.0

    @jit
    def frame(signal, window, hop, out):
        batch, frames, n_fft = out.shape
        for b in range(batch):
            for t in range(frames):
                seg = signal[b, t * hop : t * hop + n_fft]
                dst = out[b, t]
                for k in range(n_fft):
                    dst[k] = seg[k] * window[k]

    @jit
    def ola_frame(chunks, window, inv_wss, hop, pad, length, signal, framed):
        overlap_add(chunks, window, inv_wss, hop, pad, length, signal)
        frame(signal, window, hop, framed)

    @jit
    def sparse_dot(indptr, indices, data, dense, out):
        # out = A @ dense for a CSR matrix A; the inner loop runs along dense's rows
        out[:] = 0.0
        for r in range(indptr.size - 1):
            row = out[r]
            for j in range(indptr[r], indptr[r + 1]):
                weight, src = data[j], dense[indices[j]]
                for t in range(src.size):
                    row[t] += weight * src[t]

    @jit
    def nnls(b, bt, numer, power, n_iter):
        # multiplicative NNLS updates (Lee & Seung): power <- power * B'X / (B'B power)
        mel = np.empty((b[0].size - 1, power.shape[1]), np.float32)
        denom = np.empty_like(power)
        for _ in range(n_iter):
            sparse_dot(b[0], b[1], b[2], power, mel)
            sparse_dot(bt[0], bt[1], bt[2], mel, denom)
            fp, fn, fd = power.reshape(-1), numer.reshape(-1), denom.reshape(-1)
            for i in range(fp.size):
                fp[i] *= fn[i] / (fd[i] + np.float32(1e-12))

    return SimpleNamespace(
        project=project,
        overlap_add=overlap_add,
        ola_frame=ola_frame,
        nnls=nnls,
        sparse_dot=sparse_dot,
    )


@lru_cache(maxsize=8)
def _advancing_phase(frames: int, bins: int, hop: int, n_fft: int) -> np.ndarray:
    """Unit phasors whose phase advances by 2 pi k hop / n_fft per frame in bin k."""
    cycles = (np.outer(np.arange(frames), np.arange(bins)) * hop % n_fft) / n_fft
    phase = np.exp(2j * np.pi * cycles).astype(np.complex64)
    phase.setflags(write=False)
    return phase


def _initial_spectrum(init: str, mag: np.ndarray, stft: Stft, seed: int | None) -> np.ndarray:
    shape = mag.shape
    _, frames, bins = shape
    if init == "pghi":
        return pghi_phase(mag, stft.hop, stft.n_fft)
    if init == "zero":
        return np.ones(shape, np.complex64)
    if init == "advance":
        return np.broadcast_to(_advancing_phase(frames, bins, stft.hop, stft.n_fft), shape).copy()
    if init == "random":  # circular Gaussian noise: uniform random phases once normalised
        noise = np.random.default_rng(seed).standard_normal((*shape, 2), dtype=np.float32)
        return np.ascontiguousarray(noise.view(np.complex64)[..., 0])
    raise ValueError(
        f"unknown Griffin-Lim init {init!r}: use 'pghi', 'advance', 'random' or 'zero'"
    )


def fast_griffin_lim(
    stft: Stft,
    magnitude: np.ndarray,
    length: int,
    *,
    n_iter: int = 32,
    momentum: float = 0.99,
    seed: int | None = 0,
    workers: int = 1,
    init: str = "pghi",
) -> np.ndarray:
    """Signals (n, length) whose centred STFT magnitude approximates ``magnitude``
    (n, frames, bins) by fast Griffin-Lim (Perraudin et al. 2013). ``init`` picks the
    starting phases: "pghi" (:func:`pghi_phase`; far fewer iterations needed), "advance"
    (each bin's phase advancing at its centre frequency), "random" (seeded) or "zero".
    ``workers`` is passed to scipy.fft (threads per FFT)."""
    k = _kernels()
    mag = np.ascontiguousarray(magnitude, np.float32)
    n, frames, bins = mag.shape
    if bins != stft.n_bins:
        raise ValueError(f"expected {stft.n_bins} frequency bins, got {bins}")
    window = stft.window
    inv_wss = stft.inverse_wss(frames)
    hop, pad, n_fft = np.int64(stft.hop), np.int64(stft.pad), stft.n_fft
    length = np.int64(length)
    alpha = np.float32(momentum)

    c = _initial_spectrum(init, mag, stft, seed)
    c_prev = c
    x = np.empty_like(c)
    signal = np.empty((n, stft.padded_length(frames)), np.float32)
    framed = np.empty((n, frames, n_fft), np.float32)

    first = True
    for _ in range(n_iter):
        k.project(c, c_prev, mag, alpha, first, x)
        chunks = sfft.irfft(x, n=n_fft, axis=-1, workers=workers, overwrite_x=True)
        k.ola_frame(chunks, window, inv_wss, hop, pad, length, signal, framed)
        c_prev, c = c, sfft.rfft(framed, axis=-1, workers=workers)  # consistent c_n
        first = False
    k.project(c, c_prev, mag, alpha, True, x)  # final magnitude projection
    chunks = sfft.irfft(x, n=n_fft, axis=-1, workers=workers, overwrite_x=True)
    k.overlap_add(chunks, window, inv_wss, hop, pad, length, signal)
    return signal[:, pad : pad + length].copy()


Csr = tuple[np.ndarray, np.ndarray, np.ndarray]


def csr_arrays(matrix: np.ndarray) -> Csr:
    """(indptr, indices, data) of a dense matrix's non-zeros, for the kernels here."""
    rows, cols = np.nonzero(matrix)
    indptr = np.searchsorted(rows, np.arange(matrix.shape[0] + 1)).astype(np.int64)
    return indptr, cols.astype(np.int64), np.ascontiguousarray(matrix[rows, cols], np.float32)


def sparse_matmul(csr: Csr, dense: np.ndarray) -> np.ndarray:
    """``A @ dense`` for a sparse ``A`` given as :func:`csr_arrays` (float32)."""
    dense = np.ascontiguousarray(dense, np.float32)
    out = np.empty((csr[0].size - 1, dense.shape[1]), np.float32)
    _kernels().sparse_dot(csr[0], csr[1], csr[2], dense, out)
    return out


def nnls_refine(b: Csr, bt: Csr, numer: np.ndarray, power: np.ndarray, n_iter: int) -> None:
    """Refine ``power`` (bins, columns) in place towards ``min |X - B P|, P >= 0`` given
    ``numer = B'X``, with ``n_iter`` multiplicative updates; ``b`` and ``bt`` are the
    sparse filterbank B (n_mels, bins) and its transpose as :func:`csr_arrays`."""
    _kernels().nnls(b, bt, numer, power, np.int64(n_iter))
