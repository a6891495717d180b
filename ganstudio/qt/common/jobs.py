"""The window's one worker pattern: a :class:`JobRunner` runs jobs on its own QThread,
newest request wins, one way to stop, and one bounded shutdown for all of them.

Every background job of the window (audio work, run folders, the latent explorer, the
engine probe, training) is a job on a JobRunner. superqt's ``create_worker`` was measured
and does not fit: its workers share ``QThreadPool.globalInstance()`` (2 threads on a
2-core machine, so a training run and the engine probe starve every other job), its
``await_workers`` waits for that whole pool or raises, and a ``FunctionWorker`` cannot be
asked to stop. superqt's ``qdebounced`` / ``qthrottled`` are used for debouncing.

Threading contract
------------------
* A :class:`JobRunner` lives in the GUI thread and owns one :class:`QThread` that runs
  submitted callables one at a time, in the order their *lanes* were first queued.
* Each lane (``"show"``, ``"scan"``, ``"render"``...) holds at most one waiting job: a
  newer submission replaces a waiting one, and when a job ends its result is delivered
  only if it is still the newest of its lane. So a burst of clicks computes at most two
  jobs and shows only the last.
* Jobs must return plain data (numbers, str, NumPy arrays, frozen dataclasses); results
  and errors reach the GUI thread through queued signals. A job that raises never stops
  the thread: the error text is delivered through :attr:`JobRunner.failed`.
* **Stopping** is cooperative and the same for every job: :meth:`JobRunner.cancel` and
  :meth:`JobRunner.shutdown` *ask* the lane's running job to stop. A job submitted with
  ``with_stop=True`` gets ``stop=threading.Event`` and checks it (at least once a second);
  ``on_stop`` is called (GUI thread) as well, e.g. to ask a training run to stop.
* :meth:`JobRunner.shutdown` drops waiting jobs, asks the running one to stop and waits
  for the thread, with a bound: a thread still running after it is parked (see
  :mod:`ganstudio.qt.common.threads`) and its result dropped. Every runner is registered
  while it lives; :func:`shutdown_all` shuts them all down within one bound (``run_app``
  calls it once before exit), so no owner has to be listed by hand.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ganstudio.qt.common.threads import is_running, wait_or_park, wait_parked

log = logging.getLogger(__name__)

#: errors whose text is already meant for a person (everything else gets its type name)
FRIENDLY_ERRORS: tuple[type[BaseException], ...] = (ValueError, OSError, RuntimeError)


def describe_error(exc: BaseException) -> str:
    """The text shown to a person for a failed job."""
    text = str(exc).strip()
    if isinstance(exc, FRIENDLY_ERRORS) and text:
        return text
    return f"{type(exc).__name__}: {text or 'unexpected error'}"


#: every JobRunner not yet shut down (GUI thread only); see :func:`shutdown_all`
_live: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def live_runners() -> list[JobRunner]:
    """Runners not yet shut down."""
    return list(_live)


def shutdown_all(timeout_ms: int) -> bool:
    """Ask every runner's jobs to stop, then wait for all their threads (parked ones too),
    ``timeout_ms`` in all; True when none is running. GUI thread; idempotent."""
    runners = live_runners()
    for runner in runners:
        runner.request_stop()
    deadline = time.monotonic() + max(0, timeout_ms) / 1000
    ended = True
    for runner in runners:
        left = int(1000 * (deadline - time.monotonic()))
        ended = runner.shutdown(max(0, left)) and ended
    left = int(1000 * (deadline - time.monotonic()))
    return wait_parked(max(0, left)) and ended


class _Job:
    __slots__ = ("args", "fn", "lane", "on_stop", "progress", "stop", "token", "with_stop")

    def __init__(
        self,
        token: int,
        lane: str,
        fn: Callable[..., Any],
        args: tuple,
        progress: bool,
        with_stop: bool,
        on_stop: Callable[[], Any] | None,
    ):
        self.token, self.lane, self.fn, self.args, self.progress = token, lane, fn, args, progress
        self.with_stop, self.on_stop = with_stop, on_stop
        self.stop = threading.Event()

    def call(self, report: Callable[[Any], None] | None) -> Any:
        kwargs: dict[str, Any] = {}
        if self.progress:
            kwargs["progress"] = report
        if self.with_stop:
            kwargs["stop"] = self.stop
        return self.fn(*self.args, **kwargs)

    def request_stop(self) -> None:
        """Ask the job to stop (GUI thread): sets its event and calls ``on_stop``."""
        self.stop.set()
        if self.on_stop is not None:
            self.on_stop()


class _WorkerThread(QThread):
    """Takes jobs from the runner's queue until told to stop."""

    def __init__(self, runner: JobRunner) -> None:
        super().__init__()
        self._runner = runner

    def run(self) -> None:
        runner = self._runner
        while True:
            job = runner._take()
            if job is None:
                return
            report = None
            if job.progress:

                def report(value: Any, _token: int = job.token, _lane: str = job.lane) -> None:
                    runner._progress.emit(_token, _lane, value)

            try:
                result = job.call(report)
            except Exception as exc:  # delivered as text; the thread keeps serving
                if not isinstance(exc, FRIENDLY_ERRORS):
                    log.exception("%s: job %r failed", runner._name, job.lane)
                ok, result = False, describe_error(exc)
            else:
                ok = True
            runner._job_ended()
            try:
                runner._ended.emit(job.token, job.lane, ok, result)
            except RuntimeError:  # the runner is gone (shut down while this job ran)
                return


