"""Worker-thread jobs of the sound pads: load an audio generator, render latents to sound,
write WAV files. No widgets here.

Threading contract: a :class:`ModelSlot` and the generator in it are touched only by these
jobs, which a pad bank runs one at a time on its own :class:`JobRunner` thread (Keras
models are not safe to call from two threads at once). Jobs return plain data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.audio.io import save_wav
from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.kinds import KINDS, get_kind
from ganstudio.core.sound.run_sound import SoundParams, check_audio_stats
from ganstudio.core.sound.stand_in import VocoderCache, VocoderSound, mismatch


class AudioModelError(ValueError):
    """The model cannot make sound (not an audio generator, or its statistics are missing)."""


@dataclass(frozen=True)
class ModelSummary:
    """What the GUI needs to know about the generator in the slot."""

    name: str
    latent_dim: int
    output_shape: tuple
    sample_rate: int
    clip_samples: int

    @property
    def seconds(self) -> float:
        return self.clip_samples / self.sample_rate


class ModelSlot:
    """Holds the generator and the sound settings of its run, for the worker thread, and
    the vocoder chosen to stand in for phase reconstruction (a path; "" for none)."""

    def __init__(self) -> None:
        self.gen: Any = None
        self.sound = SoundParams()
        self.vocoder_path = ""
        self.vocoders = VocoderCache()

    def sound_maker(self) -> Any:
        """What turns the generator's spectrograms into sound: the chosen vocoder when its
        mel settings match, else the run's phase reconstruction."""
        if self.vocoder_path:
            vocoder = self.vocoders.get(self.vocoder_path)
            if mismatch(self.sound.meta, vocoder.mel) is None:
                return VocoderSound(self.sound, vocoder)
        return self.sound


def check_audio_generator(gen: Any, stats: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Raise :class:`AudioModelError` unless ``gen`` makes spectrograms we can invert."""
    kind = getattr(gen, "kind", None)
    if kind not in KINDS or not get_kind(kind).spectrogram:
        raise AudioModelError(
            f"this model generates {kind or 'unknown data'}, not sound: open a run trained "
            "on an audio: dataset (model specgan)"
        )
    try:
        check_audio_stats(stats, meta)
    except ValueError as exc:
        raise AudioModelError(str(exc)) from exc
    bands = int(gen.output_shape[0])
    if len(stats["mel_mean"]) != bands:
        raise AudioModelError(
            f"the model makes {bands} mel bands but its statistics describe "
            f"{len(stats['mel_mean'])}"
        )


def install(slot: ModelSlot, gen: Any, stats: dict, meta: dict, name: str) -> ModelSummary:
    """Put a checked generator into the slot."""
    check_audio_generator(gen, stats, meta)
    slot.gen, slot.sound = gen, SoundParams(dict(stats), dict(meta))
    return ModelSummary(
        name=name,
        latent_dim=int(gen.latent_dim),
        output_shape=tuple(int(v) for v in gen.output_shape),
        sample_rate=slot.sound.sample_rate,
        clip_samples=int(meta.get("clip_samples", 16384)),
    )


def load_run(slot: ModelSlot, path: str) -> ModelSummary:
    """Load the exported generator of a run folder (or its generator/ folder) and the
    run's sound settings; Keras is imported here, on the worker thread."""

    try:
        gen = LoadedGenerator.load(path)
        sound = SoundParams.of_run(path)
    except (FileNotFoundError, ValueError) as exc:
        raise AudioModelError(str(exc)) from exc
    except Exception as exc:
        raise AudioModelError(f"{path}: the generator could not be loaded ({exc})") from exc
    return install(slot, gen, sound.stats, sound.meta, gen.run_name)


def use_vocoder(slot: ModelSlot, path: str) -> str:
    """Worker-thread job: let the vocoder at ``path`` (a melgan run; "" for phase
    reconstruction) make the pads' sounds. Returns a message; raises
    :class:`AudioModelError` when it cannot (the pads keep phase reconstruction)."""

    slot.vocoder_path = ""
    if not path:
        return "Sound pads: phase reconstruction turns spectrograms into sound."
    try:
        vocoder = slot.vocoders.get(path)
    except (FileNotFoundError, ValueError) as exc:
        raise AudioModelError(
            f"the sound pads keep phase reconstruction: {exc} (they take a melgan run)"
        ) from exc
    if slot.gen is not None:
        reason = mismatch(slot.sound.meta, vocoder.mel)
        if reason:
            raise AudioModelError(f"the sound pads keep phase reconstruction: {reason}")
    slot.vocoder_path = path
    return f"Sound pads: the vocoder {vocoder.name} makes the sounds (where its mel settings fit)."


def render(slot: ModelSlot, z: np.ndarray) -> tuple[np.ndarray, int]:
    """Latents (k, latent_dim) -> ``(sounds (k, clip_samples) float32, sample_rate)``."""
    if slot.gen is None:
        raise AudioModelError("no audio model is loaded: use 'Load audio model…' first")
    specs = slot.gen.generate(np.asarray(z, np.float32))
    return slot.sound_maker().to_audio(specs), slot.sound.sample_rate


def render_pad(
    slot: ModelSlot, index: int, version: int, z: np.ndarray
) -> tuple[int, int, np.ndarray, int]:
    """Worker-thread job: one pad's latent -> (index, version, sound, sample rate)."""
    sounds, sr = render(slot, z)
    return index, version, sounds[0], sr


def free_names(folder: Path, count: int, stem: str = "sound") -> list[Path]:
    """``count`` new file names ``stem_00001.wav``... numbered after any already there."""
    taken = [p.stem.removeprefix(f"{stem}_") for p in folder.glob(f"{stem}_*.wav")]
    start = max((int(t) for t in taken if t.isdigit()), default=0) + 1
    return [folder / f"{stem}_{start + i:05d}.wav" for i in range(count)]


def write_folder(
    slot: ModelSlot,
    z: np.ndarray,
    folder: str,
    *,
    progress: Callable[[Any], None] | None = None,
    chunk: int = 16,
) -> tuple[str, ...]:
    """Render latents ``z`` (n, latent_dim) to new WAV files in ``folder`` (created if
    needed; existing files are never overwritten). Reports ``(done, total)`` progress."""

    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AudioModelError(f"{out}: cannot create the folder ({exc.strerror})") from exc
    names = free_names(out, len(z))
    written: list[str] = []
    for start in range(0, len(z), chunk):
        sounds, sr = render(slot, z[start : start + chunk])
        for sound, name in zip(sounds, names[start : start + chunk], strict=True):
            written.append(str(save_wav(name, sound, sr)))
        if progress is not None:
            progress((len(written), len(z)))
    return tuple(written)


def save_sound(path: str, samples: np.ndarray, sample_rate: int) -> str:
    """Write one sound as a 16-bit WAV (atomically)."""

    return str(save_wav(path, samples, sample_rate))
