"""The "Train" tab: settings, run controls, live plots and samples, and run folders.

:class:`TrainView` owns at most one :class:`TrainingController` (a run on a worker thread)
or one :class:`RunWatcher` (a run folder followed from disk; see
:mod:`ganstudio.qt.train.run_folders`). Every slot here runs in the GUI thread; training events
arrive as plain data on the controller's one ``event`` signal and are dispatched by
``self.handlers`` (event type → method), sample grids already tiled on the training
thread; run folders are read on ``self.jobs``. ``status(str)`` reports to the status line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QScrollArea, QSplitter, QStackedWidget, QVBoxLayout, QWidget
from superqt.utils import qthrottled

from ganstudio.core.config import ConfigError, TrainConfig
from ganstudio.core.events import (
    CheckpointSaved,
    EvalMetrics,
    Failed,
    Finished,
    HealthWarning,
    Paused,
    Resumed,
    Started,
)
from ganstudio.core.rundir import RunDir
from ganstudio.qt.common.dialogs import show_error
from ganstudio.qt.common.jobs import JobRunner
from ganstudio.qt.train.grid_history import sample_grid
from ganstudio.qt.train.health_banner import HealthBanner
from ganstudio.qt.train.loss_plot import LossPlot
from ganstudio.qt.train.metric_plot import MetricPlot
from ganstudio.qt.train.run_controls import RunControls
from ganstudio.qt.train.run_folders import RunFolders
from ganstudio.qt.train.runs import RunWatcher
from ganstudio.qt.train.sample_grid import SampleGridView
from ganstudio.qt.train.settings_form import TrainingPanel
from ganstudio.qt.train.toy_view import ToyView
from ganstudio.qt.train.worker import (
    LiveSample,
    MetricsBatch,
    TrainerFactory,
    TrainingController,
)

PROGRESS_MS = 200  # the progress text and bar need no more than 5 updates a second


class TrainView(RunFolders, QWidget):
    """Training settings and everything the running (or opened) run shows."""

    status = Signal(str)
    run_opened = Signal(str)  # a run folder became current (started, opened, watched)
    state_changed = Signal()  # running / paused / watching changed: update the actions
    sample_received = Signal(int)

    def __init__(self, actions: list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = TrainingPanel()
        self.controls = RunControls(actions)
        self.loss_plot = LossPlot()
        self.metric_plot = MetricPlot()
        self.metric_plot.step_clicked.connect(self.show_step)
        self.banner = HealthBanner()
        self.grid_view = SampleGridView()
        self.toy_view = ToyView()
        self.samples = QStackedWidget()
        self.samples.addWidget(self.grid_view)
        self.samples.addWidget(self.toy_view)
        self.session: TrainingController | None = None
        self.handlers: dict[type, Callable[[Any], None]] = {
            Started: self._on_started,
            MetricsBatch: self._on_metrics,
            LiveSample: self._on_sample,
            EvalMetrics: self._on_evaluation,
            HealthWarning: self._on_health,
            CheckpointSaved: self._on_checkpoint,
            Paused: lambda ev: self.status.emit(f"Paused at step {ev.step}"),
            Resumed: lambda ev: self.status.emit(f"Training from step {ev.step}"),
            Finished: self._on_finished,
            Failed: self._on_failed,
        }
        self.watcher: RunWatcher | None = None
        self.current_run: str | None = None
        self.paused = False
        self.last_error: str | None = None
        self.trainer_factory: TrainerFactory | None = None
        self.runs_root: str | None = None
        self.jobs = JobRunner("run files", self)  # run folders are read here
        self.jobs.done.connect(self._on_job_done)
        self.jobs.failed.connect(self._on_job_failed)
        self._open_watch = False
        # (run folder, GeneratorWeights) of the newest live sample grid, for the explorer
        self.live_generator: tuple[str, object] | None = None

        self._latest = None  # newest StepMetrics, shown at most 5 times a second
        self._progress_later = qthrottled(self._show_progress, PROGRESS_MS, parent=self)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.panel)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.controls)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.metric_plot)
        plots.addWidget(self.samples)
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 2)
        plots.setStretchFactor(2, 4)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(plots, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.splitter)

    # -- state ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A run is active (its thread may be finishing; ``ended`` not yet handled)."""
        return self.session is not None

    @property
    def thread_running(self) -> bool:
        return self.session is not None and self.session.running

    @property
    def watching(self) -> bool:
        return self.watcher is not None

    def _clear_views(self, total_steps: int = 0) -> None:
        self.loss_plot.clear(total_steps)
        self.metric_plot.clear(total_steps)
        self.banner.clear()
        self.grid_view.clear()
        self.grid_view.set_source(None)
        self.toy_view.clear()
        self.live_generator = None

    # -- training -------------------------------------------------------------------------
    def start(self, *, paused: bool = False) -> bool:
        """Start a new run with the form's settings; False (and a message) if refused."""
        if self.session is not None:
            return False
        try:
            config = self.panel.config()
        except ConfigError as exc:
            self._error("Invalid settings", str(exc))
            return False
        self.stop_watching()
        self.jobs.cancel("open")
        self._clear_views(config.steps)
        self.current_run = None
        self._launch(config, paused=paused)
        return True

    def resume_run(self) -> bool:
        """Continue the current run folder from its last checkpoint."""
        if self.session is not None or not self.current_run:
            return False
        try:  # one small JSON file
            config = RunDir(self.current_run).read_config()
        except (ConfigError, OSError, ValueError) as exc:
            self._error("Cannot resume", f"cannot read the run's settings: {exc}")
            return False
        self.stop_watching()
        self.jobs.cancel("open")
        self._launch(config, run_dir=self.current_run, resume=True)
        return True

    def _launch(self, config: TrainConfig, **kwargs) -> None:
        paused = kwargs.pop("paused", False)
        session = TrainingController(
            config,
            runs_root=self.runs_root,
            start_paused=paused,
            trainer_factory=self.trainer_factory,
            parent=self,
            **kwargs,
        )
        session.event.connect(self._on_event)
        session.ended.connect(self._on_ended)
        self.session = session
        self.paused = paused
        self.last_error = None
        self.controls.set_message("Loading the engine and the data…")
        self.status.emit("Starting…")
        session.start()
        self.state_changed.emit()

    def toggle_pause(self) -> None:
        if self.session is None:
            return
        if self.paused:
            self.session.resume()
            self.status.emit("Resuming…")
        else:
            self.session.pause()
            self.status.emit("Pausing…")
        self.paused = not self.paused
        self.state_changed.emit()

    def stop(self) -> None:
        if self.session is not None:
            self.session.stop()
            self.status.emit("Stopping (saving a checkpoint)…")

    def step_once(self) -> None:
        """Run exactly one more training step (starting a paused run if none is running)."""
        if self.session is None and not self.start(paused=True):
            return
        assert self.session is not None
        self.paused = True
        self.session.step_once()
        self.state_changed.emit()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop training / watching and wait up to ``timeout_ms`` for the training thread;
        True when it has ended (closing the window waits with the event loop running)."""
        self.stop_watching()
        self.jobs.shutdown()
        self.grid_view.shutdown()
        if self.session is None:
            return True
        return self.session.shutdown(timeout_ms)

    # -- events (GUI thread) -------------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: object) -> None:
        """Every training event, from the training thread in one queued hop."""
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _on_started(self, ev: Started) -> None:
        self.current_run = ev.run_dir
        self.toy_view.dataset = str(ev.config.get("dataset", ""))
        self.loss_plot.series.truncate_after(ev.step)
        self.loss_plot.set_total_steps(ev.total_steps)
        self.metric_plot.total_steps = ev.total_steps
        self.metric_plot.truncate_after(ev.step)
        self.controls.reset(ev.step, ev.total_steps)
        state = "paused" if self.paused else "training"
        self.status.emit(f"Run {Path(ev.run_dir).name}: {state} on {ev.device}")
        self.run_opened.emit(ev.run_dir)

    def _on_metrics(self, batch: MetricsBatch) -> None:
        # Up to ~10 batches/s arrive: only store here; the plot redraws on its timer, the
        # progress text is throttled (superqt's qthrottled).
        self.loss_plot.add_metrics(batch.events)
        self._latest = batch.events[-1]
        self._progress_later()

    def _show_progress(self) -> None:
        last, self._latest = self._latest, None
        if last is not None:
            self.controls.update_progress(last.step, last.epoch, last.steps_per_sec)

    def _on_sample(self, live: LiveSample) -> None:
        ev = live.event
        if ev.generator is not None and self.current_run:
            self.live_generator = (self.current_run, ev.generator)
        if live.grid is None:
            self.show_sample(ev.step, ev.images, ev.kind, ev.extra)
            return
        if self.grid_view.source is None and self.current_run:  # older grids come from here
            self.grid_view.set_source(self.current_run, live.grid.cols, ev.kind)
        self.samples.setCurrentWidget(self.grid_view)
        self.grid_view.add_tiled(live.grid)
        self.sample_received.emit(ev.step)

    def show_sample(
        self, step: int, images: np.ndarray, kind: str, extra=None, cols: int | None = None
    ) -> None:
        """Show one sample grid or points frame given as arrays (tiled here)."""
        grid = sample_grid(step, images, kind, cols, extra)
        if grid is None:
            self.samples.setCurrentWidget(self.toy_view)
            self.toy_view.show_points(step, images, extra)
        else:
            self.samples.setCurrentWidget(self.grid_view)
            self.grid_view.add_tiled(grid)
        self.sample_received.emit(step)

    def _on_evaluation(self, ev: EvalMetrics) -> None:
        self.metric_plot.add_event(ev)

    def _on_health(self, ev: HealthWarning) -> None:
        self.banner.show_warning(ev.step, ev.kind, ev.message)
        self.status.emit(f"Warning at step {ev.step}: {ev.message}")

    def _show_records(self, records: list) -> None:
        """Evaluations and warnings among metrics.jsonl records (opened or watched runs)."""
        self.metric_plot.add_records(records)
        for r in records:
            if r.get("type") == "warning":
                self.banner.show_warning(int(r.get("step", 0)), str(r.get("kind")), r["message"])

    def show_step(self, step: int) -> None:
        """Show the sample grid (or toy frame) nearest to ``step``."""
        if self.samples.currentWidget() is self.toy_view:
            steps, slider = [f[0] for f in self.toy_view.frames], self.toy_view.slider
        else:
            steps, slider = self.grid_view.steps, self.grid_view.slider
        if steps:
            slider.setValue(int(np.argmin(np.abs(np.asarray(steps) - step))))

    def _on_checkpoint(self, ev: CheckpointSaved) -> None:
        self.status.emit(f"Checkpoint saved at step {ev.step}")

    def _on_finished(self, ev: Finished) -> None:
        self._show_progress()
        what = "finished" if ev.reason == "completed" else f"{ev.reason} (checkpoint saved)"
        if ev.message:
            what = f"{ev.reason} ({ev.message})"
        self.controls.set_message(f"Run {what} at step {ev.step}")
        self.status.emit(f"Run {Path(ev.run_dir).name} {what} at step {ev.step}")

    def _on_failed(self, ev: Failed) -> None:
        self._latest = None
        self.controls.set_message(f"Failed: {ev.message}")
        self._error("Training failed", ev.message, ev.traceback)

    def _on_ended(self) -> None:
        self.session = None
        self.paused = False
        self.state_changed.emit()

    def _error(self, title: str, text: str, details: str = "") -> None:
        self.last_error = text
        self.status.emit(f"{title}: {text}")
        show_error(self, title, text, details)
