"""Run folders in the window: open one, follow one that is still being written, recent runs.

:func:`read_run` reads a whole run folder (config, state, metrics, sample grids) into
plain data. :class:`RunWatcher` polls a run folder on a QTimer — new metrics lines via
``RunDir.tail_metrics(offset)`` (resume markers included, see
:mod:`ganstudio.core.metrics_log`) and new sample files — so the window can follow a
headless ``ganstudio train`` (also on another machine through a shared folder).
GUI thread only; reads are small and incremental.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from ganstudio.config import ConfigError, TrainConfig
from ganstudio.core.metrics_log import MetricsChunk
from ganstudio.core.rundir import find_run


class RunError(ValueError):
    """A folder is not a readable run folder; the message says why."""


def _rundir(path: str | Path) -> Any:
    run = find_run(path)
    if run is None:
        raise RunError(f"{path} is not a GAN Studio run folder (config.json is missing)")
    return run


@dataclass
class RunSnapshot:
    """Everything the window shows about a run folder, as plain data."""

    path: str
    config: TrainConfig | None
    state: dict
    metrics: list[dict]
    metrics_offset: int
    samples: list[tuple[int, np.ndarray]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.samples and self.samples[-1][1].ndim == 2:
            return "points"
        return "images"


def read_samples(rundir: Any, steps: list[int]) -> list[tuple[int, np.ndarray]]:
    out = []
    for step in steps:
        try:
            out.append((int(step), np.asarray(rundir.load_samples(step), dtype=np.float32)))
        except (OSError, ValueError) as exc:  # a grid being written right now: next poll
            del exc
    return out


def read_run(path: str | Path) -> RunSnapshot:
    """Read a run folder; raises :class:`RunError` with a readable message."""
    rd = _rundir(path)
    try:
        config = rd.read_config()
    except (ConfigError, OSError, ValueError) as exc:
        raise RunError(f"cannot read the run's settings: {exc}") from exc
    try:
        state = rd.read_state() or {}
    except (OSError, ValueError):
        state = {}
    records, offset = rd.read_metrics(0)
    samples = read_samples(rd, sorted(rd.sample_steps()))
    return RunSnapshot(str(Path(rd.path)), config, dict(state), list(records), offset, samples)


class RunWatcher(QObject):
    """Polls a run folder and emits what is new: metrics, sample grids, state changes."""

    metrics = Signal(list)  # list[dict] from metrics.jsonl: step records and resume markers
    metrics_reset = Signal()  # the log was rewritten: drop every record received so far
    sample = Signal(int, object)  # step, np.ndarray
    state_changed = Signal(dict)

    def __init__(
        self,
        path: str | Path,
        *,
        offset: int = 0,
        seen_steps: list[int] | None = None,
        interval_ms: int = 1000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.rundir = _rundir(path)
        self.path = str(path)
        self._offset = offset
        self._seen = set(seen_steps or [])
        self._state: dict = {}
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        """Read anything new since the last poll."""
        try:
            chunk = self.rundir.tail_metrics(self._offset)
        except (OSError, ValueError):
            chunk = MetricsChunk([], self._offset)
        self._offset = chunk.offset
        if chunk.reset:
            self.metrics_reset.emit()
        if chunk.records:
            self.metrics.emit(list(chunk.records))
        try:
            steps = sorted(set(self.rundir.sample_steps()) - self._seen)
        except OSError:
            steps = []
        for step, images in read_samples(self.rundir, steps):
            self._seen.add(step)
            self.sample.emit(step, images)
        try:
            state = dict(self.rundir.read_state() or {})
        except (OSError, ValueError):
            state = {}
        if state and state != self._state:
            self._state = state
            self.state_changed.emit(state)
