"""Phase from magnitude alone: phase gradient heap integration (PGHI; Prusa, Balazs &
Soendergaard 2017, "A noniterative method for reconstruction of phase from STFT
magnitude"), used as Griffin-Lim's first guess so a few iterations suffice.

The integration is a numba kernel with an array binary heap (compiled on first use;
:func:`ganstudio.core.audio.warmup.warm_up` does it). Thread-safe: no shared state.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

import numpy as np


@lru_cache(maxsize=1)
def _kernels() -> SimpleNamespace:
    import numba

    jit = numba.njit(fastmath=True, nogil=True, error_model="numpy")

    @jit
    def heap_push(keys, vals, size, key, val):
        i = size
        keys[i], vals[i] = key, val
        while i > 0:
            parent = (i - 1) >> 1
            if keys[parent] >= keys[i]:
                break
            keys[i], keys[parent] = keys[parent], keys[i]
            vals[i], vals[parent] = vals[parent], vals[i]
            i = parent
        return size + 1

    @jit
    def heap_pop(keys, vals, size):
        top = vals[0]
        size -= 1
        keys[0], vals[0] = keys[size], vals[size]
        i = 0
        while True:
            left, right, big = 2 * i + 1, 2 * i + 2, i
            if left < size and keys[left] > keys[big]:
                big = left
            if right < size and keys[right] > keys[big]:
                big = right
            if big == i:
                break
            keys[i], keys[big] = keys[big], keys[i]
            vals[i], vals[big] = vals[big], vals[i]
            i = big
        return top, size

    @jit
    def integrate(s, phi_n, phi_k, seeds, phase, out):
        # Phase gradient heap integration (Prusa, Balazs & Sondergaard 2017): from the
        # strongest bin outwards, always extending from the strongest finished bin;
        # trapezoidal steps along time (phi_n) and frequency (phi_k).
        frames, bins = s.shape
        total = frames * bins
        allowed = np.zeros(total, np.bool_)
        allowed[seeds] = True  # bins below the tolerance are never integrated
        done = np.zeros(total, np.bool_)
        keys = np.empty(total, np.float32)
        vals = np.empty(total, np.int64)
        fs, fn, fk, fp = s.reshape(-1), phi_n.reshape(-1), phi_k.reshape(-1), phase.reshape(-1)
        for seed in seeds:
            if done[seed]:
                continue
            done[seed] = True
            fp[seed] = 0.0
            size = heap_push(keys, vals, 0, fs[seed], seed)
            while size > 0:
                idx, size = heap_pop(keys, vals, size)
                n, k = idx // bins, idx % bins
                for step in range(4):
                    if step == 0 and n + 1 < frames:
                        other = idx + bins
                        delta = 0.5 * (fn[idx] + fn[other])
                    elif step == 1 and n > 0:
                        other = idx - bins
                        delta = -0.5 * (fn[idx] + fn[other])
                    elif step == 2 and k + 1 < bins:
                        other = idx + 1
                        delta = 0.5 * (fk[idx] + fk[other])
                    elif step == 3 and k > 0:
                        other = idx - 1
                        delta = -0.5 * (fk[idx] + fk[other])
                    else:
                        continue
                    if allowed[other] and not done[other]:
                        done[other] = True
                        fp[other] = fp[idx] + delta
                        size = heap_push(keys, vals, size, fs[other], other)
        fo = out.reshape(-1)
        for i in range(total):
            fo[i] = complex(np.cos(fp[i]), np.sin(fp[i]))

    return SimpleNamespace(integrate=integrate)


def pghi_phase(magnitude: np.ndarray, hop: int, n_fft: int, tol: float = 3e-3) -> np.ndarray:
    """Unit phasors (n, frames, bins) estimated from the magnitude alone by phase
    gradient heap integration (Prusa, Balazs & Sondergaard 2017). The phase derivatives
    follow from the log-magnitude's, treating the Hann window as a Gaussian with
    lambda = 0.25645 n_fft^2 (time direction: the bin frequency plus
    ``hop n_fft / lambda * ds/dk``; frequency direction: ``-pi - lambda / (hop n_fft) *
    ds/dn``, for phases relative to each frame's start). Bins quieter than ``tol`` times
    the clip's peak (-50 dB) keep phase 0. About 1 ms for a 1-second clip."""
    kernels = _kernels()
    lam = 0.25645 * n_fft * n_fft
    out = np.empty(magnitude.shape, np.complex64)
    bin_advance = (2 * np.pi * hop / n_fft) * np.arange(magnitude.shape[2], dtype=np.float32)
    time_scale, freq_scale = np.float32(hop * n_fft / lam), np.float32(lam / (hop * n_fft))
    for i, mag in enumerate(np.asarray(magnitude, np.float32)):
        floor = np.float32(max(float(mag.max()), 1e-30) * 1e-9)
        s = np.log(np.maximum(mag, floor))
        phi_n = (bin_advance + time_scale * np.gradient(s, axis=1)).astype(np.float32)
        phi_k = (np.float32(-np.pi) - freq_scale * np.gradient(s, axis=0)).astype(np.float32)
        flat = s.reshape(-1)
        big = np.flatnonzero(flat > np.log(max(float(mag.max()), 1e-30) * tol))
        # the loudest bin first; islands it cannot reach start in scan order
        seeds = np.concatenate(([np.argmax(flat)], big)).astype(np.int64)
        phase = np.zeros(mag.shape, np.float32)
        kernels.integrate(s, phi_n, phi_k, seeds, phase, out[i])
    return out
