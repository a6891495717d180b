"""The checkpoint format, in one place: names, keys, the best checkpoint, reading and writing.

A run's ``checkpoints/`` folder holds:

- ``ckpt_<step, 7 digits>.npz``: every weight and optimizer slot of the GAN at a step
  (keys ``step``, ``<group>/<index, 4 digits>`` for the groups in :data:`GROUPS`, and
  ``extra/<name>`` for what the session keeps besides, e.g. :data:`FIXED_NOISE`). Written
  atomically; only the last ``keep`` are kept.
- ``best.npz`` (``step`` and the sampling generator's weights as ``g/…``) and ``best.json``
  (:func:`best_info` and the step): the generator at the step with the best quality
  metric so far; never pruned.

Everything else asks this module (:func:`checkpoint_path`, :func:`checkpoint_step`,
:func:`best_weights_path` …) rather than spelling the names itself.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.atomic import atomic_write_bytes, atomic_write_text

PREFIX, SUFFIX = "ckpt_", ".npz"
_NAME_RE = re.compile(rf"^{PREFIX}(\d+){re.escape(SUFFIX)}$")
BEST_WEIGHTS = "best.npz"
BEST_INFO = "best.json"

STEP = "step"  # the key of the step inside every checkpoint
GENERATOR, DISCRIMINATOR, G_OPT, D_OPT, G_EMA = "g", "d", "g_opt", "d_opt", "g_ema"
GROUPS = (GENERATOR, DISCRIMINATOR, G_OPT, D_OPT, G_EMA)
EXTRA = "extra"
FIXED_NOISE, FIXED_LABELS, REAL_POINTS, SEED = "fixed_noise", "fixed_labels", "real_points", "seed"


# --------------------------------------------------------------------- names
def checkpoint_name(step: int) -> str:
    """The file name of the checkpoint at ``step``."""
    return f"{PREFIX}{int(step):07d}{SUFFIX}"


def checkpoint_path(directory: str | Path, step: int) -> Path:
    """Where the checkpoint at ``step`` lives in the checkpoints ``directory``."""
    return Path(directory) / checkpoint_name(step)


def checkpoint_step(path: str | Path) -> int | None:
    """The step a checkpoint file (path or name) was saved at; None if it is not one."""
    match = _NAME_RE.match(Path(path).name)
    return int(match.group(1)) if match else None


def best_weights_path(directory: str | Path) -> Path:
    """The best checkpoint's weights (``best.npz``) in the checkpoints ``directory``."""
    return Path(directory) / BEST_WEIGHTS


def best_info_path(directory: str | Path) -> Path:
    """The best checkpoint's description (``best.json``) in the checkpoints ``directory``."""
    return Path(directory) / BEST_INFO


def variable_key(group: str, index: int) -> str:
    """The key of the ``index``-th variable of ``group`` (one of :data:`GROUPS`)."""
    return f"{group}/{index:04d}"


def extra_key(name: str) -> str:
    """The key of the extra array ``name`` (e.g. :data:`FIXED_NOISE`)."""
    return f"{EXTRA}/{name}"


def group_keys(data: Any, group: str) -> list[str]:
    """The keys of ``group``'s variables in ``data`` (a dict or an open ``.npz``), in order."""
    return sorted(k for k in data if k.startswith(group + "/"))


def _variables(gan: Any) -> dict[str, list]:
    groups = {
        GENERATOR: gan.generator.weights,
        DISCRIMINATOR: gan.discriminator.weights,
        G_OPT: gan.g_optimizer.variables,
        D_OPT: gan.d_optimizer.variables,
    }
    if getattr(gan, "ema_generator", None) is not None:
        groups[G_EMA] = gan.ema_generator.weights  # the averaged generator
    return groups


def checkpoint_arrays(
    gan: Any, step: int, extra: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """What a checkpoint holds: the step, every variable of ``gan`` and the ``extra`` arrays."""
    arrays: dict[str, np.ndarray] = {STEP: np.asarray(step, np.int64)}
    for group, variables in _variables(gan).items():
        for i, v in enumerate(variables):
            arrays[variable_key(group, i)] = np.asarray(v.numpy())
    for key, value in (extra or {}).items():
        arrays[extra_key(key)] = np.asarray(value)
    return arrays


def write_arrays(path: str | Path, arrays: dict[str, np.ndarray]) -> Path:
    """Write checkpoint ``arrays`` to ``path`` (an uncompressed ``.npz``), atomically."""
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())
    return Path(path)


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
    path = write_arrays(checkpoint_path(directory, step), checkpoint_arrays(gan, step, extra))
    prune_checkpoints(directory, keep)
    return path


def prune_checkpoints(directory: str | Path, keep: int) -> None:
    """Delete all but the newest ``keep`` checkpoints (the best checkpoint is not one)."""
    for old in list_checkpoints(directory)[:-keep]:
        old.unlink(missing_ok=True)


def list_checkpoints(directory: str | Path) -> list[Path]:
    """Complete checkpoints in ``directory``, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = [(step, p) for p in directory.iterdir() if (step := checkpoint_step(p)) is not None]
    return [p for _, p in sorted(found)]


def checkpoint_steps(directory: str | Path) -> list[int]:
    """The steps of the complete checkpoints in ``directory``, oldest first."""
    return [checkpoint_step(p) or 0 for p in list_checkpoints(directory)]


def latest_checkpoint(directory: str | Path) -> Path | None:
    found = list_checkpoints(directory)
    return found[-1] if found else None


def latest_checkpoint_step(directory: str | Path) -> int:
    """The step of the newest complete checkpoint in ``directory`` (0 if there is none)."""
    path = latest_checkpoint(directory)
    return (checkpoint_step(path) or 0) if path is not None else 0


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
        keys = group_keys(data, group)
        if group == G_EMA and not keys:  # saved before averaging was turned on
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
    extra = {k.split("/", 1)[1]: v for k, v in data.items() if k.startswith(EXTRA + "/")}
    return int(data[STEP]), extra


def generator_weights(path: str | Path) -> tuple[int, list[np.ndarray]]:
    """(step, the sampling generator's weights in order) from a checkpoint or ``best.npz``:
    the weight average where the run keeps one, else the generator."""
    with np.load(path) as f:
        keys = group_keys(f.files, G_EMA) or group_keys(f.files, GENERATOR)
        return int(f[STEP]), [f[k] for k in keys]


# ----------------------------------------------------------- best checkpoint
def best_info(metric: str, value: float, higher_is_better: bool, extractor: str) -> dict[str, Any]:
    """The description ``best.json`` holds (its step is added by :func:`save_best`)."""
    return {
        "metric": metric,
        "value": float(value),
        "higher_is_better": bool(higher_is_better),
        "extractor": extractor,
    }


def read_best(directory: str | Path) -> dict[str, Any] | None:
    """The best checkpoint's description (:func:`best_info`), or None if there is none (yet)."""
    try:
        info = json.loads(best_info_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not best_weights_path(directory).is_file():
        return None
    return info


def save_best(
    directory: str | Path, step: int, weights: list[np.ndarray], info: dict[str, Any]
) -> Path:
    """Write ``best.npz`` (the generator's ``weights`` at ``step``), then ``best.json``
    (``info`` with the step)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {STEP: np.asarray(step, np.int64)}
    arrays.update({variable_key(GENERATOR, i): np.asarray(w) for i, w in enumerate(weights)})
    path = write_arrays(best_weights_path(directory), arrays)
    atomic_write_text(
        best_info_path(directory), json.dumps({**info, STEP: int(step)}, indent=2) + "\n"
    )
    return path
