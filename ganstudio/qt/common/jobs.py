"""Background jobs for the audio widgets: one worker QThread per runner, newest request wins.

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
* :meth:`JobRunner.shutdown` drops waiting jobs, lets the running one end and waits for
  the thread, with a bound: a thread still running after it is parked (see
  :mod:`ganstudio.qt.common.threads`) and its result dropped. Owners must call it before
  they are destroyed.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ganstudio.qt.common.threads import wait_or_park

log = logging.getLogger(__name__)

#: errors whose text is already meant for a person (everything else gets its type name)
FRIENDLY_ERRORS: tuple[type[BaseException], ...] = (ValueError, OSError, RuntimeError)


def describe_error(exc: BaseException) -> str:
    """The text shown to a person for a failed job."""
    text = str(exc).strip()
    if isinstance(exc, FRIENDLY_ERRORS) and text:
        return text
    return f"{type(exc).__name__}: {text or 'unexpected error'}"


class _Job:
    __slots__ = ("args", "fn", "lane", "progress", "token")

    def __init__(self, token: int, lane: str, fn: Callable[..., Any], args: tuple, progress: bool):
        self.token, self.lane, self.fn, self.args, self.progress = token, lane, fn, args, progress


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
                result = job.fn(*job.args, progress=report) if job.progress else job.fn(*job.args)
            except Exception as exc:  # delivered as text; the thread keeps serving
                if not isinstance(exc, FRIENDLY_ERRORS):
                    log.exception("%s: job %r failed", runner._name, job.lane)
                ok, result = False, describe_error(exc)
            else:
                ok = True
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
        self._next_token = 0
        self._stopping = False
        self._thread: _WorkerThread | None = None
        self._name = name
        self._ended.connect(self._deliver)
        self._progress.connect(self._relay_progress)

    # -- GUI thread ------------------------------------------------------------------------
    def submit(
        self, lane: str, fn: Callable[..., Any], *args: Any, with_progress: bool = False
    ) -> int:
        """Queue ``fn(*args)`` (plus ``progress=callable`` if ``with_progress``) on the worker
        thread, replacing a job of the same lane that has not started. Returns its token."""
        if self._stopping:
            raise RuntimeError(f"{self._name}: the job runner was shut down")
        self._next_token += 1
        token = self._next_token
        with self._cond:
            self._waiting.pop(lane, None)
            self._waiting[lane] = _Job(token, lane, fn, args, with_progress)
            self._latest[lane] = token
            self._cond.notify()
        if self._thread is None:
            self._thread = _WorkerThread(self)
            self._thread.setObjectName(self._name)
            self._thread.start()
        self.busy_changed.emit(True)
        return token

    def cancel(self, lane: str) -> None:
        """Forget the lane's waiting job and ignore the result of its running one."""
        with self._cond:
            self._waiting.pop(lane, None)
        self._next_token += 1
        self._latest[lane] = self._next_token

    def is_busy(self) -> bool:
        with self._cond:
            return bool(self._waiting) or self._running > 0

    def is_current(self, token: int, lane: str) -> bool:
        return self._latest.get(lane) == token

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Drop waiting jobs, let the running one finish and wait for the thread (True if it
        ended within ``timeout_ms``; otherwise it is parked). Safe to call more than once."""
        with self._cond:
            self._stopping = True
            self._waiting.clear()
            self._cond.notify_all()
        self._latest.clear()  # a job still running is no longer delivered
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        ended = wait_or_park(thread, timeout_ms, self)
        if ended:
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
            return job

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
