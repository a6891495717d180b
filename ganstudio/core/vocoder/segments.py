"""Vocoder training data: whole clips of any length, their log-mel frames, random segments.

:func:`load_segment_set` decodes every readable sound in a folder (any rate, channels and
length; mono, resampled to the mel rate), peak-normalises it to 0.95, pads clips shorter
than one segment, computes its log-mel frames once and holds out a seeded choice of clips
(never trained on; the live view and the benchmark listen to them). Training batches are
random ``segment_frames``-frame windows of the training clips, every window position
equally likely, with a random gain of 0 to ``-gain_db`` dB: the log-mel of ``g x`` is
``max(log g + log-mel of x, log floor)`` for ``g <= 1``, so no spectrum is recomputed.

Blocking; call it on the training thread. Batches are plain NumPy arrays.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.audio.io import AudioError, find_audio_files, load_audio
from ganstudio.core.audio.vocoder_mel import MEL_FLOOR, VocoderMel, log_mel_frames
from ganstudio.core.data.dataset import DataError

PEAK_LEVEL = 0.95
_LOG_FLOOR = np.float32(np.log(MEL_FLOOR))


@dataclass
class ClipSet:
    """Clips (each ``(n,)`` float32, a whole number of hops long) and their log-mel frames."""

    names: list[str] = field(default_factory=list)
    clips: list[np.ndarray] = field(default_factory=list)
    mels: list[np.ndarray] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.clips)

    @property
    def n_samples(self) -> int:
        return int(sum(len(c) for c in self.clips))


@dataclass
class SegmentSet:
    """Training and held-out clips for a vocoder, and random training segments."""

    mel: VocoderMel
    train: ClipSet
    held_out: ClipSet
    segment_frames: int
    gain_db: float = 12.0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""

    @property
    def segment_samples(self) -> int:
        return self.segment_frames * self.mel.hop_length

    # what the training session reads of any dataset
    kind = "audio"
    num_classes = 0
    class_names: tuple[str, ...] = ()

    @property
    def stats(self) -> dict[str, np.ndarray]:
        return {}

    @property
    def example_shape(self) -> tuple[int, int]:
        """One training example: ``(segment_frames, n_mels)`` mel frames."""
        return (self.segment_frames, self.mel.n_mels)

    def __len__(self) -> int:
        """Non-overlapping segments in the training clips (one epoch's worth)."""
        return max(1, sum(len(m) for m in self.train.mels) // self.segment_frames)

    def meta(self) -> dict[str, Any]:
        """Plain facts recorded in the run: mel parameters, segment size and file lists."""
        sr = self.mel.sample_rate
        return {
            **self.mel.to_meta(),
            "segment_frames": self.segment_frames,
            "segment_samples": self.segment_samples,
            "gain_db": self.gain_db,
            "peak_level": PEAK_LEVEL,
            "mel_floor": MEL_FLOOR,
            "source": self.source,
            "train_files": list(self.train.names),
            "held_out_files": list(self.held_out.names),
            "train_seconds": round(self.train.n_samples / sr, 2),
            "held_out_seconds": round(self.held_out.n_samples / sr, 2),
        }

    def batch(self, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
        """``size`` random segments: ``(mel (size, F, n_mels), wave (size, F * hop, 1))``."""
        f, hop = self.segment_frames, self.mel.hop_length
        positions = np.array([len(m) - f + 1 for m in self.train.mels], np.float64)
        clips = rng.choice(len(positions), size=size, p=positions / positions.sum())
        mels = np.empty((size, f, self.mel.n_mels), np.float32)
        waves = np.empty((size, f * hop, 1), np.float32)
        gains = -rng.uniform(0.0, self.gain_db, size) if self.gain_db > 0 else np.zeros(size)
        for i, c in enumerate(clips):
            start = int(rng.integers(0, positions[c]))
            g = np.float32(10.0 ** (gains[i] / 20.0))
            waves[i, :, 0] = self.train.clips[c][start * hop : (start + f) * hop] * g
            mels[i] = np.maximum(self.train.mels[c][start : start + f] + np.log(g), _LOG_FLOOR)
        return mels, waves

    def batches(self, size: int, seed: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        rng = np.random.default_rng(seed)
        while True:
            yield self.batch(rng, size)

    def tf_dataset(self, size: int, seed: int) -> Any:
        """An endless, prefetched ``tf.data.Dataset`` of :meth:`batch` batches."""
        import tensorflow as tf

        f, n_mels = self.segment_frames, self.mel.n_mels
        signature = (
            tf.TensorSpec((size, f, n_mels), tf.float32),
            tf.TensorSpec((size, self.segment_samples, 1), tf.float32),
        )
        data = tf.data.Dataset.from_generator(
            lambda: self.batches(size, seed), output_signature=signature
        )
        return data.prefetch(2)


def prepare_clip(samples: np.ndarray, mel: VocoderMel, min_frames: int) -> np.ndarray:
    """Peak-normalise a mono clip to :data:`PEAK_LEVEL` and zero-pad it to a whole number
    of hops, at least ``min_frames`` frames. Raises ValueError for silence."""
    peak = float(np.abs(samples).max()) if samples.size else 0.0
    if peak < 1e-6:
        raise ValueError("the sound is silent (no sample above -120 dBFS)")
    frames = max(min_frames, mel.n_frames(len(samples)))
    out = np.zeros(frames * mel.hop_length, np.float32)
    out[: len(samples)] = samples * np.float32(PEAK_LEVEL / peak)
    return out


def _held_out_choice(n: int, holdout: float, seed: int) -> set[int]:
    """Indices of held-out clips: ``holdout`` clips (a count >= 1) or that fraction of
    them (0 < holdout < 1), at least one, always leaving one to train on; none of one."""
    if n < 2 or holdout <= 0:
        return set()
    count = round(holdout * n) if holdout < 1 else int(holdout)
    count = min(max(count, 1), n - 1)
    return {int(i) for i in np.random.default_rng(seed).permutation(n)[:count]}


def load_segment_set(
    folder: str | Path,
    mel: VocoderMel,
    *,
    segment_frames: int = 32,
    holdout: float = 0.1,
    gain_db: float = 12.0,
    limit: int | None = None,
    seed: int = 0,
    workers: int | None = None,
) -> SegmentSet:
    """Read a folder of sounds for vocoder training (see the module docstring).

    ``holdout``: a fraction (below 1) or a count of clips to hold out; ``limit``: use at
    most that many files (a seeded choice). Non-audio files are skipped silently;
    unreadable or silent ones are listed in ``skipped``. Raises :class:`DataError`."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(f"audio folder {root} does not exist or is not a folder")
    if segment_frames < 2:
        raise DataError(f"a training segment needs at least 2 frames, not {segment_frames}")
    files = find_audio_files(root)
    if not files:
        raise DataError(f"no audio files (WAV, FLAC, OGG, MP3, AIFF) found in {root}")
    if limit is not None and limit < len(files):
        pick = np.random.default_rng(seed).permutation(len(files))[:limit]
        files = [files[i] for i in sorted(pick)]

    def read(path: Path) -> tuple[Path, np.ndarray | None, str]:
        try:
            y, _ = load_audio(path, mono=True, sample_rate=mel.sample_rate)
            return path, prepare_clip(y, mel, segment_frames), ""
        except (AudioError, ValueError) as exc:
            return path, None, str(exc).removeprefix(f"{path}: ")

    with ThreadPoolExecutor(max_workers=workers or min(8, os.cpu_count() or 1)) as pool:
        results = list(pool.map(read, files))
    good = [(p, c) for p, c, _ in results if c is not None]
    skipped = sorted((str(p), why) for p, c, why in results if c is None)
    if not good:
        raise DataError(f"none of the {len(files)} audio files in {root} could be read")
    held = _held_out_choice(len(good), holdout, seed)
    train, held_out = ClipSet(), ClipSet()
    for i, (path, clip) in enumerate(good):
        target = held_out if i in held else train
        target.names.append(str(path.relative_to(root)))
        target.clips.append(clip)
        target.mels.append(log_mel_frames(clip, mel))
    return SegmentSet(mel, train, held_out, int(segment_frames), float(gain_db), skipped, str(root))
