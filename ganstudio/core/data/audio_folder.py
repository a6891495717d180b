"""The ``audio:FOLDER`` dataset: short sounds as normalised log-mel spectrograms.

Pipeline per file: decode (any rate, channels, bit depth) -> mono -> resample to
``sample_rate`` -> keep the first ``clip_samples`` (the onset), zero-pad short ones ->
peak-normalise to 0.9 (about -0.9 dBFS) -> log-mel (:func:`features.log_mel`). Then, as
in SpecGAN, every mel band is z-scored with its mean and standard deviation over the
whole dataset, clipped at +-3 sigma and scaled to [-1, 1]; we store ``(z/3 + 1) / 2`` in
[0, 1] (0.5 = the band mean), and the trainer maps [0, 1] -> [-1, 1] for a tanh
generator. :func:`ganstudio.core.audio.inversion.spectrogram_to_audio` undoes it.

Blocking; run it on a worker thread. Files are decoded by a small thread pool
(libsndfile and soxr release the GIL).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ganstudio.core.audio.features import (
    DEFAULT_PARAMS,
    LOG_EPS,
    MelParams,
    fit_length,
    log_mel,
)
from ganstudio.core.audio.io import AudioError, find_audio_files, load_audio
from ganstudio.core.control import raise_if_cancelled
from ganstudio.core.data.dataset import DataError, Dataset

PEAK_LEVEL = 0.9
ROUND_FILES_PER_WORKER = 4  # files read per worker between two looks at ``cancel``
CLIP_SIGMA = 3.0
NORMALISATION = "peak 0.9, log-mel z-score per band, clip +-3 sigma, [0, 1]"


def load_clip(path: str | Path, params: MelParams = DEFAULT_PARAMS) -> np.ndarray:
    """One file as a mono, resampled, onset-aligned, peak-normalised clip
    (clip_samples,) float32. Raises :class:`AudioError` (also for silent files)."""
    max_seconds = params.clip_samples / params.sample_rate + 0.1
    y, _ = load_audio(path, mono=True, sample_rate=params.sample_rate, max_seconds=max_seconds)
    y = fit_length(y, params.clip_samples)
    peak = float(np.abs(y).max())
    if peak < 1e-6:
        raise AudioError(f"{path}: the sound is silent (no sample above -120 dBFS)")
    return (y * np.float32(PEAK_LEVEL / peak)).astype(np.float32)


def normalise(log_mels: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Log-mel (n, n_mels, frames) -> [0, 1] with per-band moments (n_mels,)."""
    z = (log_mels - mean[None, :, None]) / std[None, :, None]
    z = np.clip(z, -CLIP_SIGMA, CLIP_SIGMA)
    return ((z / CLIP_SIGMA + 1.0) * 0.5).astype(np.float32)


def _choose(files: list[Path], limit: int | None, seed: int) -> list[Path]:
    if limit is None or limit >= len(files):
        return files
    order = np.random.default_rng(seed).permutation(len(files))
    return [files[i] for i in order]


def load_audio_dataset(
    folder: str | Path,
    *,
    sample_rate: int = 16000,
    clip_samples: int = 16384,
    n_mels: int = 128,
    n_fft: int = 1024,
    hop_length: int = 128,
    limit: int | None = None,
    seed: int = 0,
    workers: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Dataset:
    """Every readable audio file under ``folder`` as (N, n_mels, frames, 1) float32 in
    [0, 1], frames = clip_samples // hop_length (128 by default).

    Non-audio files (by extension) are skipped silently; audio files that cannot be
    decoded are listed in ``Dataset.skipped`` as ``(path, reason)``. ``limit`` keeps a
    random (``seed``) subset of that many readable files. ``stats`` holds ``mel_mean`` and
    ``mel_std`` (n_mels,) of the log-mel bands; ``meta`` the parameters needed to turn
    generator output back into sound. Raises :class:`DataError` naming the folder when
    it holds no readable audio. ``cancel`` is asked before each small round of files
    (see :func:`~ganstudio.core.control.raise_if_cancelled`).
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"audio folder {root} does not exist or is not a folder")
    if limit is not None and limit < 1:
        raise DataError(f"limit must be at least 1, got {limit}")
    params = MelParams(
        sample_rate=int(sample_rate),
        clip_samples=int(clip_samples),
        n_fft=int(n_fft),
        hop_length=int(hop_length),
        n_mels=int(n_mels),
        n_frames=int(clip_samples) // int(hop_length),
    )
    files = find_audio_files(root)
    if not files:
        raise DataError(f"no audio files (WAV, FLAC, OGG, MP3, AIFF) found in {root}")
    candidates = _choose(files, limit, seed)
    want = len(candidates) if limit is None else min(limit, len(candidates))

    def read(path: Path) -> tuple[Path, np.ndarray | None, str]:
        try:
            return path, load_clip(path, params), ""
        except AudioError as exc:
            return path, None, str(exc).removeprefix(f"{path}: ")

    clips: list[tuple[Path, np.ndarray]] = []
    skipped: list[tuple[str, str]] = []
    n_workers = workers or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        start = 0
        while len(clips) < want and start < len(candidates):
            raise_if_cancelled(cancel)
            size = min(max(want - len(clips), n_workers), ROUND_FILES_PER_WORKER * n_workers)
            batch = candidates[start : start + size]
            start += len(batch)
            for path, clip, reason in pool.map(read, batch):
                if clip is None:
                    skipped.append((str(path), reason))
                elif len(clips) < want:
                    clips.append((path, clip))
    if not clips:
        raise DataError(f"none of the {len(files)} audio files in {root} could be read")
    clips.sort(key=lambda item: str(item[0]))

    logs = log_mel(np.stack([c for _, c in clips]), params)
    mean = logs.mean(axis=(0, 2)).astype(np.float32)
    std = np.maximum(logs.std(axis=(0, 2)), 1e-3).astype(np.float32)
    x = normalise(logs, mean, std)[..., None]
    meta = params.to_meta()
    meta.update(
        n_files=len(clips),
        normalisation=NORMALISATION,
        peak_level=PEAK_LEVEL,
        clip_sigma=CLIP_SIGMA,
        log_eps=LOG_EPS,
        source=str(root),
        files=[str(p.relative_to(root)) for p, _ in clips],
    )
    return Dataset(
        name=root.name or str(root),
        kind="audio",
        x=x,
        skipped=sorted(skipped),
        stats={"mel_mean": mean, "mel_std": std},
        meta=meta,
    )
