"""The live view of a vocoder run: fixed held-out clips, each shown as its input mel
beside the mel of the waveform the generator makes from it, with both sounds kept so a
click can play the original (left half) or the resynthesis (right half).

Every sample step writes ``samples/step_NNNNNNN.png`` and ``.npy`` (the tiles, as other
runs) and ``samples/step_NNNNNNN.sound.npz`` (``original``, ``resynth`` (k, n) float16 and
``sample_rate``), so a reopened or watched run plays too. Pure NumPy; thread-safe.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes
from ganstudio.core.audio.vocoder_mel import MEL_FLOOR, VocoderMel, log_mel_frames
from ganstudio.core.imaging import save_png, tile_grid
from ganstudio.core.rundir import RunDir

GAP = 2  # columns between the input mel and the generated one
_LOG_FLOOR = float(np.log(MEL_FLOOR))


@dataclass(frozen=True)
class Shown:
    """One step's view: tiles (k, n_mels, 2 F + GAP, 1) in [0, 1] and the sounds."""

    images: np.ndarray
    original: np.ndarray
    resynth: np.ndarray
    sample_rate: int
    names: tuple[str, ...]

    def extra(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "resynth": self.resynth,
            "sample_rate": self.sample_rate,
            "names": list(self.names),
        }


def _start_frame(mel: np.ndarray, frames: int) -> int:
    """Where a clip's sound begins: the first frame within 30 dB (log 3.45) of its peak,
    moved back so ``frames`` frames fit."""
    energy = mel.max(axis=1)
    first = int(np.argmax(energy > energy.max() - 3.45))
    return max(0, min(first, len(mel) - frames))


@dataclass(frozen=True)
class LiveView:
    """The fixed clips a vocoder run is watched on."""

    names: tuple[str, ...]
    frames: np.ndarray  # (k, F, n_mels) input log-mel frames
    original: np.ndarray  # (k, F * hop) the sound they were computed from
    mel: VocoderMel
    top: float  # the largest log-mel value of the originals (the colour scale's top)

    @classmethod
    def choose(cls, data: Any, clips: int, seconds: float) -> LiveView:
        """Up to ``clips`` held-out clips (training clips if none are held out), each cut to
        ``seconds`` from where its sound begins."""
        source = data.held_out if len(data.held_out) else data.train
        hop = data.mel.hop_length
        frames = max(2, round(seconds * data.mel.sample_rate / hop))
        names, mels, waves = [], [], []
        chosen = list(zip(source.names, source.clips, source.mels, strict=True))[:clips]
        for name, clip, mel in chosen:
            start = _start_frame(mel, frames)
            m = mel[start : start + frames]
            w = clip[start * hop : (start + frames) * hop]
            if len(m) < frames:  # a short clip: silence after it
                m = np.pad(m, ((0, frames - len(m)), (0, 0)), constant_values=_LOG_FLOOR)
                w = np.pad(w, (0, frames * hop - len(w)))
            names.append(name)
            mels.append(m)
            waves.append(w)
        stacked = np.stack(mels).astype(np.float32)
        return cls(tuple(names), stacked, np.stack(waves), data.mel, float(stacked.max()))

    def _scaled(self, mel: np.ndarray) -> np.ndarray:
        x = (mel - _LOG_FLOOR) / max(self.top - _LOG_FLOOR, 1e-6)
        return np.clip(x, 0.0, 1.0).T[::-1]  # (n_mels, F), low bands at the bottom

    def render(self, waves: np.ndarray) -> Shown:
        """The view of generated waveforms ``(k, F * hop)`` made from :attr:`frames`."""
        waves = np.asarray(waves, np.float32).reshape(len(self.frames), -1)
        tiles = []
        for inp, wave in zip(self.frames, waves, strict=True):
            out = log_mel_frames(wave, self.mel)[: len(inp)]
            gap = np.full((inp.shape[1], GAP), 0.5, np.float32)
            tiles.append(np.concatenate([self._scaled(inp), gap, self._scaled(out)], axis=1))
        images = np.stack(tiles)[..., None].astype(np.float32)
        return Shown(images, self.original, waves, self.mel.sample_rate, self.names)


def sound_path(run: RunDir, step: int) -> Path:
    return run.sample_path(step, "sound.npz")


def save_view(run: RunDir, step: int, shown: Shown) -> Path:
    """Write the step's tiles (PNG + array) and sounds into the run folder; the PNG path."""
    buf = io.BytesIO()
    np.save(buf, shown.images.astype(np.float16))
    atomic_write_bytes(run.sample_path(step, "npy"), buf.getvalue())
    buf = io.BytesIO()
    np.savez(
        buf,
        original=shown.original.astype(np.float16),
        resynth=np.clip(shown.resynth, -1, 1).astype(np.float16),
        sample_rate=np.asarray(shown.sample_rate),
    )
    atomic_write_bytes(sound_path(run, step), buf.getvalue())
    return save_png(tile_grid(shown.images, cols=1), run.sample_path(step, "png"))


def read_sounds(run: str | Path, step: int) -> dict[str, Any] | None:
    """The sounds saved with a vocoder run's view at ``step`` (None if there are none)."""
    path = sound_path(RunDir(run), step)
    if not path.is_file():
        return None
    try:
        with np.load(path) as f:
            return {
                "original": f["original"].astype(np.float32),
                "resynth": f["resynth"].astype(np.float32),
                "sample_rate": int(f["sample_rate"]),
            }
    except (OSError, ValueError, KeyError):
        return None
