"""Run folders side by side: curves by step or wall time, settings that differ, last grids.

Plain data for the window's compare dialog (no Qt). Reading is safe while a run is still
being written (metrics are read up to the last complete line).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ganstudio.core.metrics.eval_curves import EvalSeries
from ganstudio.core.rundir import checkpoint_step, find_run, honest_status, training_records
from ganstudio.core.training_curves import KEYS

#: settings that never tell runs apart in a useful way
IGNORED = ("options",)


@dataclass
class RunData:
    """One run's curves, settings and newest sample grid."""

    path: str
    name: str
    config: dict[str, Any]
    status: str
    steps: np.ndarray  # logged training steps
    minutes: np.ndarray  # wall time of each logged step since the first, in minutes
    train: dict[str, np.ndarray]  # d_loss, g_loss, d_real, d_fake per logged step
    evals: EvalSeries = field(default_factory=EvalSeries)
    grid: np.ndarray | None = None  # the newest sample grid (n, h, w, c) or points (n, 2)
    grid_step: int | None = None
    start_time: float = 0.0

    def eval_minutes(self, extractor: str) -> np.ndarray:
        """Wall time of each evaluation of ``extractor``, in minutes since the first step."""
        return (self.evals.times(extractor) - self.start_time) / 60.0


def read_run_data(path: str | Path) -> RunData:
    """Read a run folder; raises ValueError naming the folder if it is not one."""
    run = find_run(path)
    if run is None:
        raise ValueError(f"{path} is not a GAN Studio run folder (config.json is missing)")
    config = run.read_config().to_dict()
    records, _ = run.read_metrics()
    train = training_records(records)
    times = np.array([float(r.get("time", np.nan)) for r in train])
    start = float(np.nanmin(times)) if len(times) and np.isfinite(times).any() else 0.0
    evals = EvalSeries()
    evals.extend(records)
    steps = run.sample_steps()
    grid, grid_step = None, None
    if steps:
        with contextlib.suppress(OSError, ValueError):  # being written: no grid this time
            grid, grid_step = run.load_samples(steps[-1]), steps[-1]
    return RunData(
        path=str(run.path),
        name=run.path.name,
        config=config,
        status=_status(run),
        steps=np.array([float(r["step"]) for r in train]),
        minutes=(times - start) / 60.0,
        train={k: np.array([float(r.get(k, np.nan)) for r in train]) for k in KEYS},
        evals=evals,
        grid=grid,
        grid_step=grid_step,
        start_time=start,
    )


def _status(run) -> str:
    """The run's honest status; an interrupted run names its newest checkpoint."""
    status = honest_status(run, run.read_state())
    if status == "interrupted":
        return f"interrupted, checkpoint at step {checkpoint_step(run)}"
    return status


def differing_settings(configs: list[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
    """(setting, value per run) for every setting whose values differ between runs."""
    keys = sorted({k for c in configs for k in c} - set(IGNORED))
    out = []
    for key in keys:
        values = [c.get(key) for c in configs]
        if any(v != values[0] for v in values[1:]):
            out.append((key, values))
    return out
