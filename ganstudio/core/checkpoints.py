"""Checkpoints: every weight and optimizer slot of a GAN in one ``.npz``, written atomically.

A checkpoint is written to a temporary file and renamed into place, so a crash while
writing never damages the newest complete checkpoint. Only the last ``keep`` are kept.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes

CKPT_RE = re.compile(r"ckpt_(\d+)\.npz$")


def _variables(gan: Any) -> dict[str, list]:
    groups = {
        "g": gan.generator.weights,
        "d": gan.discriminator.weights,
        "g_opt": gan.g_optimizer.variables,
        "d_opt": gan.d_optimizer.variables,
    }
    if getattr(gan, "ema_generator", None) is not None:
        groups["g_ema"] = gan.ema_generator.weights  # the averaged generator
    return groups


def checkpoint_arrays(
    gan: Any, step: int, extra: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """What a checkpoint holds: the step, every variable of ``gan`` and the ``extra`` arrays."""
    arrays: dict[str, np.ndarray] = {"step": np.asarray(step, np.int64)}
    for group, variables in _variables(gan).items():
        for i, v in enumerate(variables):
            arrays[f"{group}/{i:04d}"] = np.asarray(v.numpy())
    for key, value in (extra or {}).items():
        arrays[f"extra/{key}"] = np.asarray(value)
    return arrays


def save_checkpoint(
    gan: Any,
    directory: str | Path,
    step: int,
    *,
    keep: int = 3,
    extra: dict[str, np.ndarray] | None = None,
) -> Path:
    """Save ``gan``'s weights and optimizer state at ``step``; prune to the last ``keep``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez(buf, **checkpoint_arrays(gan, step, extra))
    path = directory / f"ckpt_{step:07d}.npz"
    atomic_write_bytes(path, buf.getvalue())
    for old in list_checkpoints(directory)[:-keep]:
        old.unlink(missing_ok=True)
    return path


def list_checkpoints(directory: str | Path) -> list[Path]:
    """Complete checkpoints in ``directory``, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in directory.iterdir() if (m := CKPT_RE.match(p.name))]
    return [p for _, p in sorted(found)]


def latest_checkpoint(directory: str | Path) -> Path | None:
    found = list_checkpoints(directory)
    return found[-1] if found else None


def latest_checkpoint_step(directory: str | Path) -> int:
    """The step of the newest complete checkpoint in ``directory`` (0 if there is none)."""
    path = latest_checkpoint(directory)
    match = CKPT_RE.match(path.name) if path is not None else None
    return int(match.group(1)) if match else 0


def read_checkpoint(path: str | Path) -> dict[str, np.ndarray]:
    """Every array of the checkpoint at ``path``."""
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


def load_checkpoint(gan: Any, path: str | Path) -> tuple[int, dict[str, np.ndarray]]:
    """Restore ``gan`` from ``path``; return (step, extra arrays).

    Raises ValueError if the checkpoint does not match the model's variables.
    """
    return restore_arrays(gan, read_checkpoint(path), Path(path).name)


def restore_arrays(
    gan: Any, data: dict[str, np.ndarray], name: str
) -> tuple[int, dict[str, np.ndarray]]:
    """Assign checkpoint ``data`` (named ``name`` in messages) to ``gan``; (step, extras)."""
    for group, variables in _variables(gan).items():
        keys = sorted(k for k in data if k.startswith(group + "/"))
        if group == "g_ema" and not keys:  # saved before averaging was turned on
            for avg, w in zip(variables, gan.generator.weights, strict=True):
                avg.assign(w)
            continue
        if len(keys) != len(variables):
            raise ValueError(
                f"checkpoint {name} holds {len(keys)} {group} variables, "
                f"the model has {len(variables)}: was it made by another model?"
            )
        for key, var in zip(keys, variables, strict=True):
            value = data[key]
            if tuple(value.shape) != tuple(var.shape):
                raise ValueError(
                    f"checkpoint {name}: {group} variable {var.path} "
                    f"has shape {value.shape}, the model expects {tuple(var.shape)}"
                )
            var.assign(value)
    extra = {k.split("/", 1)[1]: v for k, v in data.items() if k.startswith("extra/")}
    return int(data["step"]), extra


def generator_weights(path: str | Path) -> tuple[int, list[np.ndarray]]:
    """(step, the sampling generator's weights in order) from a checkpoint or ``best.npz``:
    the weight average where the run keeps one, else the generator."""
    with np.load(path) as f:
        group = "g_ema/" if any(k.startswith("g_ema/") for k in f.files) else "g/"
        keys = sorted(k for k in f.files if k.startswith(group))
        return int(f["step"]), [f[k] for k in keys]
