"""A trained vocoder in place of the phase-reconstruction inverter, where generated
spectrograms become sound (the sound pads, the sample grid's tiles, ``ganstudio sample``).

It stands in only when the spectrograms' mel analysis is the vocoder's: same sample rate,
FFT size, hop, bands and band edges (:func:`mismatch` says what differs). The generator's
[0, 1] output is turned back into mel power exactly as for the inverter
(:func:`~ganstudio.core.audio.inversion.denormalise`), then into the vocoder's log band
amplitudes. Threading: a :class:`VocoderSound` holds a Keras model; use it from one
thread at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ganstudio.core.audio.vocoder_mel import VocoderMel, log_mel_from_power
from ganstudio.core.sound.run_sound import SoundParams
from ganstudio.core.vocoder.vocoder import MelVocoder


def mismatch(meta: dict[str, Any], mel: VocoderMel) -> str | None:
    """Why spectrograms described by ``meta`` (a run's ``data_meta``) cannot go through a
    vocoder analysing with ``mel``; None when they can."""
    sr = int(meta.get("sample_rate", 0))
    theirs = {
        "sample rate": sr,
        "FFT size": int(meta.get("n_fft", 0)),
        "hop": int(meta.get("hop_length", 0)),
        "mel bands": int(meta.get("n_mels", 0)),
        "lowest frequency": float(meta.get("fmin") or 0.0),
        "highest frequency": float(meta.get("fmax") or sr / 2.0),
    }
    ours = {
        "sample rate": mel.sample_rate,
        "FFT size": mel.n_fft,
        "hop": mel.hop_length,
        "mel bands": mel.n_mels,
        "lowest frequency": mel.fmin,
        "highest frequency": mel.fmax_hz,
    }
    diffs = [f"{k} {theirs[k]:g} vs {ours[k]:g}" for k in ours if abs(theirs[k] - ours[k]) > 1e-6]
    if diffs:
        return "the spectrograms' mel settings differ from the vocoder's: " + ", ".join(diffs)
    return None


@dataclass(frozen=True)
class VocoderSound:
    """Like :class:`~ganstudio.core.sound.run_sound.SoundParams` (``to_audio``, ``one``,
    ``sample_rate``), with a vocoder in place of the inverter."""

    base: Any  # the run's SoundParams: statistics and mel parameters
    vocoder: Any  # a MelVocoder

    @classmethod
    def checked(cls, base: Any, vocoder: Any) -> VocoderSound:
        """Raise ValueError (with the differences) unless the vocoder fits ``base``."""
        base.check()
        reason = mismatch(base.meta, vocoder.mel)
        if reason:
            raise ValueError(reason)
        return cls(base, vocoder)

    @property
    def sample_rate(self) -> int:
        return self.base.sample_rate

    def check(self) -> VocoderSound:
        return self

    def to_audio(self, specs01: np.ndarray) -> np.ndarray:
        """(n, mels, frames[, 1]) spectrograms in [0, 1] -> (n, clip_samples) float32."""
        # deferred: scipy (the inverter)
        from ganstudio.core.audio.inversion import denormalise

        power = denormalise(np.asarray(specs01, np.float32), self.base.stats, self.base.meta)
        hop = self.vocoder.mel.hop_length
        length = int(self.base.meta.get("clip_samples", power.shape[2] * hop))
        half = hop // 2  # its frames are centred half a hop after the inverter's
        out = np.zeros((len(power), length), np.float32)
        for i, p in enumerate(power):
            y = self.vocoder.render(log_mel_from_power(p.T))[half : half + length]
            out[i, : len(y)] = y
        peak = np.abs(out).max(axis=1, keepdims=True)
        return (out * np.minimum(1.0, 0.99 / np.maximum(peak, 1e-9))).astype(np.float32)

    def one(self, spec01: np.ndarray) -> np.ndarray:
        x = np.asarray(spec01, np.float32)
        while x.ndim > 2 and x.shape[0] == 1:
            x = x[0]
        if x.ndim == 3 and x.shape[-1] == 1:
            x = x[..., 0]
        return self.to_audio(x[None])[0]


class VocoderCache:
    """One open vocoder per path, for the one worker thread that owns the cache."""

    def __init__(self) -> None:
        self._path = ""
        self._vocoder: Any = None

    def get(self, path: str) -> Any:
        if path != self._path or self._vocoder is None:
            self._vocoder, self._path = MelVocoder.load(path), path
        return self._vocoder


def run_spectrogram_sound(
    spec01: np.ndarray, run: str, vocoder_path: str, cache: VocoderCache
) -> tuple[np.ndarray, int]:
    """Worker-thread job: one [0, 1] spectrogram of run ``run`` as sound — through the
    vocoder at ``vocoder_path`` when its mel settings match the run's, else by phase
    reconstruction. Returns ``(samples, sample_rate)``."""

    base = SoundParams.of_run(run)
    if vocoder_path:
        vocoder = cache.get(vocoder_path)
        if mismatch(base.meta, vocoder.mel) is None:
            return VocoderSound(base.check(), vocoder).one(spec01), base.sample_rate
    return base.one(spec01), base.sample_rate
