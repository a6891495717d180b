"""The "Train" tab: settings, run controls, live plots and samples, and run folders.

:class:`TrainView` owns at most one :class:`TrainingSession` (a run on a worker thread)
or one :class:`RunWatcher` (a run folder followed from disk). Every slot here runs in
the GUI thread; events arrive as plain data. ``status(str)`` reports to the status line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QScrollArea, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ganstudio.config import ConfigError, TrainConfig
from ganstudio.core.data.registry import source_kind
from ganstudio.core.events import (
    CheckpointSaved,
    EvalMetrics,
    Failed,
    Finished,
    HealthWarning,
    SampleGrid,
    Started,
)
from ganstudio.core.rundir import RunDir
from ganstudio.qt.common.dialogs import show_error
from ganstudio.qt.train.health_banner import HealthBanner
from ganstudio.qt.train.loss_plot import LossPlot
from ganstudio.qt.train.metric_plot import MetricPlot
from ganstudio.qt.train.run_controls import RunControls
from ganstudio.qt.train.runs import RunError, RunWatcher, read_run
from ganstudio.qt.train.sample_grid import SampleGridView
from ganstudio.qt.train.settings_form import TrainingPanel
from ganstudio.qt.train.toy_view import ToyView
from ganstudio.qt.train.worker import TrainerFactory, TrainingSession


class TrainView(QWidget):
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
        self.session: TrainingSession | None = None
        self.watcher: RunWatcher | None = None
        self.current_run: str | None = None
        self.paused = False
        self.last_error: str | None = None
        self.trainer_factory: TrainerFactory | None = None
        self.runs_root: str | None = None

        self._latest = None  # newest StepMetrics, shown by the progress timer
        self.progress_timer = QTimer(self)
        self.progress_timer.setInterval(200)  # 5 Hz: text and bar need no more
        self.progress_timer.timeout.connect(self._show_progress)
        self.progress_timer.start()

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
        self.toy_view.clear()

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
        self._clear_views(config.steps)
        self.current_run = None
        self._launch(config, paused=paused)
        return True

    def resume_run(self) -> bool:
        """Continue the current run folder from its last checkpoint."""
        if self.session is not None or not self.current_run:
            return False
        try:
            snapshot = read_run(self.current_run)
        except RunError as exc:
            self._error("Cannot resume", str(exc))
            return False
        if snapshot.config is None:
            self._error("Cannot resume", "the run folder holds no settings")
            return False
        self.stop_watching()
        self._launch(snapshot.config, run_dir=self.current_run, resume=True)
        return True

    def _launch(self, config: TrainConfig, **kwargs) -> None:
        paused = kwargs.pop("paused", False)
        session = TrainingSession(
            config,
            runs_root=self.runs_root,
            start_paused=paused,
            trainer_factory=self.trainer_factory,
            parent=self,
            **kwargs,
        )
        session.started.connect(self._on_started)
        session.metrics.connect(self._on_metrics)
        session.sample.connect(self._on_sample)
        session.evaluation.connect(self._on_evaluation)
        session.health.connect(self._on_health)
        session.checkpoint.connect(self._on_checkpoint)
        session.paused.connect(lambda step: self.status.emit(f"Paused at step {step}"))
        session.resumed.connect(lambda step: self.status.emit(f"Training from step {step}"))
        session.finished.connect(self._on_finished)
        session.failed.connect(self._on_failed)
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

    def shutdown(self, timeout_ms: int = 120000) -> bool:
        """Stop training / watching and wait for the worker thread (before the app exits)."""
        self.stop_watching()
        if self.session is None:
            return True
        return self.session.shutdown(timeout_ms)

    # -- events (GUI thread) -------------------------------------------------------------------
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

    def _on_metrics(self, batch: list) -> None:
        # Up to ~25 batches/s arrive: only store here; widgets update on their timers.
        self.loss_plot.add_metrics(batch)
        self._latest = batch[-1]

    def _show_progress(self) -> None:
        last, self._latest = self._latest, None
        if last is not None:
            self.controls.update_progress(last.step, last.epoch, last.steps_per_sec)

    def _on_sample(self, ev: SampleGrid) -> None:
        cols = len(np.unique(ev.labels)) if ev.labels is not None else None
        self.show_sample(ev.step, ev.images, ev.kind, ev.extra, cols)

    def show_sample(
        self, step: int, images: np.ndarray, kind: str, extra=None, cols: int | None = None
    ) -> None:
        if kind == "points" or (images.ndim == 2 and images.shape[-1] == 2):
            self.samples.setCurrentWidget(self.toy_view)
            self.toy_view.show_points(step, images, extra)
        else:
            self.samples.setCurrentWidget(self.grid_view)
            self.grid_view.add_grid(step, images, cols, keep_samples=kind == "audio")
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

    # -- run folders -------------------------------------------------------------------------
    def open_run(self, path: str, *, watch: bool = False) -> bool:
        """Show a run folder's plots and samples; ``watch`` follows it as it grows."""
        if self.session is not None:
            self._error("Training is running", "stop the current run before opening another")
            return False
        try:
            snap = read_run(path)
        except RunError as exc:
            self._error("Cannot open run", str(exc))
            return False
        self.stop_watching()
        total = int(snap.state.get("total_steps") or (snap.config.steps if snap.config else 0))
        self._clear_views(total)
        self.loss_plot.add_metrics(snap.metrics)
        self._show_records(snap.metrics)
        data_kind = source_kind(snap.config.dataset) if snap.config is not None else None
        image_kind = "audio" if data_kind == "audio" else "images"
        cols = _class_columns(snap.path)
        self.toy_view.dataset = snap.config.dataset if snap.config is not None else ""
        for step, images in snap.samples:
            self.show_sample(step, images, "points" if images.ndim == 2 else image_kind, cols=cols)
        if snap.config is not None:
            self.panel.set_config(snap.config)
        self.current_run = snap.path
        step = int(snap.state.get("step") or (snap.metrics[-1]["step"] if snap.metrics else 0))
        self.controls.reset(step, total)
        status = snap.state.get("status", "unknown")
        self.controls.set_message(f"Opened run: {status} at step {step}/{total}")
        if watch:
            self.watcher = RunWatcher(
                snap.path,
                offset=snap.metrics_offset,
                seen_steps=[s for s, _ in snap.samples],
                parent=self,
            )
            self.watcher.metrics.connect(self._on_watched_metrics)
            self.watcher.sample.connect(lambda s, im: self.show_sample(s, im, image_kind))
            self.watcher.state_changed.connect(self._on_watched_state)
            self.watcher.start()
        verb = "Watching" if watch else "Opened"
        self.status.emit(f"{verb} run {Path(snap.path).name} ({status}, step {step})")
        self.run_opened.emit(snap.path)
        self.state_changed.emit()
        return True

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
            self.state_changed.emit()

    def _on_watched_metrics(self, records: list) -> None:
        self.loss_plot.add_metrics(records)
        self._show_records(records)
        train = [r for r in records if r.get("type", "train") == "train"]
        if not train:
            return
        last = train[-1]
        self.controls.update_progress(
            int(last.get("step", 0)),
            float(last.get("epoch", 0.0)),
            float(last.get("steps_per_sec", 0.0)),
        )

    def _on_watched_state(self, state: dict) -> None:
        total = int(state.get("total_steps") or 0)
        if total and total != self.controls.total:
            self.controls.reset(int(state.get("step", 0)), total)
            self.loss_plot.set_total_steps(total)
        self.status.emit(f"Watching: {state.get('status', '?')} at step {state.get('step', '?')}")


def _class_columns(run: str) -> int | None:
    """One grid column per class for a conditional run (as its live grids were tiled)."""
    return int(RunDir(run).read_generator_info().get("num_classes") or 0) or None
