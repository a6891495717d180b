"""Foreign generators adapted to GAN Studio's interfaces.

* :class:`ForeignGenerator` — a latent (+ label) model; a :class:`LoadedGenerator`, so the
  explorer and the sampler use it like an exported run. Images and spectrograms come out
  ``(h, w, c)`` in [0, 1]; spectrograms as ``(mel bands, frames, 1)``, lowest band first,
  whatever the model's own axis order; waveforms ``(n,)`` in [-1, 1].
* :class:`ForeignVocoder` — a spectrogram -> waveform model (the seed's ``(mels, frames,
  1)`` generator); like :class:`~ganstudio.core.vocoder.vocoder.MelVocoder` it
  resynthesises any sound, in overlapping windows of the model's own frame count.

Threading contract: one thread at a time per object (Keras models are not thread-safe).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.audio.io import resample
from ganstudio.core.audio.vocoder_mel import VocoderMel, mel_power_centred
from ganstudio.core.foreign.answers import RANGES
from ganstudio.core.foreign.signature import Signature
from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.kinds import kind_for_foreign
from ganstudio.core.sound.run_sound import SoundParams
from ganstudio.core.vocoder.chunks import WindowPlan, render_windows

TOP_DB = 80.0  # librosa.power_to_db's default floor below the maximum


def _spectrogram_meta(frames: int, answers: dict[str, str], n_mels: int) -> dict[str, Any]:
    sr, hop = int(answers["sample_rate"]), int(answers["hop_length"])
    return {
        "sample_rate": sr,
        "n_fft": int(answers["n_fft"]),
        "hop_length": hop,
        "n_mels": n_mels,
        "n_frames": frames,
        "clip_samples": (frames - 1) * hop,
        "fmin": 0.0,
        "fmax": sr / 2.0,
        "clip_sigma": 3.0,
        "log_eps": 0.0,
    }


def db_stats(n_mels: int, top_db: float) -> dict[str, np.ndarray]:
    """Per-band statistics that make the run-audio inverter read [0, 1] as
    ``[-top_db, 0]`` dB (:func:`ganstudio.core.audio.inversion.denormalise` computes
    ``exp((2x - 1) * 3 * std + mean)``; these choose std and mean so that equals
    ``10 ** ((x - 1) * top_db / 10)``)."""
    k = top_db * np.log(10.0) / 10.0
    std = np.full(n_mels, k / 6.0, np.float32)
    mean = np.full(n_mels, -k / 2.0, np.float32)
    return {"mel_mean": mean, "mel_std": std}


def adapted_model(model: Any, sig: Signature, layout: str, classes: int, made: str) -> Any:
    """A Keras model with GAN Studio's calling convention around a foreign one: inputs
    ``z`` or ``[z, label index]``; outputs ``(h, w, c)`` images, ``(mels, frames, 1)``
    spectrograms (lowest band first) or ``(n,)`` waveforms. Built-in layers only."""
    import keras
    from keras import layers

    z = keras.Input((sig.latent_dim,), name="z")
    inputs: list = [z]
    call: Any = z
    if sig.input_kind == "latent+label":
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        if sig.label_form == "onehot":
            code = layers.CategoryEncoding(classes, output_mode="one_hot")(label)
        else:
            code = layers.Reshape((1,))(label)
        call = [code, z] if sig.latent_index == 1 else [z, code]
    out = model(call)
    shape = tuple(sig.output_shape)
    kind = kind_for_foreign(made)
    if kind.spectrogram:
        out = layers.Reshape(shape[:2])(out)
        if layout == "frames_mels":
            out = layers.Permute((2, 1))(out)
        rows = shape[1] if layout == "frames_mels" else shape[0]
        cols = shape[0] if layout == "frames_mels" else shape[1]
        out = layers.Reshape((rows, cols, 1))(out)
    elif kind.tiled and len(shape) == 2:
        out = layers.Reshape((*shape, 1))(out)
    elif kind.to_sound is not None:
        out = layers.Reshape((shape[0],))(out)
    return keras.Model(inputs if len(inputs) > 1 else z, out, name="adapted_generator")


class ForeignGenerator(LoadedGenerator):
    """A foreign latent (+ label) generator as a :class:`LoadedGenerator`: its ``model``
    is :func:`adapted_model` around the file's model, so every consumer (the explorer's
    traced calls included) sees GAN Studio's conventions."""

    def __init__(self, model: Any, sig: Signature, answers: dict[str, str], source: str) -> None:
        made = sig.output_kind or answers["output_kind"]
        self.layout = sig.layout or answers.get("layout", "mels_frames")
        classes = sig.num_classes if sig.num_classes is not None else int(answers["num_classes"])
        adapted = adapted_model(model, sig, self.layout, int(classes or 0), made)
        shape = tuple(int(d) for d in adapted.output_shape[1:])
        kind = kind_for_foreign(made)
        out_range = sig.output_range or RANGES[answers.get("output_range", "-1,1")]
        info: dict[str, Any] = {
            "latent_dim": sig.latent_dim,
            "num_classes": int(classes or 0),
            "class_names": [str(i) for i in range(int(classes or 0))],
            "kind": kind.name,
            "output_shape": list(shape),
            "output_range": list(out_range) if kind.scaled else None,
            "model": "foreign",
        }
        self.stats: dict[str, np.ndarray] = {}
        if kind.spectrogram:
            info["data_meta"] = _spectrogram_meta(shape[1], answers, shape[0])
            self.stats = db_stats(shape[0], float(answers.get("top_db", TOP_DB)))
        elif kind.to_sound is not None:
            info["data_meta"] = {"sample_rate": int(answers["sample_rate"])}
        super().__init__(adapted, info)
        if not kind.scaled:
            self.output_range = None  # waveforms stay in [-1, 1]
        self.signature = sig
        self.source = source

    @property
    def run_name(self) -> str:
        return Path(self.source).name

    def sound_params(self) -> Any:
        """How its spectrograms become sound (dB scale, the answered STFT settings)."""

        return SoundParams(dict(self.stats), dict(self.info.get("data_meta") or {}))


