"""Reading, describing and writing sound files through soundfile (libsndfile).

libsndfile 1.1+ (bundled with the soundfile wheels) decodes WAV, FLAC, OGG/Vorbis,
AIFF and MP3 itself, so no ffmpeg is needed. All functions are plain blocking calls, safe
to run on any thread; every failure to read a file is an :class:`AudioError` whose text
names the file and the problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from ganstudio.core.atomic import atomic_path

AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {".wav", ".wave", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".aifc"}
)

_BIT_DEPTHS = {
    "PCM_S8": 8,
    "PCM_U8": 8,
    "PCM_16": 16,
    "PCM_24": 24,
    "PCM_32": 32,
    "FLOAT": 32,
    "DOUBLE": 64,
}


class AudioError(ValueError):
    """A sound file could not be read or written; the message names the file and why."""


@dataclass(frozen=True)
class AudioInfo:
    """Facts about a sound file, read from its header."""

    path: str
    format: str  # "WAV", "FLAC", "MP3", ...
    subtype: str  # "PCM_16", "PCM_24", "FLOAT", "MPEG_LAYER_III", ...
    bit_depth: int | None  # None for compressed formats without a fixed depth
    sample_rate: int
    channels: int
    frames: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    def summary(self) -> str:
        """One line for a person, e.g. ``FLAC, 24-bit, 48000 Hz, mono, 0.52 s``."""
        depth = f"{self.bit_depth}-bit" if self.bit_depth else self.subtype
        if self.subtype in ("FLOAT", "DOUBLE"):
            depth += " float"
        chans = {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels} channels")
        return f"{self.format}, {depth}, {self.sample_rate} Hz, {chans}, {self.duration:.2f} s"


def find_audio_files(folder: str | Path) -> list[Path]:
    """Every file under ``folder`` (recursively) whose extension is a known audio type,
    sorted by path. Other files are skipped silently; hidden folders are not entered."""
    root = Path(folder)
    if not root.is_dir():
        raise AudioError(f"{root}: not a folder")
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if Path(name).suffix.lower() in AUDIO_EXTENSIONS and not name.startswith("."):
                found.append(Path(dirpath) / name)
    return sorted(found)


def _open(path: Path) -> sf.SoundFile:
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if not path.is_file():
        raise AudioError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: the file is empty (0 bytes)")
    try:
        return sf.SoundFile(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        detail = str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc)
        raise AudioError(
            f"{path}: not a readable audio file - it is corrupt, or not audio despite its "
            f"'{path.suffix}' extension ({detail.strip()})"
        ) from exc


def describe_audio(path: str | Path) -> AudioInfo:
    """Format, subtype/bit depth, rate, channels and length of a sound file."""
    path = Path(path)
    with _open(path) as f:
        return AudioInfo(
            path=str(path),
            format=f.format,
            subtype=f.subtype,
            bit_depth=_BIT_DEPTHS.get(f.subtype),
            sample_rate=int(f.samplerate),
            channels=int(f.channels),
            frames=int(f.frames),
        )


def resample(samples: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Resample (n,) or (n, ch) float32 audio with soxr (high quality)."""
    if sr_in == sr_out or len(samples) == 0:
        return samples
    import soxr  # installed with librosa

    return np.ascontiguousarray(soxr.resample(samples, sr_in, sr_out, quality="HQ"), np.float32)


def load_audio(
    path: str | Path,
    *,
    mono: bool = False,
    sample_rate: int | None = None,
    max_seconds: float | None = None,
) -> tuple[np.ndarray, int]:
    """Decode a sound file to float32 in [-1, 1].

    Returns ``(samples, sr)``: samples are (n,) for mono files or when ``mono`` is true
    (channels averaged), else (n, channels). Any bit depth (8-bit unsigned, 16, 24, 32,
    float) is scaled to [-1, 1]. ``sample_rate`` resamples (soxr); ``max_seconds`` reads
    only the start of long files. Raises :class:`AudioError` for missing, empty (0 bytes),
    corrupt, renamed non-audio, zero-length (a header but no frames) or non-finite files.
    """
    path = Path(path)
    with _open(path) as f:
        sr = int(f.samplerate)
        if f.frames == 0:
            raise AudioError(f"{path}: the file has a valid header but holds no audio frames")
        frames = -1 if max_seconds is None else max(1, int(np.ceil(max_seconds * sr)))
        try:
            data = f.read(frames=frames, dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise AudioError(f"{path}: the audio data is corrupt ({exc})") from exc
    if len(data) == 0:
        raise AudioError(f"{path}: the audio data is missing or truncated (0 frames decoded)")
    if not np.isfinite(data).all():
        raise AudioError(f"{path}: the file holds invalid samples (NaN or infinity)")
    if mono or data.shape[1] == 1:
        data = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    if sample_rate is not None and sample_rate != sr:
        data = resample(data, sr, int(sample_rate))
        sr = int(sample_rate)
    return np.ascontiguousarray(data, dtype=np.float32), sr


def save_wav(path: str | Path, samples: np.ndarray, sr: int, *, subtype: str = "PCM_16") -> Path:
    """Write (n,) or (n, channels) float audio as a WAV file, atomically (a temporary file
    beside the target is renamed over it, so readers never see half a file). Samples are
    clipped to [-1, 1] for integer subtypes. Returns the path."""
    path = Path(path)
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim not in (1, 2) or data.size == 0:
        raise AudioError(f"{path}: expected (n,) or (n, channels) samples, got {data.shape}")
    if not np.isfinite(data).all():
        raise AudioError(f"{path}: refusing to write NaN or infinite samples")
    if int(sr) <= 0:
        raise AudioError(f"{path}: invalid sample rate {sr}")
    if subtype.startswith("PCM"):
        data = np.clip(data, -1.0, 1.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with atomic_path(path) as tmp:
            sf.write(tmp, data, int(sr), format="WAV", subtype=subtype)
    except Exception as exc:
        raise AudioError(f"{path}: could not write the WAV file ({exc})") from exc
    return path
