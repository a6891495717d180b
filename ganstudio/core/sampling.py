"""Write samples from a run's exported generator to disk (``ganstudio sample``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.imaging import save_png, tile_grid


def truncated_latents(n: int, dim: int, seed: int | None, truncation: float = 1.0) -> np.ndarray:
    """Standard normal latents scaled toward the mean by ``truncation`` (1 = no change)."""
    if not 0.0 <= truncation <= 1.0:
        raise ValueError("truncation must be between 0 and 1")
    z = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return z * np.float32(truncation)


def write_samples(
    run: str | Path,
    n: int,
    *,
    out: str | Path | None = None,
    seed: int | None = None,
    label: int | None = None,
    truncation: float = 1.0,
) -> list[Path]:
    """Generate ``n`` samples; write a grid PNG (``out`` ending .png) or files in a folder."""
    if n < 1:
        raise ValueError("-n must be at least 1")
    gen = LoadedGenerator.load(run)
    z = truncated_latents(n, gen.latent_dim, seed, truncation)
    labels = None
    if gen.conditional:
        labels = (
            np.full(n, label, np.int32) if label is not None else np.arange(n) % gen.num_classes
        )
    elif label is not None:
        raise ValueError("--label needs a class-conditional model")
    out_path = (
        Path(out) if out is not None else Path("samples.png" if gen.kind == "images" else "samples")
    )
    chunks = [
        gen.generate(z[i : i + 256], None if labels is None else labels[i : i + 256])
        for i in range(0, n, 256)
    ]
    data = np.concatenate(chunks)
    if gen.kind == "audio":
        return _write_audio(gen, run, data, out_path)
    if gen.kind == "points":
        out_path = out_path if out_path.suffix == ".npy" else out_path.with_suffix(".npy")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        np.save(out_path, data)
        return [out_path]
    if out_path.suffix.lower() == ".png":
        out_path.parent.mkdir(parents=True, exist_ok=True)
        cols = gen.num_classes if gen.conditional and label is None else None
        return [
            save_png(tile_grid(data, cols=cols), out_path, scale=2 if data.shape[1] <= 32 else 1)
        ]
    out_path.mkdir(parents=True, exist_ok=True)
    return [save_png(img, out_path / f"sample_{i:05d}.png") for i, img in enumerate(data)]


def _write_audio(
    gen: LoadedGenerator, run: str | Path, specs: np.ndarray, out_dir: Path
) -> list[Path]:
    from ganstudio.core.audio.inversion import spectrogram_to_audio
    from ganstudio.core.audio.io import save_wav
    from ganstudio.core.rundir import RunDir

    run_path = Path(run)
    if run_path.name == "generator":
        run_path = run_path.parent
    stats = RunDir(run_path).load_stats()
    meta = gen.info.get("data_meta", {})
    waves = spectrogram_to_audio(specs, stats, meta)
    out_dir.mkdir(parents=True, exist_ok=True)
    sr = int(meta.get("sample_rate", 16000))
    return [save_wav(out_dir / f"sound_{i:05d}.wav", w, sr) for i, w in enumerate(waves)]