def scale_mel(power: np.ndarray, scale: str) -> tuple[np.ndarray, float]:
    """A mel power spectrogram scaled as the model expects, and the value of silence."""
    ref = float(power.max()) if power.size and power.max() > 0 else 1.0
    db = 10.0 * np.log10(np.maximum(power, 1e-10) / ref)
    db = np.maximum(db, -TOP_DB).astype(np.float32)
    if scale == "db":
        return db, -TOP_DB
    if scale == "power_minmax":
        return (power / ref).astype(np.float32), 0.0
    lo, hi = float(db.min()), float(db.max())
    return ((db - lo) / max(hi - lo, 1e-6)).astype(np.float32), 0.0


class ForeignVocoder:
    """A foreign spectrogram -> waveform model that resynthesises any sound."""

    def __init__(self, model: Any, sig: Signature, answers: dict[str, str], name: str) -> None:
        import tensorflow as tf

        self.model, self.signature, self.name = model, sig, name
        self.layout = sig.layout or answers["layout"]
        shape = sig.input_shape
        mels_axis = 0 if self.layout == "mels_frames" else 1
        self.n_mels = int(shape[mels_axis])
        self.fixed_frames = shape[1 - mels_axis]
        self.channel_axis = len(shape) == 3
        self.scale = answers["input_scale"]
        sr = int(answers["sample_rate"])
        self.mel = VocoderMel(
            sr, int(answers["n_fft"]), int(answers["hop_length"]), self.n_mels, 0.0, None
        )
        spec = tf.TensorSpec((None, *[None if s is None else s for s in shape]), tf.float32)
        self._call = tf.function(lambda x: model(x, training=False), input_signature=[spec])

    @property
    def sample_rate(self) -> int:
        return self.mel.sample_rate

    def describe(self) -> str:
        m = self.mel
        return (
            f"{self.name}: {m.sample_rate} Hz, {m.n_mels} mel bands ({self.layout}), "
            f"n_fft {m.n_fft}, hop {m.hop_length}, input {self.scale}"
        )

    def _plan(self, n_frames: int) -> WindowPlan:
        if self.fixed_frames is None:
            return WindowPlan(n_frames, 256, 16, self.mel.hop_length)
        w = int(self.fixed_frames)
        context = max(1, w // 8)
        return WindowPlan(n_frames, w - 2 * context, context, self.mel.hop_length)

    def _run(self, windows: np.ndarray) -> np.ndarray:
        x = windows if self.layout == "frames_mels" else windows.transpose(0, 2, 1)
        if self.channel_axis:
            x = x[..., None]
        out = np.asarray(self._call(np.ascontiguousarray(x, np.float32)), np.float32)
        return out.reshape(len(windows), -1)

    def resynthesize(
        self,
        samples: np.ndarray,
        sample_rate: int,
        *,
        progress: Callable[[tuple[int, int]], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> np.ndarray:
        """The model's rendering of a sound: mono, at :attr:`sample_rate`, input length."""
        x = np.asarray(samples, np.float32)
        x = resample(x.mean(axis=1) if x.ndim == 2 else x, int(sample_rate), self.sample_rate)
        if x.size == 0:
            raise ValueError("the sound holds no samples")
        frames, silence = scale_mel(mel_power_centred(x, self.mel), self.scale)
        plan = self._plan(frames.shape[1])
        y = render_windows(
            plan,
            frames.T,
            self._run,
            fill=silence,
            batch=2,
            n_samples=len(x),
            progress=progress,
            cancelled=cancelled,
        )
        return np.clip(y, -1.0, 1.0)
