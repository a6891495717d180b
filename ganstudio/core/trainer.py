"""The training loop shared by the command line and the window.

``Trainer.run()`` blocks: call it on a worker thread. It reports progress through
``emit(event)`` (called on the training thread; see :mod:`ganstudio.core.events`), checks
a :class:`RunControl` between steps, and never raises for a training error: it emits and
returns a :class:`Failed` event instead.

In a multi-worker cluster (see :mod:`ganstudio.core.cluster`) only the chief writes the
run folder; the other workers run every step with it but write into a private temporary
folder that is deleted at the end. A stop asked of any worker stops all after the same step.

The writer holds the run folder's lock (:mod:`ganstudio.core.run_lock`) from before it
writes anything until the run has ended: a second writer is refused with the holder named.
A new run is never written into a folder that already holds one unless ``overwrite`` is
given, and then the old run is moved aside (``RUN.old-TIMESTAMP``), never deleted.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ganstudio.core import events as ev
from ganstudio.core.checkpoints import latest_checkpoint_step
from ganstudio.core.cluster import Cluster, find_cluster
from ganstudio.core.config import TrainConfig
from ganstudio.core.control import Cancelled, RunControl
from ganstudio.core.heap import freeze_engine_modules
from ganstudio.core.models import get_model
from ganstudio.core.monitoring.monitor import QualityMonitor
from ganstudio.core.run_lock import RunLock, RunLocked
from ganstudio.core.rundir import RunDir, default_runs_root, is_run_folder
from ganstudio.core.session import TrainingSession
from ganstudio.core.workers import explain_failure

log = logging.getLogger(__name__)


class TrainingError(RuntimeError):
    """A run cannot go on; the message is meant for a person."""


def already_a_run(path: Path) -> TrainingError:
    """The refusal to start a new run in a folder that holds one."""
    return TrainingError(
        f"{path} already holds a run: continue it with `ganstudio resume {path}`, or give "
        "--overwrite to move it aside (it is kept as RUN.old-TIMESTAMP) and start anew"
    )


def config_differences(stored: TrainConfig, wanted: TrainConfig) -> list[str]:
    """The settings in which a run's config and a new one differ, apart from the total
    (a new one may be given) and how to run it (strategy, devices, XLA)."""
    free = ("steps", "epochs", "strategy", "devices", "xla")
    a, b = stored.to_dict(), wanted.to_dict()
    return [k for k in sorted(set(a) | set(b)) if k not in free and a.get(k) != b.get(k)]


def other_settings(path: Path, differ: list[str]) -> TrainingError:
    """The refusal to resume a run whose settings differ from the ones given."""
    return TrainingError(
        f"{path} holds a run with other settings ({', '.join(differ)}): give another "
        "--run-dir, or --overwrite to move that run aside"
    )


def move_aside(path: Path) -> Path:
    """Rename the run folder ``path`` to ``path.old-TIMESTAMP`` (a free name); return it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.old-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.old-{stamp}-{n}")
    os.rename(path, target)
    return target


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
        overwrite: bool = False,
        resume_if_exists: bool = False,
    ) -> None:
        if config is None and not (resume and run_dir):
            raise ValueError("a new run needs a config; resuming needs a run folder")
        self.config = config
        self.resume = resume
        self.overwrite = overwrite
        self.resume_if_exists = resume_if_exists  # resume when run_dir holds this run
        self._notes: list[str] = []
        self.moved_aside: Path | None = None  # where --overwrite put the old run
        self._lock: RunLock | None = None  # the run folder's writer lock, while held
        self.emit = emit or (lambda event: None)
        self.control = control or RunControl()
        self.runs_root = Path(runs_root) if runs_root else default_runs_root()
        self.run_dir: Path | None = Path(run_dir) if run_dir else None
        self.step = 0
        self.total_steps = 0
        self.cluster: Cluster | None = None
        self._private: Path | None = None  # a non-chief worker's temporary run folder
        self.quality: QualityMonitor | None = None

    # ------------------------------------------------------------------ public
    def run(self) -> ev.Finished | ev.Failed:
        """Train until done or stopped; return the final event (also emitted).

        Whatever happens, the session's TensorFlow resources are released before this
        returns, on this thread (see :meth:`TrainingSession.close`).
        """
        session: TrainingSession | None = None
        try:
            final, session = self._run()
            self.emit(final)
            return final
        finally:
            if session is not None:
                with contextlib.suppress(Exception):  # the result stands; never raise here
                    session.close()
            if self._private is not None:  # a non-chief worker's temporary run folder
                shutil.rmtree(self._private, ignore_errors=True)
            if self._lock is not None:  # last: the folder is complete for the next writer
                self._lock.release()
                self._lock = None

    def _run(self) -> tuple[ev.Finished | ev.Failed, TrainingSession | None]:
        run: RunDir | None = None
        session: TrainingSession | None = None
        try:
            run, config = self._open_run()
            freeze_engine_modules()  # before the session's objects exist: they stay collectable
            make_session = get_model(config.model).session or TrainingSession
            session = make_session(config, run, self.cluster)
            # With several workers, resuming is collective: under resume_if_exists every
            # worker joins the chief's restore (which finds no checkpoint in a new run).
            # (session.multiworker is known only after setup: ask the cluster.)
            collective = (
                self.resume_if_exists and self.cluster is not None and self.cluster.num_workers > 1
            )
            self.step = session.setup(
                resume=self.resume or collective, cancel=lambda: self.control.stop_requested
            )
            self.total_steps = session.total_steps
            if self.step > self.total_steps:  # a total given in epochs, known only now
                raise TrainingError(
                    f"the run's checkpoint is at step {self.step}, past the new total of "
                    f"{self.total_steps} steps; give a total of at least {self.step}"
                )
            self.quality = QualityMonitor(session)
            session.notes += self.quality.start(self.step)
            session.notes += self._notes
            if self.moved_aside is not None:
                session.notes.append(f"the old run was moved aside to {self.moved_aside}")
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
        except Cancelled:  # stopped while the data loaded: no networks, nothing saved
            final = self._stopped_before_training(run, session)
        except Exception as exc:  # report, never crash the caller's thread
            final = self._failure(exc, run, session)
        return final, session

    # --------------------------------------------------------------- internals
    def _choose_resume(self) -> None:
        """resume_if_exists: resume when run_dir holds a run of the same settings (the chief
        or a lone process decides; the other workers write a private folder)."""
        config = self.config.validate()  # type: ignore[union-attr]
        if config.strategy in ("auto", "multiworker"):
            cluster = find_cluster()
            if cluster is not None and not cluster.is_chief:
                return
        path = self.run_dir
        if path is None or not is_run_folder(path):
            return
        differ = config_differences(RunDir(path).read_config(), config)
        if differ:
            raise other_settings(path, differ)
        self.resume = True
        self._notes.append(f"{path} holds this run: resuming it")

    def _open_run(self) -> tuple[RunDir, TrainConfig]:
        if self.resume_if_exists and not self.resume and self.config is not None:
            self._choose_resume()
        if self.resume:
            run = RunDir(self.run_dir)  # type: ignore[arg-type]
            if not run.exists():
                raise TrainingError(f"{run.path} is not a GAN Studio run folder (no config.json)")
            config = run.read_config()
            if self.config is not None:  # a new total, e.g. `ganstudio resume --steps N`
                config.steps = self.config.steps
                config.epochs = self.config.epochs
                for name in ("strategy", "devices", "xla"):  # how to run it may change
                    setattr(config, name, getattr(self.config, name))
        else:
            config = self.config  # type: ignore[assignment]
        config.validate()
        if config.strategy in ("auto", "multiworker"):
            self.cluster = find_cluster()
        if self.cluster is not None and not self.cluster.is_chief:
            return self._private_run(config), config
        if self.resume:
            self._lock = RunLock(run.path).acquire()
            done = latest_checkpoint_step(run.checkpoints_dir)
            if config.epochs is None and config.steps < done:
                raise TrainingError(
                    f"the run's latest checkpoint is at step {done}, past the new total of "
                    f"{config.steps} steps; give a total of at least {done}"
                )
            run.write_config(config)
            run.prepare()
            self.step, self.total_steps = done, config.steps  # until the data says more
        else:
            if self.run_dir is not None:
                run = self._claim_folder(self.run_dir)
                run.prepare()
                run.write_config(config)
            else:
                run = RunDir.create(self.runs_root, config)
                self._lock = RunLock(run.path).acquire()
            self.total_steps = config.steps
        self.run_dir = run.path
        self.config = config
        return run, config

    def _claim_folder(self, path: Path) -> RunDir:
        """Lock ``path`` for a new run: refused if it holds a run, unless ``overwrite``
        (the old run is moved aside while locked, then the new folder is locked)."""
        if is_run_folder(path):
            if not self.overwrite:
                raise already_a_run(path)
            old = RunLock(path).acquire()  # refused while someone writes it
            try:
                self.moved_aside = move_aside(path)
                old.moved_to(self.moved_aside)
                log.info("moved the old run %s aside to %s", path, self.moved_aside)
                path.mkdir(parents=True)
                self._lock = RunLock(path).acquire()
            finally:
                old.release()
        else:
            self._lock = RunLock(path).acquire()
        return RunDir(path)

    def _private_run(self, config: TrainConfig) -> RunDir:
        """A non-chief worker's run folder: temporary, deleted when the run ends."""
        self._private = Path(tempfile.mkdtemp(prefix="ganstudio-worker-"))
        run = RunDir(self._private)
        run.prepare()
        run.write_config(config)
        self.config = config
        return run

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
                if not s.multiworker:
                    return "stopped"
                s.stop_requested = True  # one more step, in which every worker learns it
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
            self._emit_all(self.quality.after_step(self.step, logged))
            if self.step % config.checkpoint_every == 0:
                self.emit(ev.CheckpointSaved(self.step, str(s.save_checkpoint(self.step))))
                run.write_state("running", self.step, self.total_steps)
            if s.stopping:
                return "stopped"
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
        s.wait_for_workers()  # before close(): the barrier runs on the session's strategy
        s.close()
        run.write_state(reason, self.step, self.total_steps)

    def _stopped_before_training(
        self, run: RunDir | None, session: TrainingSession | None
    ) -> ev.Finished:
        if session is not None:
            with contextlib.suppress(Exception):
                session.close()
        if self.step:
            message = f"stopped while loading the data; the checkpoint at step {self.step} stays"
        else:
            message = "stopped while loading the data; nothing was saved"
        if run is not None:
            with contextlib.suppress(OSError):
                run.write_state("stopped", self.step, self.total_steps, message)
        return ev.Finished(self.step, "stopped", str(run.path) if run else "", message)

    def _failure(
        self, exc: Exception, run: RunDir | None, session: TrainingSession | None
    ) -> ev.Failed:
        message = str(exc) or type(exc).__name__
        lost = None
        if session is not None and session.multiworker:
            lost = explain_failure(exc)
        if lost:
            message = lost
        elif not isinstance(
            exc, (TrainingError, RunLocked, ValueError, FileNotFoundError, OSError)
        ):
            message = f"{type(exc).__name__}: {message}"
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            if run is not None and latest_checkpoint_step(run.checkpoints_dir):
                message = f"the disk is full: {message}. Free some space and resume the run."
            else:
                message = (
                    f"the disk is full: {message}; nothing was saved: free some space and "
                    "start the run again"
                )
        if self.quality is not None:
            with contextlib.suppress(Exception):
                self.quality.close()
        if session is not None:
            with contextlib.suppress(Exception):
                session.close()
        if run is not None:
            with contextlib.suppress(OSError):
                run.write_state("failed", self.step, self.total_steps, message)
        log.error("training failed at step %d: %s", self.step, message, exc_info=exc)
        return ev.Failed(
            self.step,
            message,
            type(exc).__name__,
            str(run.path) if run else None,
            traceback.format_exc(),
        )
