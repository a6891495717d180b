"""The mel spectrogram a vocoder hears: log-mel frames of sounds of any length.

Framing: the signal is zero-padded at the end to a whole number of hops, then reflected
by ``(n_fft - hop) // 2`` samples at both ends and cut into frames without centring, so
``n`` samples give exactly ``ceil(n / hop)`` frames and frame ``t`` is centred on the
hop block ``[t * hop, (t + 1) * hop)`` the vocoder makes from it (as MelGAN does). Values
are ``log(max(sqrt(mel power), floor))``: the natural log of the amplitude in each band,
where mel power is the Slaney-normalised mel filterbank applied to the STFT power — the
same mel power the phase-reconstruction inverter and SpecGAN use, so their
spectrograms convert exactly (:func:`log_mel_from_power`). Frames are laid out
``(frames, n_mels)`` (time-major, for 1-D convolutions). Pure functions; thread-safe.
Importing it is cheap (the filterbank and FFT modules load on first analysis), since the
model table reads :class:`VocoderMel` when the configuration loads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from ganstudio.core.audio.mel_meta import MelMeta

MEL_FLOOR = 1e-5  # amplitude floor before the log: log(1e-5) ~ -11.5 is silence


@dataclass(frozen=True)
class VocoderMel(MelMeta):
    """Mel analysis parameters of a vocoder (recorded in its run and its export)."""

    sample_rate: int = 16000
    n_fft: int = 1024
    hop_length: int = 256
    n_mels: int = 80
    fmin: float = 0.0
    fmax: float | None = 8000.0

    def __post_init__(self) -> None:
        if self.sample_rate < 1000:
            raise ValueError(f"sample rate {self.sample_rate} Hz is too low for a vocoder")
        if not (16 <= self.n_fft <= 16384) or self.n_fft & (self.n_fft - 1):
            raise ValueError(f"n_fft must be a power of two from 16 to 16384, not {self.n_fft}")
        if not (1 <= self.hop_length <= self.n_fft):
            raise ValueError(f"hop_length must be 1..n_fft ({self.n_fft}), not {self.hop_length}")
        if not (8 <= self.n_mels <= 512):
            raise ValueError(f"n_mels must be 8..512, not {self.n_mels}")
        if self.fmax is not None and not (self.fmin < self.fmax <= self.sample_rate / 2):
            raise ValueError(
                f"fmax {self.fmax} Hz must lie above fmin and at most half the sample rate"
            )

    def n_frames(self, n_samples: int) -> int:
        """Frames of a sound of ``n_samples`` samples."""
        return -(-int(n_samples) // self.hop_length)

    def same_analysis(self, other: VocoderMel) -> bool:
        """True if both describe the same mel bands at the same rate and hop."""
        return (
            self.sample_rate == other.sample_rate
            and self.hop_length == other.hop_length
            and self.n_mels == other.n_mels
            and self.n_fft == other.n_fft
            and abs(self.fmin - other.fmin) < 1e-6
            and abs(self.fmax_hz - other.fmax_hz) < 1e-6
        )


def defaults_for_rate(sample_rate: int) -> VocoderMel:
    """Usual vocoder settings for a rate: 80 bands, hop 256 and n_fft 1024 at 16 and
    22.05 kHz (up to 8 kHz; the whole band at 16 kHz), scaled up for higher rates."""
    sr = int(sample_rate)
    if sr <= 24000:
        return VocoderMel(sr, 1024, 256, 80, 0.0, min(8000.0, sr / 2))
    return VocoderMel(sr, 2048, 512, 80, 0.0, min(11025.0, sr / 2))


def with_overrides(base: VocoderMel, **values: Any) -> VocoderMel:
    """``base`` with the non-None ``values`` replaced (raises ValueError when invalid)."""
    return replace(base, **{k: v for k, v in values.items() if v is not None})


@lru_cache(maxsize=8)
def _stft(n_fft: int, hop: int) -> Any:
    # deferred: scipy.fft
    from ganstudio.core.audio.stft import Stft

    return Stft(n_fft, hop)


def frame_padding(mel: VocoderMel) -> int:
    """Samples reflected at each end before framing."""
    return (mel.n_fft - mel.hop_length) // 2


def log_mel_frames(samples: np.ndarray, mel: VocoderMel) -> np.ndarray:
    """Log-mel of one sound ``(n,)`` -> ``(ceil(n / hop), n_mels)`` float32, or of a
    batch ``(b, n)`` -> ``(b, frames, n_mels)``."""
    x = np.asarray(samples, np.float32)
    squeeze = x.ndim == 1
    x = np.atleast_2d(x)
    if x.shape[1] == 0:
        raise ValueError("no samples to analyse")
    frames = mel.n_frames(x.shape[1])
    x = np.pad(x, ((0, 0), (0, frames * mel.hop_length - x.shape[1])))
    pad = frame_padding(mel)
    mode = "reflect" if x.shape[1] > pad else "constant"
    x = np.pad(x, ((0, 0), (pad, pad + (mel.n_fft - mel.hop_length) % 2)), mode=mode)
    # deferred: scipy.fft
    from ganstudio.core.audio.features import matmul_last, mel_basis

    spec = _stft(mel.n_fft, mel.hop_length).frames_of_padded(x)[:, :frames]
    power = (np.square(spec.real) + np.square(spec.imag)).astype(np.float32)
    basis = mel_basis(mel.sample_rate, mel.n_fft, mel.n_mels, mel.fmin, mel.fmax_hz)
    out = log_mel_from_power(matmul_last(power, basis.T))
    return out[0] if squeeze else out


def log_mel_from_power(mel_power: np.ndarray) -> np.ndarray:
    """Vocoder frames from mel power of the same layout: ``log(max(sqrt(P), floor))``."""
    p = np.maximum(np.asarray(mel_power, np.float32), np.float32(MEL_FLOOR**2))
    return (0.5 * np.log(p)).astype(np.float32)


def mel_power_centred(samples: np.ndarray, mel: VocoderMel) -> np.ndarray:
    """Mel power ``(n_mels, frames)`` of centred frames (librosa's layout, what the
    phase-reconstruction inverter expects) with ``mel``'s bands, FFT size and hop."""
    # deferred: scipy.fft
    from ganstudio.core.audio.features import matmul_last, mel_basis

    spec = _stft(mel.n_fft, mel.hop_length).forward(np.asarray(samples, np.float32))
    power = (np.square(spec.real) + np.square(spec.imag)).astype(np.float32)
    basis = mel_basis(mel.sample_rate, mel.n_fft, mel.n_mels, mel.fmin, mel.fmax_hz)
    return matmul_last(power, basis.T).T
