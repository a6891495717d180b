"""How close a resynthesis is to the original: multi-resolution STFT distance and mel
spectral convergence (NumPy; thread-safe), and the phase-reconstruction baseline on the
same mel information.

* :func:`mr_stft_distance` — at each of the resolutions the vocoder trains with, spectral
  convergence plus mean absolute log-magnitude difference, averaged (0 = identical).
* :func:`mel_spectral_convergence` — ``||M - M'||_F / ||M||_F`` of the vocoder's mel
  magnitudes (:mod:`ganstudio.core.audio.vocoder_mel`).
* :func:`invert_with_phase_reconstruction` — our PGHI + fast Griffin-Lim inverter given
  the mel *power* of the same bands, FFT size and hop (centred frames, its own layout).
"""

from __future__ import annotations

import numpy as np

from ganstudio.core.audio.vocoder_mel import VocoderMel, log_mel_frames, mel_power_centred
from ganstudio.core.vocoder.losses import STFT_RESOLUTIONS

_EPS = 1e-7


def _aligned(ref: np.ndarray, est: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(ref, np.float64).reshape(-1)
    b = np.asarray(est, np.float64).reshape(-1)
    n = min(len(a), len(b))
    if n == 0:
        raise ValueError("no samples to compare")
    return a[:n], b[:n]


def _magnitude(x: np.ndarray, n_fft: int, hop: int, window: int) -> np.ndarray:
    """``|STFT|`` with a Hann window of ``window`` samples zero-padded to ``n_fft`` (frames
    from the signal's start, no padding; as ``tf.signal.stft``)."""
    if len(x) < window:
        x = np.pad(x, (0, window - len(x)))
    frames = np.lib.stride_tricks.sliding_window_view(x, window)[::hop]
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(window) / window)
    return np.maximum(np.abs(np.fft.rfft(frames * w, n=n_fft, axis=-1)), _EPS)


def mr_stft_distance(ref: np.ndarray, est: np.ndarray) -> float:
    """Multi-resolution STFT distance of two sounds (trimmed to the shorter): mean over
    :data:`~ganstudio.core.vocoder.losses.STFT_RESOLUTIONS` of spectral convergence plus
    mean |log magnitude difference|."""
    a, b = _aligned(ref, est)
    total = 0.0
    for n_fft, hop, window in STFT_RESOLUTIONS:
        ma, mb = _magnitude(a, n_fft, hop, window), _magnitude(b, n_fft, hop, window)
        sc = np.linalg.norm(ma - mb) / max(np.linalg.norm(ma), _EPS)
        total += sc + np.mean(np.abs(np.log(ma) - np.log(mb)))
    return float(total / len(STFT_RESOLUTIONS))


def mel_spectral_convergence(ref: np.ndarray, est: np.ndarray, mel: VocoderMel) -> float:
    """Spectral convergence of the mel magnitudes (``mel``'s analysis) of two sounds."""
    a, b = _aligned(ref, est)
    ma = np.exp(log_mel_frames(a.astype(np.float32), mel).astype(np.float64))
    mb = np.exp(log_mel_frames(b.astype(np.float32), mel).astype(np.float64))
    return float(np.linalg.norm(ma - mb) / max(np.linalg.norm(ma), _EPS))


def invert_with_phase_reconstruction(samples: np.ndarray, mel: VocoderMel) -> np.ndarray:
    """The sound our phase-reconstruction inverter (:mod:`ganstudio.core.audio.inversion`)
    makes from the mel power of ``samples`` — the baseline a vocoder should beat."""
    # deferred: scipy (the inverter)
    from ganstudio.core.audio.inversion import mel_to_audio

    x = np.asarray(samples, np.float32)
    return mel_to_audio(
        mel_power_centred(x, mel),
        mel.sample_rate,
        n_fft=mel.n_fft,
        hop_length=mel.hop_length,
        fmin=mel.fmin,
        fmax=mel.fmax_hz,
        length=len(x),
    )
