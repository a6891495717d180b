"""Run a :class:`~ganstudio.core.trainer.Trainer` on a QThread and relay its events as signals.

Threading contract
------------------
* :class:`TrainingSession` lives in the GUI thread. It owns the QThread, the worker and the
  :class:`~ganstudio.core.control.RunControl`; pause / resume / stop / step go straight to
  the RunControl (thread-safe), never as signals into the worker.
* :class:`TrainingWorker` runs ``Trainer(...).run()`` on the worker thread. The trainer's
  ``emit`` callback is called there; it only appends plain-data events (frozen
  dataclasses with numbers and NumPy arrays) and emits queued signals.
* ``Trainer.run()`` releases the run's TensorFlow session (input pipeline, networks) on
  the worker thread before it returns, so nothing of it is left for interpreter shutdown.
* ``StepMetrics`` are coalesced: at most one ``metrics`` signal (a list of events) every
  ``flush_interval`` seconds, so the GUI thread wakes ~10 times/s whatever the step rate
  (its plot and progress text redraw at 5 Hz).
* A ``SampleGrid`` is tiled into its uint8 grid here, on the training thread, and sent as
  a :class:`LiveSample`, so the GUI thread only paints it.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ganstudio.core.config import TrainConfig
from ganstudio.core.control import RunControl
from ganstudio.core.events import (
    CheckpointSaved,
    EvalMetrics,
    Failed,
    Finished,
    HealthWarning,
    Paused,
    Resumed,
    SampleGrid,
    Started,
    StepMetrics,
)
from ganstudio.core.trainer import Trainer
from ganstudio.qt.common.engine_threads import configure_tf_threads, lower_thread_priority
from ganstudio.qt.train.grid_history import Grid, sample_grid

TrainerFactory = Callable[..., Any]


@dataclass(frozen=True)
class LiveSample:
    """A sample grid event and its tiled grid (None for 2-D points)."""

    event: SampleGrid
    grid: Grid | None


def live_sample(event: SampleGrid) -> LiveSample:
    """Tile a SampleGrid's images (on the training thread); one column per class."""
    cols = len(np.unique(event.labels)) if event.labels is not None else None
    return LiveSample(event, sample_grid(event.step, event.images, event.kind, cols, event.extra))


def default_trainer_factory(config: TrainConfig, **kwargs: Any) -> Any:
    """Build the real engine's Trainer (TensorFlow is imported here, on the worker thread,
    with the window's thread counts)."""

    configure_tf_threads()

    return Trainer(config, **kwargs)


