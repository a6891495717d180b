"""Helpers for the audio GUI tests: a tiny audio model run folder built
with the engine's own layout, and a runner for subprocesses with their own ALSA config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.conftest import ROOT

#: the tiny model's sound: 4096 samples at 8 kHz, 32 mel bands x 32 frames
TINY_RATE = 8000
TINY_SAMPLES = 4096


def build_tiny_audio_run(run: Path, drums_dir: Path) -> Path:
    """A run folder holding an untrained SpecGAN-shaped generator exported as the trainer
    exports one (generator/generator.keras + generator.json, data_stats.npz), with the mel
    statistics of six real drum clips."""
    from ganstudio.core.data.audio_folder import load_audio_dataset
    from ganstudio.core.generator import export_generator
    from ganstudio.core.models.specgan import specgan_generator
    from ganstudio.core.rundir import RunDir

    data = load_audio_dataset(
        drums_dir, sample_rate=TINY_RATE, clip_samples=TINY_SAMPLES, n_mels=32, limit=6, seed=1
    )
    shape = data.x.shape[1:]
    assert shape == (32, 32, 1)
    model = specgan_generator(8, shape, dim=4)
    info = {
        "latent_dim": 8,
        "num_classes": 0,
        "class_names": [],
        "output_shape": list(shape),
        "kind": "audio",
        "output_range": [-1.0, 1.0],
        "model": "specgan",
        "step": 0,
        "dataset": f"audio:{drums_dir}",
        "data_meta": data.meta,
    }
    export_generator(model, RunDir(run).generator_dir, info)
    RunDir(run).save_stats(data.stats)
    return run


def run_with_alsa(home: Path, script: str, *args: str, timeout: float = 240) -> dict:
    """Run ``script`` in a fresh Python whose HOME (so ALSA's ``~/.asoundrc``) is ``home``;
    it must print a JSON report as its last line."""
    env = dict(
        os.environ,
        HOME=str(home),
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(home),
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def file_sink_home(shared_dir: Path, home: Path) -> Path:
    """Write ``home/.asoundrc`` sending the default ALSA device into a file; return that file."""
    sink = home / "played.raw"
    config = (shared_dir / "tools" / "asoundrc-file-sink").read_text()
    assert "/tmp/ganstudio-played.raw" in config
    (home / ".asoundrc").write_text(config.replace("/tmp/ganstudio-played.raw", str(sink)))
    return sink


def no_device_home(home: Path) -> None:
    """Write ``home/.asoundrc`` whose default device is a sound card that does not exist."""
    (home / ".asoundrc").write_text("pcm.!default { type hw card 99 device 0 }\n")


def played_floats(sink: Path) -> np.ndarray:
    data = sink.read_bytes() if sink.exists() else b""
    return np.frombuffer(data[: len(data) // 4 * 4], "<f4")
