"""A trained vocoder ready to use: log-mel frames -> waveform, and sound -> new sound.

:class:`MelVocoder` wraps a ``melgan`` generator and the mel analysis it was trained with
(read from the run's ``generator/generator.json``). Long inputs go through the generator
in fixed-size overlapping windows joined by crossfades (:mod:`.chunks`), so memory stays
bounded, the traced graph is reused, and there are no clicks at the seams.

Threading contract: a :class:`MelVocoder` is used from one thread at a time (Keras models
are not safe to call concurrently); TensorFlow is imported when one is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.audio.io import resample
from ganstudio.core.audio.vocoder_mel import MEL_FLOOR, VocoderMel, log_mel_frames
from ganstudio.core.generator import generator_files
from ganstudio.core.kinds import VOCODER
from ganstudio.core.rundir import locate_run
from ganstudio.core.vocoder.chunks import WindowPlan, render_windows
from ganstudio.core.vocoder.segments import PEAK_LEVEL

#: ``kind`` of a vocoder's exported generator (generator.json)
VOCODER_KIND = VOCODER.name
_LOG_FLOOR = float(np.log(MEL_FLOOR))

Progress = Callable[[tuple[int, int]], None]


class MelVocoder:
    """Log-mel frames ``(frames, n_mels)`` -> waveform ``(frames * hop,)`` at the model's
    rate; :meth:`resynthesize` turns any sound into the model's version of it."""

    def __init__(
        self,
        model: Any,
        mel: VocoderMel,
        *,
        name: str = "",
        core_frames: int = 256,
        context_frames: int = 16,
        batch: int = 2,
    ) -> None:
        import tensorflow as tf

        self.model = model
        self.mel = mel
        self.name = name
        self.core_frames = int(core_frames)
        self.context_frames = int(context_frames)
        self.batch = int(batch)
        spec = tf.TensorSpec((None, None, mel.n_mels), tf.float32)
        self._call = tf.function(lambda x: model(x, training=False), input_signature=[spec])

    @classmethod
    def load(cls, path: str | Path, **kwargs: Any) -> MelVocoder:
        """From a vocoder run folder, its ``generator/`` folder or its ``generator.keras``."""

        model_path, info_path = generator_files(path)
        if not model_path.is_file() or not info_path.is_file():
            raise FileNotFoundError(
                f"no exported vocoder at {model_path.parent} (train a melgan run a few steps)"
            )
        info = json.loads(info_path.read_text(encoding="utf-8"))
        if info.get("kind") != VOCODER_KIND:
            raise ValueError(
                f"{path}: this generator makes {info.get('kind', 'unknown data')}, not sound "
                "from a mel spectrogram: choose a run trained with --model melgan"
            )
        import keras

        model = keras.saving.load_model(model_path, compile=False, safe_mode=True)

        name = kwargs.pop("name", locate_run(path).path.name)
        return cls(model, VocoderMel.from_meta(info.get("data_meta") or {}), name=name, **kwargs)

    @property
    def sample_rate(self) -> int:
        return self.mel.sample_rate

    def describe(self) -> str:
        m = self.mel
        return (
            f"{self.name or 'vocoder'}: {m.sample_rate} Hz, {m.n_mels} mel bands, "
            f"n_fft {m.n_fft}, hop {m.hop_length}"
        )

    # -- rendering ---------------------------------------------------------------------------
    def render_whole(self, frames: np.ndarray) -> np.ndarray:
        """One pass over all ``frames`` (no windows; silence around them, as in
        :meth:`render`): ``(frames * hop,)``."""
        c, hop = self.context_frames, self.mel.hop_length
        x = np.pad(np.asarray(frames, np.float32), ((c, c), (0, 0)), constant_values=_LOG_FLOOR)
        out = np.asarray(self._call(x[None]), np.float32).reshape(-1)
        return out[c * hop : len(out) - c * hop]

    def render(
        self,
        frames: np.ndarray,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> np.ndarray:
        """Waveform ``(frames * hop,)`` of log-mel ``frames`` (frames, n_mels), in windows."""
        x = np.asarray(frames, np.float32)
        if x.ndim != 2 or x.shape[1] != self.mel.n_mels:
            raise ValueError(f"expected (frames, {self.mel.n_mels}) log-mel frames, got {x.shape}")
        plan = WindowPlan(len(x), self.core_frames, self.context_frames, self.mel.hop_length)

        def run(batch: np.ndarray) -> np.ndarray:
            return np.asarray(self._call(batch), np.float32)

        return render_windows(
            plan,
            x,
            run,
            fill=_LOG_FLOOR,
            batch=self.batch,
            n_samples=len(x) * self.mel.hop_length,
            progress=progress,
            cancelled=cancelled,
        )

    def resynthesize(
        self,
        samples: np.ndarray,
        sample_rate: int,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> np.ndarray:
        """The model's rendering of a sound ``(n,)`` or ``(n, channels)`` at any rate:
        mixed to mono, resampled to the model's rate, analysed, re-made, returned
        ``(n',)`` float32 at :attr:`sample_rate` with the input's length and level (the
        analysis sees it at the training level, peak 0.95)."""

        x = np.asarray(samples, np.float32)
        if x.ndim == 2:
            x = x.mean(axis=1)
        x = resample(x, int(sample_rate), self.sample_rate)
        if x.size == 0:
            raise ValueError("the sound holds no samples")
        peak = float(np.abs(x).max())
        if peak < 1e-6:
            return np.zeros(len(x), np.float32)
        gain = PEAK_LEVEL / peak
        frames = log_mel_frames(x * np.float32(gain), self.mel)
        y = self.render(frames, progress=progress, cancelled=cancelled)[: len(x)]
        return (y / np.float32(gain)).astype(np.float32)