class TrainingWorker(QObject):
    """Runs one training run; lives on the worker thread. Signals carry plain data only."""

    started = Signal(object)  # Started
    metrics = Signal(list)  # list[StepMetrics], coalesced
    sample = Signal(object)  # LiveSample
    evaluation = Signal(object)  # EvalMetrics
    health = Signal(object)  # HealthWarning
    checkpoint = Signal(object)  # CheckpointSaved
    paused = Signal(int)
    resumed = Signal(int)
    finished = Signal(object)  # Finished
    failed = Signal(object)  # Failed
    done = Signal()  # always last: the worker has returned

    def __init__(
        self,
        config: TrainConfig,
        control: RunControl,
        *,
        run_dir: str | None = None,
        resume: bool = False,
        runs_root: str | None = None,
        trainer_factory: TrainerFactory | None = None,
        flush_interval: float = 0.1,
    ) -> None:
        super().__init__()
        self._config = config
        self._control = control
        self._run_dir = run_dir
        self._resume = resume
        self._runs_root = runs_root
        self._factory = trainer_factory or default_trainer_factory
        self._flush_interval = flush_interval
        self._pending: list[StepMetrics] = []
        self._last_flush = 0.0
        self._ended = False

    # -- worker thread -----------------------------------------------------------
    @Slot()
    def run(self) -> None:
        """Build the trainer and train; emits exactly one of finished/failed, then done."""
        lower_thread_priority()  # the GUI thread comes first when the CPU is busy
        self._last_flush = time.monotonic()
        try:
            kwargs: dict[str, Any] = dict(emit=self._emit, control=self._control)
            if self._run_dir:
                kwargs["run_dir"] = self._run_dir
            if self._resume:
                kwargs["resume"] = True
            if self._runs_root:
                kwargs["runs_root"] = self._runs_root
            trainer = self._factory(self._config, **kwargs)
            result = trainer.run()
            if not self._ended and isinstance(result, (Finished, Failed)):
                self._emit(result)
        except Exception as exc:  # the engine should not raise, but never lose the message
            if not self._ended:
                self._emit(
                    Failed(
                        step=0,
                        message=str(exc) or type(exc).__name__,
                        error_type=type(exc).__name__,
                        run_dir=self._run_dir,
                        traceback=traceback.format_exc(),
                    )
                )
        finally:
            self._flush()
            if not self._ended:
                self.failed.emit(
                    Failed(
                        step=0,
                        message="the training run ended without a result",
                        error_type="RuntimeError",
                        run_dir=self._run_dir,
                    )
                )
            self.done.emit()

    def _emit(self, event: Any) -> None:
        """The trainer's event sink (worker thread). Kept tiny: it runs once per step."""
        if type(event) is StepMetrics:
            self._pending.append(event)
            now = time.monotonic()
            if now - self._last_flush >= self._flush_interval:
                self._last_flush = now
                self._flush()
            return
        self._flush()
        if isinstance(event, SampleGrid):
            self.sample.emit(live_sample(event))
        elif isinstance(event, Started):
            self.started.emit(event)
        elif isinstance(event, EvalMetrics):
            self.evaluation.emit(event)
        elif isinstance(event, HealthWarning):
            self.health.emit(event)
        elif isinstance(event, CheckpointSaved):
            self.checkpoint.emit(event)
        elif isinstance(event, Paused):
            self.paused.emit(event.step)
        elif isinstance(event, Resumed):
            self.resumed.emit(event.step)
        elif isinstance(event, Finished) and not self._ended:
            self._ended = True
            self.finished.emit(event)
        elif isinstance(event, Failed) and not self._ended:
            self._ended = True
            self.failed.emit(event)

    def _flush(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.metrics.emit(batch)


class TrainingSession(QObject):
    """GUI-thread owner of one training run: its thread, worker and RunControl.

    The session forwards the worker's signals (already queued into the GUI thread) and
    emits ``ended`` once the thread has really finished. Call :meth:`shutdown` before
    the application exits.
    """

    started = Signal(object)
    metrics = Signal(list)
    sample = Signal(object)
    evaluation = Signal(object)
    health = Signal(object)
    checkpoint = Signal(object)
    paused = Signal(int)
    resumed = Signal(int)
    finished = Signal(object)
    failed = Signal(object)
    ended = Signal()

    def __init__(
        self,
        config: TrainConfig,
        *,
        run_dir: str | None = None,
        resume: bool = False,
        runs_root: str | None = None,
        start_paused: bool = False,
        trainer_factory: TrainerFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.control = RunControl()
        if start_paused:
            self.control.pause()
        self._thread: QThread | None = QThread()
        self._thread.setObjectName("ganstudio-training")
        self._worker = TrainingWorker(
            config,
            self.control,
            run_dir=run_dir,
            resume=resume,
            runs_root=runs_root,
            trainer_factory=trainer_factory,
        )
        self._worker.moveToThread(self._thread)
        w = self._worker
        w.started.connect(self.started)
        w.metrics.connect(self.metrics)
        w.sample.connect(self.sample)
        w.evaluation.connect(self.evaluation)
        w.health.connect(self.health)
        w.checkpoint.connect(self.checkpoint)
        w.paused.connect(self.paused)
        w.resumed.connect(self.resumed)
        w.finished.connect(self.finished)
        w.failed.connect(self.failed)
        # Direct: quit from the worker thread, so a GUI thread blocked in wait() is released.
        w.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.started.connect(w.run)
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> None:
        assert self._thread is not None
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def stop(self) -> None:
        self.control.stop()

    def step_once(self) -> None:
        self.control.step_once()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Ask the run to stop and wait for its thread; True when the thread has ended."""
        self.control.stop()
        thread = self._thread
        if thread is None:
            return True
        return thread.wait(timeout_ms)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.deleteLater()
        self._worker.deleteLater()
        self.ended.emit()
