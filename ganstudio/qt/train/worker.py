"""Run a :class:`~ganstudio.core.trainer.Trainer` as a job and relay its events in one hop.

Threading contract
------------------
* :class:`TrainingController` lives in the GUI thread. It owns a
  :class:`~ganstudio.qt.common.jobs.JobRunner` (the window's one worker pattern) and the
  :class:`~ganstudio.core.control.RunControl`; pause / resume / stop / step go straight to
  the RunControl (thread-safe). Asking the job to stop (``stop``, the runner's shutdown,
  :func:`~ganstudio.qt.common.jobs.shutdown_all`) stops the RunControl.
* :func:`run_training` runs ``Trainer(...).run()`` on the runner's thread. The trainer's
  ``emit`` callback (an :class:`EventRelay`) is called there; it emits each event, a
  frozen dataclass of plain data, on the controller's one ``event`` signal, received by a
  slot in the GUI thread (one queued hop). ``ended`` follows the last event.
* ``Trainer.run()`` releases the run's TensorFlow session (input pipeline, networks) on
  the worker thread before it returns, so nothing of it is left for interpreter shutdown.
* ``StepMetrics`` are coalesced: at most one :class:`MetricsBatch` every
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
from PySide6.QtCore import QObject, Signal, Slot

from ganstudio.core.config import TrainConfig
from ganstudio.core.control import RunControl
from ganstudio.core.events import (
    Failed,
    Finished,
    SampleGrid,
    StepMetrics,
)
from ganstudio.core.trainer import Trainer
from ganstudio.qt.common.engine_threads import configure_tf_threads, lower_thread_priority
from ganstudio.qt.common.jobs import JobRunner
from ganstudio.qt.train.grid_history import Grid, sample_grid

TrainerFactory = Callable[..., Any]
EventSink = Callable[[Any], None]


@dataclass(frozen=True)
class MetricsBatch:
    """``StepMetrics`` events coalesced on the training thread, in step order."""

    events: tuple[StepMetrics, ...]


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


class EventRelay:
    """The trainer's event sink on the training thread: coalesces ``StepMetrics`` into
    :class:`MetricsBatch`, tiles sample grids, and hands every event to ``send`` (the
    controller's ``event.emit``). Kept tiny: it runs once per step."""

    def __init__(self, send: EventSink, flush_interval: float = 0.1) -> None:
        self._send = send
        self._flush_interval = flush_interval
        self._pending: list[StepMetrics] = []
        self._last_flush = time.monotonic()
        self.ended = False  # a Finished or Failed went out

    def __call__(self, event: Any) -> None:
        if type(event) is StepMetrics:
            self._pending.append(event)
            now = time.monotonic()
            if now - self._last_flush >= self._flush_interval:
                self._last_flush = now
                self.flush()
            return
        self.flush()
        if isinstance(event, (Finished, Failed)):
            if self.ended:
                return
            self.ended = True
        elif isinstance(event, SampleGrid):
            event = live_sample(event)
        self._send(event)

    def flush(self) -> None:
        if self._pending:
            batch, self._pending = tuple(self._pending), []
            self._send(MetricsBatch(batch))


def run_training(
    config: TrainConfig,
    control: RunControl,
    relay: EventRelay,
    factory: TrainerFactory,
    options: dict[str, Any],
    returned: Callable[[], None],
) -> None:
    """The training job (runner thread): build the trainer and train; exactly one
    Finished or Failed goes through ``relay``, whatever happens, then ``returned()``."""
    lower_thread_priority()  # the GUI thread comes first when the CPU is busy
    run_dir = options.get("run_dir")
    try:
        trainer = factory(config, emit=relay, control=control, **options)
        result = trainer.run()
        if isinstance(result, (Finished, Failed)):
            relay(result)
    except Exception as exc:  # the engine should not raise, but never lose the message
        relay(
            Failed(
                step=0,
                message=str(exc) or type(exc).__name__,
                error_type=type(exc).__name__,
                run_dir=run_dir,
                traceback=traceback.format_exc(),
            )
        )
    finally:
        relay.flush()
        relay(
            Failed(
                step=0,
                message="the training run ended without a result",
                error_type="RuntimeError",
                run_dir=run_dir,
            )
        )  # dropped when a result went out already
        returned()  # after every event, also when the runner was shut down meanwhile


class TrainingController(QObject):
    """GUI-thread owner of one training run: its job runner and RunControl.

    ``event(object)`` carries every event (``Started``, :class:`MetricsBatch`,
    :class:`LiveSample`, ``EvalMetrics``, ``HealthWarning``, ``CheckpointSaved``,
    ``Paused``, ``Resumed``, then one ``Finished`` or ``Failed``) straight from the
    training thread; ``ended`` follows once the job has returned.
    """

    event = Signal(object)
    ended = Signal()
    _returned = Signal()  # from the training thread, after its last event

    def __init__(
        self,
        config: TrainConfig,
        *,
        run_dir: str | None = None,
        resume: bool = False,
        runs_root: str | None = None,
        start_paused: bool = False,
        trainer_factory: TrainerFactory | None = None,
        flush_interval: float = 0.1,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.control = RunControl()
        if start_paused:
            self.control.pause()
        self._config = config
        self._options: dict[str, Any] = {}
        if run_dir:
            self._options["run_dir"] = run_dir
        if resume:
            self._options["resume"] = True
        if runs_root:
            self._options["runs_root"] = runs_root
        self._factory = trainer_factory or default_trainer_factory
        self._relay = EventRelay(self.event.emit, flush_interval)
        self._running = False
        self.jobs = JobRunner("ganstudio-training", self)
        self._returned.connect(self._on_returned)

    def start(self) -> None:
        self._running = True
        self.jobs.submit(
            "train",
            run_training,
            self._config,
            self.control,
            self._relay,
            self._factory,
            dict(self._options),
            self._returned.emit,
            on_stop=self.control.stop,
        )

    @property
    def running(self) -> bool:
        """The run's thread runs and ``ended`` has not been emitted."""
        return self._running and self.jobs.thread_running()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def stop(self) -> None:
        self.control.stop()  # the job's stop hook, also before the job has started

    def step_once(self) -> None:
        self.control.step_once()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Ask the run to stop and wait for its thread; True when the thread has ended."""
        self.control.stop()  # also when the job has not started yet
        return self.jobs.shutdown(timeout_ms)

    @Slot()
    def _on_returned(self) -> None:
        if not self._running:
            return
        self._running = False
        self.jobs.shutdown()  # its thread is ending: nothing more to run
        self.ended.emit()
