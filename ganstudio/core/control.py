"""Cooperative pause / resume / stop / single-step control of a training loop.

Any thread may call the request methods; the training loop calls :meth:`RunControl.gate`
at each step boundary, which blocks while paused and tells the loop whether to go on.
Work before the first step (loading data) takes a ``cancel`` callable instead and stops
with :class:`Cancelled` (see :func:`raise_if_cancelled`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """A long piece of work (loading data, an evaluation, a resynthesis) gave up because a
    stop was requested; it kept nothing half done."""


def raise_if_cancelled(cancel: Callable[[], bool] | None) -> None:
    """Raise :class:`Cancelled` if ``cancel`` (a ``should_stop`` callable) says so.

    Long loaders call this between files or chunks, on whatever thread they run on.
    """
    if cancel is not None and cancel():
        raise Cancelled("stopped on request")


class RunControl:
    """Thread-safe flags checked by the training loop between steps."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._paused = False
        self._stop = False
        self._steps_allowed = 0  # single steps granted while paused
        self._parked = False  # the loop waits inside gate()

    # -- requests (any thread) -------------------------------------------------
    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._steps_allowed = 0
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def step_once(self, n: int = 1) -> None:
        """Let a paused loop run ``n`` more steps, then pause again."""
        with self._cond:
            self._paused = True
            self._steps_allowed += n
            self._cond.notify_all()

    # -- queries ---------------------------------------------------------------
    @property
    def paused(self) -> bool:
        with self._cond:
            return self._paused and self._steps_allowed == 0

    @property
    def parked(self) -> bool:
        """True while the loop is parked in :meth:`gate` (paused, no step can run)."""
        with self._cond:
            return self._parked

    @property
    def stop_requested(self) -> bool:
        with self._cond:
            return self._stop

    # -- loop side -------------------------------------------------------------
    def gate(self, on_pause=None, on_resume=None, poll: float = 0.1) -> bool:
        """Block while paused; return False if the loop should stop.

        ``on_pause``/``on_resume`` are called (in the loop's thread) when the loop
        actually parks or leaves the paused state.
        """
        with self._cond:
            if self._stop:
                return False
            if not self._paused:
                return True
            if self._steps_allowed > 0:
                self._steps_allowed -= 1
                return True
        parked = False
        with self._cond:
            while not self._stop and self._paused and self._steps_allowed == 0:
                if not parked:
                    parked = True
                    if on_pause is not None:
                        self._cond.release()
                        try:
                            on_pause()
                        finally:
                            self._cond.acquire()
                        continue
                self._parked = True
                self._cond.wait(poll)
            self._parked = False
            if self._stop:
                return False
            if self._paused and self._steps_allowed > 0:
                self._steps_allowed -= 1
                single = True
            else:
                single = False
        if parked and not single and on_resume is not None:
            on_resume()
        return True
