"""Write samples of a generator to disk: ``ganstudio sample`` and the explorer's
"generate N to a folder" both call :func:`write_samples`, so they agree on latents,
labels, truncation and file layout.

Layout: a path ending in ``.png`` gets one grid image; any other path is a folder that
gets one file per sample (``sample_00000.png``, or ``sound_00000.wav`` for audio
generators, or one ``points.csv`` for 2-D point generators) and ``latents.npy``, the
latents used, so every sample can be reproduced. Blocks: call it off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core import imaging
from ganstudio.core.audio.io import save_wav
from ganstudio.core.kinds import kind_of, sample_scale
from ganstudio.core.latent.space import LatentError, sample_latents
from ganstudio.core.sound.run_sound import SoundParams
from ganstudio.core.sound.stand_in import VocoderSound

BATCH = 256


def sample_labels(gen: Any, n: int, label: int | None) -> np.ndarray | None:
    """Labels for ``n`` samples: ``label`` for all, or every class in turn when None."""
    classes = int(getattr(gen, "num_classes", 0) or 0)
    if not classes:
        if label is not None:
            raise LatentError("a class label needs a class-conditional generator")
        return None
    if label is None:
        return (np.arange(n) % classes).astype(np.int32)
    if not 0 <= int(label) < classes:
        raise LatentError(f"class {label} is outside 0..{classes - 1}")
    return np.full(n, int(label), np.int32)


def generate(gen: Any, z: np.ndarray, labels: np.ndarray | None, batch: int = BATCH):
    """``gen.generate`` over ``z`` in batches of ``batch``; float32 outputs."""
    chunks = [
        np.asarray(
            gen.generate(z[i : i + batch], None if labels is None else labels[i : i + batch]),
            np.float32,
        )
        for i in range(0, len(z), batch)
    ]
    return np.concatenate(chunks)


def write_samples(
    gen: Any,
    n: int,
    out: str | Path,
    *,
    seed: int = 0,
    label: int | None = None,
    truncation: float = 1.0,
    batch: int = BATCH,
    vocoder: Any = None,
) -> list[Path]:
    """Generate ``n`` samples from ``seed`` and write them to ``out`` (see the module doc).

    Audio generators need their run's sound settings: ``gen.source`` names the run (a
    foreign generator brings its own, ``gen.sound_params()``). A ``vocoder`` (a
    :class:`~ganstudio.core.vocoder.vocoder.MelVocoder` with the same mel settings) turns
    the spectrograms into sound instead of the phase-reconstruction inverter. Waveform
    generators write their output as it is.
    """
    if n < 1:
        raise LatentError(f"the number of samples must be at least 1, not {n}")
    z = sample_latents(n, int(gen.latent_dim), seed, truncation)
    labels = sample_labels(gen, n, label)
    out = Path(out)
    kind = kind_of(gen.kind)
    if out.suffix.lower() == ".png":
        if not kind.tiled:
            what = "points.csv" if kind.plane else "sound files"
            raise LatentError(f"a generator of {kind.noun} writes {what} into a folder, not a PNG")
        data = generate(gen, z, labels, batch)
        out.parent.mkdir(parents=True, exist_ok=True)
        cols = int(gen.num_classes) if labels is not None and label is None else None
        tiles = kind.tiles(data)
        grid = imaging.tile_grid(tiles, cols=cols)
        return [imaging.save_png(grid, out, scale=sample_scale(tiles))]
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "latents.npy", z)
    if kind.plane:
        path = out / "points.csv"
        pts = generate(gen, z, labels, batch).reshape(n, -1)
        np.savetxt(path, pts, delimiter=",", header="x,y", comments="", fmt="%.6f")
        return [path]
    sound = _sound_params(gen, vocoder) if kind.to_sound is not None else None
    width = max(5, len(str(n - 1)))
    written: list[Path] = []
    for i in range(0, n, batch):
        data = generate(gen, z[i : i + batch], None if labels is None else labels[i : i + batch])
        if sound is None:
            for j, image in enumerate(kind.tiles(data)):
                written.append(imaging.save_png(image, out / f"sample_{i + j:0{width}d}.png"))
            continue

        waves = kind.to_sound(data, sound)
        for j, wave in enumerate(waves):
            name = out / f"sound_{i + j:0{width}d}.wav"
            written.append(save_wav(name, wave, sound.sample_rate))
    return written


def _sound_params(gen: Any, vocoder: Any = None) -> Any:
    if hasattr(gen, "sound_params"):
        base = gen.sound_params()
    else:
        source = getattr(gen, "source", "")
        if not source:
            raise LatentError("this audio generator was not loaded from a run: no sound settings")
        base = SoundParams.of_run(source)
    if not kind_of(gen.kind).spectrogram:  # waveforms are sound as they are
        return base
    base.check()
    if vocoder is None:
        return base

    try:
        return VocoderSound.checked(base, vocoder)
    except ValueError as exc:
        raise LatentError(f"cannot use the vocoder {vocoder.name}: {exc}") from exc
