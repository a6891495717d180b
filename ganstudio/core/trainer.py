"""The training loop shared by the command line and the window.

``Trainer.run()`` blocks: call it on a worker thread. It reports progress through
``emit(event)`` (called on the training thread; see :mod:`ganstudio.core.events`), checks
a :class:`RunControl` between steps, and never raises for a training error: it emits and
returns a :class:`Failed` event instead.
"""

from __future__ import annotations

import contextlib
import math
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ganstudio.config import TrainConfig
from ganstudio.core import events as ev
from ganstudio.core.control import RunControl
from ganstudio.core.metrics.monitor import QualityMonitor
from ganstudio.core.rundir import RunDir, default_runs_root
from ganstudio.core.session import TrainingSession


class TrainingError(RuntimeError):
    """A run cannot go on; the message is meant for a person."""


class Trainer:
    """Train one GAN run, new or resumed, writing its run folder as it goes."""

    def __init__(
        self,
        config: TrainConfig | None = None,
        *,
        run_dir: str | Path | None = None,
        runs_root: str | Path | None = None,
        resume: bool = False,
        emit: Callable[[ev.Event], None] | None = None,
        control: RunControl | None = None,
    ) -> None:
        if config is None and not (resume and run_dir):
            raise ValueError("a new run needs a config; resuming needs a run folder")
        self.config = config
        self.resume = resume
        self.emit = emit or (lambda event: None)
        self.control = control or RunControl()
        self.runs_root = Path(runs_root) if runs_root else default_runs_root()
        self.run_dir: Path | None = Path(run_dir) if run_dir else None
        self.step = 0
        self.total_steps = 0
        self.quality: QualityMonitor | None = None

    # ------------------------------------------------------------------ public
    def run(self) -> ev.Finished | ev.Failed:
        """Train until done or stopped; return the final event (also emitted)."""
        run: RunDir | None = None
        session: TrainingSession | None = None
        try:
            run, config = self._open_run()
            session = TrainingSession(config, run)
            self.step = session.setup(resume=self.resume)
            self.total_steps = session.total_steps
            self.quality = QualityMonitor(session)
            session.notes += self.quality.start(self.step)
            self.emit(
                ev.Started(
                    str(run.path),
                    self.step,
                    self.total_steps,
                    session.device,
                    config.to_dict(),
                    tuple(session.notes),
                )
            )
            run.write_state("running", self.step, self.total_steps, "; ".join(session.notes))
            reason = self._loop(session, run)
            self._finish(session, run, reason)
            final = ev.Finished(self.step, reason, str(run.path))
        except Exception as exc:  # report, never crash the caller's thread
            final = self._failure(exc, run, session)
        self.emit(final)
        return final

    # --------------------------------------------------------------- internals
    def _open_run(self) -> tuple[RunDir, TrainConfig]:
        if self.resume:
            run = RunDir(self.run_dir)  # type: ignore[arg-type]
            if not run.exists():
                raise TrainingError(f"{run.path} is not a GAN Studio run folder (no config.json)")
            config = run.read_config()
            if self.config is not None:  # e.g. more steps than first planned
                config.steps = max(config.steps, self.config.steps)
                config.epochs = self.config.epochs
                run.write_config(config)
            config.validate()
            run.prepare()
        else:
            config = self.config  # type: ignore[assignment]
            config.validate()
            if self.run_dir is not None:
                run = RunDir(self.run_dir)
                run.path.mkdir(parents=True, exist_ok=True)
                run.prepare()
                run.write_config(config)
            else:
                run = RunDir.create(self.runs_root, config)
        self.run_dir = run.path
        self.config = config
        return run, config

    def _loop(self, s: TrainingSession, run: RunDir) -> str:
        config = s.config
        clock = time.perf_counter()
        last_log_step, last_log_time = self.step, clock
        rate = 0.0

        def on_pause() -> None:
            run.write_state("paused", self.step, self.total_steps)
            self.emit(ev.Paused(self.step))

        def on_resume() -> None:
            run.write_state("running", self.step, self.total_steps)
            self.emit(ev.Resumed(self.step))

        while self.step < self.total_steps:
            if not self.control.gate(on_pause, on_resume):
                return "stopped"
            logs = s.train_step()
            self.step += 1
            values = {k: float(v) for k, v in logs.items()}
            bad = [k for k, v in values.items() if not math.isfinite(v)]
            if bad:
                raise TrainingError(
                    f"training diverged at step {self.step}: {', '.join(bad)} became "
                    f"{values[bad[0]]}. Try a lower learning rate or another loss; the last "
                    "checkpoint before this step is kept."
                )
            stepping = self.control.paused
            logged = None
            if self.step % config.log_every == 0 or self.step == self.total_steps or stepping:
                now = time.perf_counter()
                if now > last_log_time and self.step > last_log_step:
                    rate = (self.step - last_log_step) / (now - last_log_time)
                last_log_step, last_log_time = self.step, now
                self.emit(s.log_metrics(self.step, values, rate))
                logged = values
            if self.step % config.sample_every == 0 or stepping:
                s.export()  # the run folder's generator follows training (live explorer, watch)
                grid = s.sample_grid(self.step)
                self.emit(grid)
                self._emit_all(self.quality.after_sample(self.step, grid.images))
            self._emit_all(self.quality.after_step(self.step, logged, rate))
            if self.step % config.checkpoint_every == 0:
                self.emit(ev.CheckpointSaved(self.step, str(s.save_checkpoint(self.step))))
                run.write_state("running", self.step, self.total_steps)
        return "completed"

    def _emit_all(self, events: list) -> None:
        for event in events:
            self.emit(event)

    def _finish(self, s: TrainingSession, run: RunDir, reason: str) -> None:
        if self.step not in run.sample_steps():
            self.emit(s.sample_grid(self.step))
        self._emit_all(self.quality.finish(self.step, reason == "completed"))
        if self.step % s.config.checkpoint_every != 0:
            self.emit(ev.CheckpointSaved(self.step, str(s.save_checkpoint(self.step))))
        s.export()
        s.close()
        run.write_state(reason, self.step, self.total_steps)

    def _failure(
        self, exc: Exception, run: RunDir | None, session: TrainingSession | None
    ) -> ev.Failed:
        message = str(exc) or type(exc).__name__
        if not isinstance(exc, (TrainingError, ValueError, FileNotFoundError, OSError)):
            message = f"{type(exc).__name__}: {message}"
        if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
            message = f"the disk is full: {message}. Free some space and resume the run."
        if self.quality is not None:
            with contextlib.suppress(Exception):
                self.quality.close()
        if session is not None:
            with contextlib.suppress(Exception):
                session.close()
        if run is not None:
            with contextlib.suppress(OSError):
                run.write_state("failed", self.step, self.total_steps, message)
        return ev.Failed(
            self.step,
            message,
            type(exc).__name__,
            str(run.path) if run else None,
            traceback.format_exc(),
        )
