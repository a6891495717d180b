"""Resynthesis jobs: a sound file through a vocoder (a ``melgan`` run or a foreign
spectrogram -> waveform file) into a new sound, for ``ganstudio resynth`` and the Audio
tab. Blocking functions that return plain data; call them on a worker thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.audio.io import AUDIO_EXTENSIONS, find_audio_files, load_audio, save_wav
from ganstudio.core.foreign.opening import open_model


@dataclass(frozen=True)
class Resynthesis:
    """One sound and its resynthesis."""

    source: str
    original: np.ndarray  # (n,) or (n, channels), as decoded
    original_rate: int
    output: np.ndarray  # (m,) mono at the model's rate
    output_rate: int
    model: str  # the vocoder's description
    seconds: float  # wall time of the resynthesis

    @property
    def duration(self) -> float:
        return len(self.output) / self.output_rate

    @property
    def speed(self) -> float:
        """Seconds of sound made per second of work."""
        return self.duration / max(self.seconds, 1e-9)


def open_vocoder(path: str | Path, answers: dict[str, str] | None = None) -> Any:
    """A model that resynthesises sound (``resynthesize``, ``sample_rate``, ``describe``),
    from a vocoder run or a foreign spectrogram -> waveform file. Raises
    :class:`~ganstudio.core.foreign.opening.NeedsAnswers` or ValueError with the reason."""

    opened = open_model(path, answers)
    if not opened.is_vocoder:
        raise ValueError(
            f"{Path(path).name}: {opened.summary} — it does not turn a sound into a sound; "
            "resynthesis needs a melgan run or a generator that takes a mel spectrogram"
        )
    return opened.model


def resynthesize_file(
    vocoder: Any,
    path: str | Path,
    *,
    progress: Callable[[Any], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_seconds: float | None = None,
) -> Resynthesis:
    """Decode ``path`` (any format and rate the audio panel opens) and resynthesise it."""
    original, sr = load_audio(path, max_seconds=max_seconds)
    start = time.perf_counter()
    out = vocoder.resynthesize(original, sr, progress=progress, cancelled=cancelled)
    return Resynthesis(
        str(path),
        original,
        sr,
        out,
        vocoder.sample_rate,
        vocoder.describe(),
        time.perf_counter() - start,
    )


def output_paths(inputs: list[Path], out: Path) -> list[Path]:
    """Where each input's resynthesis goes: ``out`` itself for one input and a ``.wav``
    path, else ``out/<name>-resynth.wav`` (numbered when taken, never overwriting)."""
    if out.suffix.lower() == ".wav":
        if len(inputs) != 1:
            raise ValueError(f"{len(inputs)} inputs need a folder for --out, not a .wav file")
        return [out]
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: not a folder (give a folder or a .wav file)")
    taken: set[Path] = set()
    paths = []
    for src in inputs:
        candidate, n = out / f"{src.stem}-resynth.wav", 2
        while candidate.exists() or candidate in taken:
            candidate, n = out / f"{src.stem}-resynth-{n}.wav", n + 1
        taken.add(candidate)
        paths.append(candidate)
    return paths


def expand_inputs(inputs: list[str | Path]) -> list[Path]:
    """Sound files among ``inputs`` (folders searched recursively). Raises ValueError
    naming a missing input, or when no sound is found."""

    found: list[Path] = []
    for raw in inputs:
        p = Path(raw).expanduser()
        if p.is_dir():
            found.extend(find_audio_files(p))
        elif p.is_file():
            if p.suffix.lower() not in AUDIO_EXTENSIONS:
                raise ValueError(f"{p}: not a sound file (WAV, FLAC, OGG, MP3, AIFF)")
            found.append(p)
        else:
            raise ValueError(f"{p}: no such file or folder")
    if not found:
        raise ValueError("no sound files to resynthesise")
    return found


def save_resynthesis(result: Resynthesis, path: str | Path) -> Path:
    """Write the resynthesis as a 16-bit WAV at the model's rate (atomically)."""
    peak = float(np.abs(result.output).max()) if result.output.size else 0.0
    samples = result.output / peak * 0.99 if peak > 0.99 else result.output
    return save_wav(path, samples, result.output_rate)
