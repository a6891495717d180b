"""Run folders in the window: open one, follow one that is still being written.

:func:`read_run` reads a run folder (config, state, metrics, the newest sample grids,
tiled) into plain data, and :func:`poll_run` reads what is new since the last look:
both run on a worker (a :class:`~ganstudio.qt.common.jobs.JobRunner`), never on the GUI
thread. :class:`RunWatcher` (GUI thread) asks for a poll on a QTimer, one at a time, and
emits what it found, so the window can follow a headless ``ganstudio train`` (also on
another machine through a shared folder). New metrics lines come through
``RunDir.tail_metrics(offset)``, resume markers included (see
:mod:`ganstudio.core.metrics_log`); a rewritten log is reported as a reset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from ganstudio.core.config import ConfigError, TrainConfig
from ganstudio.core.data.source_table import source_kind
from ganstudio.core.metrics_log import MetricsChunk
from ganstudio.core.run_lock import lock_holder
from ganstudio.core.rundir import RunDir, find_run, honest_status
from ganstudio.core.vocoder.live import read_sounds
from ganstudio.qt.common.jobs import JobRunner
from ganstudio.qt.kinds import kind_view
from ganstudio.qt.train.grid_history import KEEP_GRIDS, Grid, sample_grid


class RunError(ValueError):
    """A folder is not a readable run folder; the message says why."""


def _rundir(path: str | Path) -> RunDir:
    run = find_run(path)
    if run is None:
        raise RunError(f"{path} is not a GAN Studio run folder (config.json is missing)")
    return run


@dataclass(frozen=True)
class SampleBatch:
    """Sample grids found in a run folder: every step, the newest grids tiled (image
    runs) or every frame of points (2-D runs)."""

    steps: list[int] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    points: list[tuple[int, np.ndarray]] = field(default_factory=list)


@dataclass(frozen=True)
class RunLayout:
    """How a run's grids are tiled: ``cols`` per row (one per class), and the run's output
    ``kind`` (what the window's kind table does with it: keep samples, read sounds)."""

    cols: int | None = None
    kind: str | None = None


@dataclass(frozen=True)
class RunSnapshot:
    """Everything the window shows about a run folder, as plain data."""

    path: str
    config: TrainConfig | None
    state: dict
    metrics: list[dict]
    metrics_offset: int
    layout: RunLayout
    samples: SampleBatch


def read_samples(run: RunDir, steps: list[int], layout: RunLayout, keep: int) -> SampleBatch:
    """Read the grids at ``steps`` (worker thread): points frames all, image grids the newest
    ``keep`` (the others are read back when shown). A grid being written is skipped."""
    grids: list[Grid] = []
    points: list[tuple[int, np.ndarray]] = []
    found: list[int] = []
    for step in reversed(steps):
        if len(grids) >= keep:
            found.append(step)  # read back when the slider goes there
            continue
        try:
            data = run.load_samples(step)
        except (OSError, ValueError):  # a grid being written right now: the next poll
            continue
        sounds = read_sounds(run.path, step) if kind_view(layout.kind).view_sounds else None
        grid = sample_grid(step, data, layout.kind, layout.cols, sounds)
        if grid is None:
            points.append((int(step), np.asarray(data, np.float32)))
        else:
            grids.append(grid)
        found.append(step)
    return SampleBatch(sorted(found), grids[::-1], points[::-1])


def run_layout(run: RunDir, config: TrainConfig | None) -> RunLayout:
    """One column per class for a conditional run (as its live grids were tiled)."""
    try:
        info = run.read_generator_info()
    except (OSError, ValueError):
        info = {}
    cols = int(info.get("num_classes") or 0) or None
    kind = info.get("kind") or (source_kind(config.dataset) if config is not None else None)
    return RunLayout(cols, kind)


def read_honest_state(run: RunDir) -> dict:
    """The run's state (worker thread), its status made honest ("interrupted" when its writer
    is gone) and ``writer`` naming the process that holds the run ("" when none does)."""
    try:
        state = dict(run.read_state() or {})
    except (OSError, ValueError):
        return {}
    state["status"] = honest_status(run, state)
    owner = lock_holder(run.path)
    state["writer"] = owner.describe() if owner is not None else ""
    return state


def read_run(path: str | Path, keep: int = KEEP_GRIDS) -> RunSnapshot:
    """Read a run folder (worker thread); raises :class:`RunError` with a readable message."""
    rd = _rundir(path)
    try:
        config = rd.read_config()
    except (ConfigError, OSError, ValueError) as exc:
        raise RunError(f"cannot read the run's settings: {exc}") from exc
    state = read_honest_state(rd)
    records, offset = rd.read_metrics(0)
    layout = run_layout(rd, config)
    samples = read_samples(rd, sorted(rd.sample_steps()), layout, keep)
    return RunSnapshot(
        str(Path(rd.path)), config, dict(state), list(records), offset, layout, samples
    )


@dataclass(frozen=True)
class PollResult:
    records: list[dict]  # step records and resume markers
    offset: int
    samples: SampleBatch
    state: dict
    reset: bool = False  # the log was rewritten: drop every record received so far


def poll_run(path: str, offset: int, seen: frozenset, layout: RunLayout, keep: int) -> PollResult:
    """What is new in a run folder since ``offset`` and the ``seen`` steps (worker thread)."""
    run = RunDir(path)
    try:
        chunk = run.tail_metrics(offset)
    except (OSError, ValueError):
        chunk = MetricsChunk([], offset)
    try:
        steps = sorted(set(run.sample_steps()) - seen)
    except OSError:
        steps = []
    samples = read_samples(run, steps, layout, keep) if steps else SampleBatch()
    state = read_honest_state(run)
    return PollResult(list(chunk.records), chunk.offset, samples, state, bool(chunk.reset))


class RunWatcher(QObject):
    """Polls a run folder on a worker and emits what is new: metrics, samples, state."""

    metrics = Signal(list)  # list[dict] from metrics.jsonl: step records and resume markers
    metrics_reset = Signal()  # the log was rewritten: drop every record received so far
    samples = Signal(object)  # SampleBatch
    state_changed = Signal(dict)

    def __init__(
        self,
        path: str | Path,
        *,
        offset: int = 0,
        seen_steps: list[int] | None = None,
        layout: RunLayout | None = None,
        interval_ms: int = 1000,
        keep: int = KEEP_GRIDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = str(path)
        self.layout = layout or RunLayout()
        self.keep = keep
        self._offset = offset
        self._seen = set(seen_steps or [])
        self._state: dict = {}
        self._busy = False
        self.jobs = JobRunner("run watcher", self)
        self.jobs.done.connect(self._on_polled)
        self.jobs.failed.connect(lambda *_: setattr(self, "_busy", False))
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.jobs.shutdown()

    def poll(self) -> None:
        """Ask the worker for anything new (unless a poll is still running)."""
        if self._busy:
            return
        self._busy = True
        args = (self.path, self._offset, frozenset(self._seen), self.layout, self.keep)
        self.jobs.submit("poll", poll_run, *args)

    def _on_polled(self, _token: int, _lane: str, result: Any) -> None:
        self._busy = False
        self._offset = result.offset
        if result.reset:
            self.metrics_reset.emit()
        if result.records:
            self.metrics.emit(result.records)
        if result.samples.steps:
            self._seen.update(result.samples.steps)
            self.samples.emit(result.samples)
        if result.state and result.state != self._state:
            self._state = result.state
            self.state_changed.emit(result.state)