class JobRunner(QObject):
    """Runs callables on one worker thread; see the module docstring for the contract."""

    done = Signal(int, str, object)  # token, lane, result (newest of its lane only)
    failed = Signal(int, str, str)  # token, lane, message (newest of its lane only)
    progress = Signal(int, str, object)  # token, lane, value reported by the job
    busy_changed = Signal(bool)

    _ended = Signal(int, str, bool, object)  # from the worker thread
    _progress = Signal(int, str, object)  # from the worker thread

    def __init__(self, name: str = "audio jobs", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cond = threading.Condition()
        self._waiting: OrderedDict[str, _Job] = OrderedDict()
        self._latest: dict[str, int] = {}
        self._running = 0
        self._current: _Job | None = None  # the job on the thread now
        self.dropped = 0  # waiting jobs replaced or cancelled before they ran
        self._next_token = 0
        self._stopping = False
        self._thread: _WorkerThread | None = None
        self._name = name
        self._ended.connect(self._deliver)
        self._progress.connect(self._relay_progress)
        _live.add(self)

    # -- GUI thread ------------------------------------------------------------------------
    def submit(
        self,
        lane: str,
        fn: Callable[..., Any],
        *args: Any,
        with_progress: bool = False,
        with_stop: bool = False,
        on_stop: Callable[[], Any] | None = None,
    ) -> int:
        """Queue ``fn(*args)`` on the worker thread, replacing a job of the same lane that
        has not started; returns its token. ``with_progress`` adds ``progress=callable``,
        ``with_stop`` adds ``stop=threading.Event`` (set when the job is asked to stop);
        ``on_stop`` is called in the GUI thread when it is asked to stop."""
        if self._stopping:
            raise RuntimeError(f"{self._name}: the job runner was shut down")
        self._next_token += 1
        token = self._next_token
        with self._cond:
            if self._waiting.pop(lane, None) is not None:
                self.dropped += 1
            self._waiting[lane] = _Job(token, lane, fn, args, with_progress, with_stop, on_stop)
            self._latest[lane] = token
            self._cond.notify()
        if self._thread is None:
            self._thread = _WorkerThread(self)
            self._thread.setObjectName(self._name)
            self._thread.start()
        self.busy_changed.emit(True)
        return token

    def cancel(self, lane: str) -> None:
        """Forget the lane's waiting job, ask its running one to stop and ignore its result."""
        with self._cond:
            if self._waiting.pop(lane, None) is not None:
                self.dropped += 1
            current = self._current if self._current and self._current.lane == lane else None
        if current is not None:
            current.request_stop()
        self._next_token += 1
        self._latest[lane] = self._next_token

    def cancel_all(self) -> None:
        """:meth:`cancel` every lane: nothing waiting runs, nothing running is delivered."""
        with self._cond:
            lanes = set(self._waiting) | set(self._latest)
            if self._current is not None:
                lanes.add(self._current.lane)
        for lane in lanes:
            self.cancel(lane)

    def request_stop(self, lane: str | None = None) -> None:
        """Ask the running job (of ``lane``, or any) and the lane's waiting one to stop;
        their results or errors are still delivered. GUI thread."""
        with self._cond:
            jobs = [self._current] if self._current is not None else []
            if lane is not None and lane in self._waiting:
                jobs.append(self._waiting[lane])
        for job in jobs:
            if lane in (None, job.lane):
                job.request_stop()

    def running_lane(self) -> str | None:
        """The lane of the job on the thread now (None when idle)."""
        with self._cond:
            return self._current.lane if self._current is not None else None

    def is_busy(self) -> bool:
        with self._cond:
            return bool(self._waiting) or self._running > 0

    def is_current(self, token: int, lane: str) -> bool:
        return self._latest.get(lane) == token

    def latest(self, lane: str) -> int | None:
        """The token of the lane's newest job (None if none or cancelled)."""
        return self._latest.get(lane)

    @property
    def closed(self) -> bool:
        """The runner was shut down: :meth:`submit` takes no more jobs."""
        return self._stopping

    def thread_running(self) -> bool:
        """The runner's thread is running (also while it is parked after a shutdown)."""
        return self._thread is not None and is_running(self._thread)

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Drop waiting jobs, ask the running one to stop and wait for the thread (True if
        it ended within ``timeout_ms``; otherwise it is parked). Safe to call more than once."""
        with self._cond:
            self._stopping = True
            self._waiting.clear()
            self._cond.notify_all()
            current = self._current
        _live.discard(self)
        if current is not None:
            current.request_stop()
        self._latest.clear()  # a job still running is no longer delivered
        thread = self._thread
        if thread is None:
            return True
        ended = not is_running(thread) or wait_or_park(thread, timeout_ms, self)
        if ended:
            self._thread = None
            thread.deleteLater()
        return ended

    # -- worker thread ---------------------------------------------------------------------
    def _take(self) -> _Job | None:
        with self._cond:
            while not self._waiting and not self._stopping:
                self._cond.wait()
            if self._stopping:
                return None
            _, job = self._waiting.popitem(last=False)
            self._running += 1
            self._current = job
            return job

    def _job_ended(self) -> None:
        with self._cond:
            self._current = None

    # -- back in the GUI thread ------------------------------------------------------------
    @Slot(int, str, bool, object)
    def _deliver(self, token: int, lane: str, ok: bool, payload: object) -> None:
        with self._cond:
            self._running -= 1
        if self.is_current(token, lane):
            if ok:
                self.done.emit(token, lane, payload)
            else:
                self.failed.emit(token, lane, str(payload))
        if not self.is_busy():
            self.busy_changed.emit(False)

    @Slot(int, str, object)
    def _relay_progress(self, token: int, lane: str, value: object) -> None:
        if self.is_current(token, lane):
            self.progress.emit(token, lane, value)
