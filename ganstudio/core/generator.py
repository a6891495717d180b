"""Exported generators: save a trained generator with a description, load it to sample.

``generator/generator.keras`` holds the network; ``generator/generator.json`` says how to
call it and read its output (latent size, classes, output shape and range, data kind).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core import checkpoints as ck
from ganstudio.core.atomic import atomic_path, atomic_write_text
from ganstudio.core.kinds import kind_of
from ganstudio.core.ranges import from_output_range
from ganstudio.core.rundir import GENERATOR_INFO, GENERATOR_MODEL, locate_run


def generator_files(path: str | Path) -> tuple[Path, Path]:
    """(model file, description file) of a run folder, a generator folder or a model file."""
    p = Path(path)
    if p.suffix == ".keras":
        return p, p.with_name(GENERATOR_INFO)
    run = locate_run(p)
    if run.generator_dir.is_dir():
        return run.generator_model_path, run.generator_info_path
    return p / GENERATOR_MODEL, p / GENERATOR_INFO


def export_generator(generator: Any, directory: str | Path, info: dict[str, Any]) -> Path:
    """Save ``generator`` and its ``info`` into ``directory`` (each file replaced atomically)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / GENERATOR_MODEL
    with atomic_path(target, suffix=".keras") as tmp:  # Keras wants the extension
        generator.save(tmp)
    atomic_write_text(directory / GENERATOR_INFO, json.dumps(info, indent=2) + "\n")
    return target


def class_labels(labels: np.ndarray | None, n: int, num_classes: int) -> np.ndarray:
    """int32 labels for ``n`` samples (every class in turn when None), checked."""
    if labels is None:
        labels = np.arange(n) % num_classes
    labels = np.asarray(labels, np.int32).reshape(-1)
    if labels.min(initial=0) < 0 or labels.max(initial=0) >= num_classes:
        raise ValueError(f"class labels must be in 0..{num_classes - 1}")
    return labels


class LoadedGenerator:
    """A generator ready to sample: ``generate(z, labels) -> float32 in [0, 1]``.

    Not thread-safe by itself: call it from one thread at a time (the explorer's worker).
    """

    def __init__(self, model: Any, info: dict[str, Any]) -> None:
        self.model = model
        self.info = dict(info)
        self.latent_dim = int(info["latent_dim"])
        self.num_classes = int(info.get("num_classes", 0))
        self.class_names = list(info.get("class_names", []))
        self.kind = str(info.get("kind", "images"))
        self.output_shape = tuple(info["output_shape"])
        lo, hi = info.get("output_range") or (0.0, 1.0)
        self.output_range = (float(lo), float(hi))
        self.source = ""  # the path it was loaded from, if any

    @classmethod
    def load(cls, path: str | Path) -> LoadedGenerator:
        """Load from a run folder, its ``generator/`` folder, or a ``generator.keras`` file."""
        model_path, info_path = generator_files(path)
        if not model_path.is_file() or not info_path.is_file():
            raise FileNotFoundError(
                f"no exported generator at {model_path.parent} (expected "
                f"{GENERATOR_MODEL} and {GENERATOR_INFO}; train a few steps first)"
            )
        info = json.loads(info_path.read_text(encoding="utf-8"))
        if not kind_of(info.get("kind")).from_noise:
            raise ValueError(
                f"{path}: this is a vocoder (it turns a mel spectrogram into sound, it does not "
                "sample from noise): use it with Resynthesize with model… or ganstudio resynth"
            )
        import keras

        model = keras.saving.load_model(model_path, compile=False)
        gen = cls(model, info)
        gen.source = str(path)
        return gen

    @classmethod
    def from_model(cls, model: Any, info: dict[str, Any]) -> LoadedGenerator:
        """Wrap a live Keras generator (e.g. a snapshot of the one being trained)."""
        return cls(model, info)

    @property
    def run_name(self) -> str:
        """The name of the run folder it came from (or of the file)."""
        return locate_run(self.source).path.name if self.source else ""

    @property
    def conditional(self) -> bool:
        return self.num_classes > 0

    def generate(self, z: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
        """Generated examples for latents ``z`` (n, latent_dim): images in [0, 1] or points."""
        z = np.asarray(z, np.float32).reshape(-1, self.latent_dim)
        if self.conditional:
            out = self.model([z, class_labels(labels, len(z), self.num_classes)], training=False)
        else:
            out = self.model(z, training=False)
        return from_output_range(out, kind_of(self.kind).range_for(self.output_range))


def load_run_generator(path: str | Path, checkpoint: str = "export") -> LoadedGenerator:
    """A run's generator with the weights of ``checkpoint``: ``export`` (as exported with
    the last sample grid), ``latest`` (the newest checkpoint), ``best`` (the best by the
    run's quality metric) or a step number. Raises FileNotFoundError naming what exists."""
    gen = LoadedGenerator.load(path)
    if checkpoint == "export":
        return gen
    run = locate_run(path)
    directory = run.checkpoints_dir
    if checkpoint == "best":
        file = ck.best_weights_path(directory)
        if not file.is_file():
            raise FileNotFoundError(
                f"{run.path.name} has no best checkpoint (it is kept when quality metrics "
                "run during training: --eval-every); try --checkpoint latest"
            )
    elif checkpoint == "latest":
        file = ck.latest_checkpoint(directory)
        if file is None:
            raise FileNotFoundError(f"{run.path.name} has no checkpoint yet")
    else:
        file = ck.checkpoint_path(directory, int(checkpoint))
        if not file.is_file():
            kept = [str(step) for step in ck.checkpoint_steps(directory)]
            if ck.best_weights_path(directory).is_file():
                kept.append("best")
            raise FileNotFoundError(
                f"{run.path.name} has no checkpoint at step {int(checkpoint)} "
                f"(kept: {', '.join(kept) or 'none'})"
            )
    step, weights = ck.generator_weights(file)
    variables = gen.model.weights
    if [tuple(w.shape) for w in weights] != [tuple(v.shape) for v in variables]:
        raise ValueError(f"{file.name} does not fit the exported generator of {run.path.name}")
    for var, value in zip(variables, weights, strict=True):
        var.assign(value)
    gen.info["step"] = step
    gen.info["checkpoint"] = checkpoint
    return gen
