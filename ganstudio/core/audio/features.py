"""Features of sound: for display (waveform envelope, mel spectrogram in dB) and for
training (SpecGAN-style log-mel spectrograms of fixed-length clips).

librosa is imported inside the functions. Its first use compiles code with numba (many
seconds, cold); call :mod:`.warmup` once on a worker thread before the first display,
never on the GUI thread. All functions are pure and thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ganstudio.core.audio.mel_meta import MelMeta
from ganstudio.core.audio.stft import Stft

#: added to mel power before the log, so silence maps to log(1e-6) ~ -13.8, not -inf
LOG_EPS = 1e-6


@dataclass(frozen=True)
class MelParams(MelMeta):
    """Sizes of the training spectrograms (defaults: SpecGAN on 16 kHz, 16384-sample clips
    as WaveGAN, n_fft 1024, hop 128, 128 mel bands x 128 frames)."""

    sample_rate: int = 16000
    clip_samples: int = 16384
    n_fft: int = 1024
    hop_length: int = 128
    n_mels: int = 128
    n_frames: int = 128
    fmin: float = 0.0
    fmax: float | None = None  # None: sample_rate / 2


DEFAULT_PARAMS = MelParams()


@lru_cache(maxsize=16)
def mel_basis(
    sample_rate: int, n_fft: int, n_mels: int, fmin: float = 0.0, fmax: float | None = None
) -> np.ndarray:
    """Slaney-normalised mel filterbank (n_mels, n_fft//2 + 1), float32, read-only."""
    import librosa

    basis = librosa.filters.mel(
        sr=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, dtype=np.float32
    )
    basis.setflags(write=False)
    return basis


@lru_cache(maxsize=16)
def _stft(n_fft: int, hop_length: int) -> Stft:
    return Stft(n_fft, hop_length)


def fit_length(clips: np.ndarray, length: int) -> np.ndarray:
    """Trim or zero-pad the last axis to ``length`` (keeps the start, i.e. the onset)."""
    clips = np.asarray(clips, dtype=np.float32)
    n = clips.shape[-1]
    if n >= length:
        return clips[..., :length]
    pad = [(0, 0)] * (clips.ndim - 1) + [(0, length - n)]
    return np.pad(clips, pad)


def matmul_last(a: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``a @ matrix`` over the last axis of a stacked array as one 2-D BLAS product
    (numpy's stacked matmul with a transposed operand is many times slower)."""
    flat = np.ascontiguousarray(a).reshape(-1, a.shape[-1]) @ np.ascontiguousarray(matrix)
    return flat.reshape(*a.shape[:-1], matrix.shape[1])


def mel_power(clips: np.ndarray, params: MelParams = DEFAULT_PARAMS, chunk: int = 64) -> np.ndarray:
    """Mel power spectrograms of (n, clip_samples) or (clip_samples,) clips ->
    (n, n_mels, n_frames) float32 (frames cropped or zero-padded to ``n_frames``).
    Works through ``chunk`` clips at a time to bound memory."""
    x = np.asarray(clips, dtype=np.float32)
    squeeze = x.ndim == 1
    x = fit_length(np.atleast_2d(x), params.clip_samples)
    stft = _stft(params.n_fft, params.hop_length)
    basis_t = mel_basis(params.sample_rate, params.n_fft, params.n_mels, params.fmin, params.fmax).T
    out = np.zeros((len(x), params.n_mels, params.n_frames), np.float32)
    for start in range(0, len(x), chunk):
        spec = stft.forward(x[start : start + chunk])  # (c, frames, bins)
        power = np.square(spec.real) + np.square(spec.imag)
        mel = matmul_last(power, basis_t).transpose(0, 2, 1)  # (c, n_mels, frames)
        frames = min(mel.shape[2], params.n_frames)
        out[start : start + chunk, :, :frames] = mel[:, :, :frames]
    return out[0] if squeeze else out


def log_mel(clips: np.ndarray, params: MelParams = DEFAULT_PARAMS) -> np.ndarray:
    """``log(mel power + LOG_EPS)`` of clips: (n, n_mels, n_frames) float32, axis 1 is the
    mel band (0 = lowest frequency), axis 2 is time."""
    return np.log(mel_power(clips, params) + np.float32(LOG_EPS))


# -- display ---------------------------------------------------------------------------
def _mono(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32)
    return x.mean(axis=1) if x.ndim == 2 else x


def waveform_envelope(samples: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(mins, maxs), each (width,) float32: the sample range under each pixel column, for
    drawing a waveform of any length quickly. Stereo input is mixed to mono."""
    x = _mono(samples)
    width = int(width)
    if width < 1:
        raise ValueError("width must be at least 1")
    if x.size == 0:
        return np.zeros(width, np.float32), np.zeros(width, np.float32)
    starts = (np.arange(width, dtype=np.int64) * x.size) // width
    starts = np.minimum(starts, x.size - 1)
    return np.minimum.reduceat(x, starts), np.maximum.reduceat(x, starts)


def mel_spectrogram_db(
    samples: np.ndarray,
    sr: int,
    *,
    n_fft: int = 2048,
    hop_length: int = 512,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    top_db: float = 80.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mel spectrogram for display: ``(S_db, times, freqs)``.

    ``S_db`` is (n_mels, frames) in dB relative to the loudest bin (0 dB max, floor
    ``-top_db``); ``times`` (frames,) are frame centres in seconds; ``freqs`` (n_mels,)
    are the mel band centre frequencies in Hz. Stereo input is mixed to mono.
    """
    import librosa

    x = _mono(samples)
    if x.size == 0:
        raise ValueError("no samples to analyse")
    n_fft = int(min(n_fft, max(16, 1 << int(np.ceil(np.log2(max(x.size, 16)))))))
    mel = librosa.feature.melspectrogram(
        y=x, sr=sr, n_fft=n_fft, hop_length=hop_length, n_mels=n_mels, fmin=fmin, fmax=fmax
    )
    s_db = librosa.power_to_db(mel, ref=np.max(mel) if mel.max() > 0 else 1.0, top_db=top_db)
    times = librosa.frames_to_time(np.arange(s_db.shape[1]), sr=sr, hop_length=hop_length)
    freqs = librosa.mel_frequencies(n_mels=n_mels, fmin=fmin, fmax=fmax or sr / 2.0)
    return s_db.astype(np.float32), times.astype(np.float32), freqs.astype(np.float32)
