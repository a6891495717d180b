"""A run's spectrograms as sound: the statistics and mel parameters that invert them.

An audio run keeps per-band statistics in ``data_stats.npz`` and its mel parameters in
the exported generator's ``data_meta``. :class:`SoundParams` holds both, checks them and
turns generator output in [0, 1] into waveforms. The sampler, the sound pads and the
window's spectrogram player all read a run's sound through :meth:`SoundParams.of_run`.
Pure functions of their inputs; call them off the GUI thread (inversion takes a while).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.rundir import locate_run


def check_audio_stats(stats: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Raise ValueError unless ``stats``/``meta`` can turn spectrograms back into sound."""
    missing = [k for k in ("mel_mean", "mel_std") if k not in (stats or {})]
    if missing:
        raise ValueError(
            "cannot turn these spectrograms into sound: the run's data_stats.npz lacks "
            + ", ".join(missing)
            + " (was it trained on an audio: dataset?)"
        )
    if not meta or "sample_rate" not in meta:
        raise ValueError(
            "cannot turn these spectrograms into sound: the model's data description "
            "(data_meta) has no sample_rate"
        )


@dataclass(frozen=True)
class SoundParams:
    """Data statistics and mel parameters that turn [0, 1] spectrograms into sound."""

    stats: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of_run(cls, path: str | Path) -> SoundParams:
        """Read them from a run folder (or its ``generator/`` folder or a file in it)."""

        run = locate_run(path)
        info = run.read_generator_info()
        if not info:
            raise ValueError(
                f"{run.path}: no exported generator (generator/generator.json) to play"
            )
        return cls(run.load_stats(), dict(info.get("data_meta") or {}))

    @property
    def sample_rate(self) -> int:
        return int(self.meta.get("sample_rate", 16000))

    def check(self) -> SoundParams:
        check_audio_stats(self.stats, self.meta)
        return self

    def to_audio(self, specs01: np.ndarray) -> np.ndarray:
        """(n, mels, frames[, 1]) spectrograms in [0, 1] -> (n, samples) float32 sound."""
        # deferred: scipy (the inverter)
        from ganstudio.core.audio.inversion import spectrogram_to_audio

        self.check()
        return spectrogram_to_audio(np.asarray(specs01, np.float32), self.stats, self.meta)

    def one(self, spec01: np.ndarray) -> np.ndarray:
        """One spectrogram ((h, w), (h, w, 1) or (1, h, w, 1)) -> (samples,) float32."""
        x = np.asarray(spec01, np.float32)
        if x.ndim == 4 and x.shape[0] == 1:
            x = x[0]
        if x.ndim == 3 and x.shape[-1] == 1:
            x = x[..., 0]
        if x.ndim != 2:
            raise ValueError(f"expected one spectrogram (mel bands, frames), got shape {x.shape}")
        if not np.isfinite(x).all():
            raise ValueError("the spectrogram holds NaN or infinite values")
        return self.to_audio(x[None])[0]


def spectrogram_audio(
    spec01: np.ndarray, stats: dict[str, np.ndarray], meta: dict[str, Any]
) -> tuple[np.ndarray, int]:
    """Worker-thread job: one [0, 1] spectrogram -> ``(samples (n,) float32, sample_rate)``.
    Raises ValueError with a readable text."""
    params = SoundParams(dict(stats), dict(meta))
    return params.one(spec01), params.sample_rate
