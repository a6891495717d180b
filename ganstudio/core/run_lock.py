"""One writer per run folder: an advisory lock on ``<run>/writer.lock`` held while training.

The operating system frees the lock when its process ends, however it ends (``kill -9``
included), so a dead run never blocks the next one. The lock file records who holds it
(host, pid, since when, and a heartbeat: the holder touches the file every
``HEARTBEAT_S`` seconds), which the refusal message names and which is checked where the
disk cannot lock: on a shared disk mounted without working locks the lock call fails, and
then a record whose process still runs on this host, or whose heartbeat is fresh on
another host, counts as held. POSIX uses ``fcntl.flock``, Windows ``msvcrt.locking``.
Readers (the window watching, ``ganstudio runs``) never take the lock; they ask
:func:`lock_holder`. Plain Python, safe from any thread.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ganstudio.core.process import process_alive

LOCK_FILE = "writer.lock"
HEARTBEAT_S = 30.0
_WIN_BYTE = 1 << 30  # Windows locks a byte far past the record, which stays readable
STALE_S = 300.0  # a record from another host is taken as held while its heartbeat is fresher


@dataclass(frozen=True)
class LockOwner:
    """Who writes a run folder."""

    host: str
    pid: int
    since: float = 0.0

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}"


class RunLocked(RuntimeError):
    """The run folder is being written by another process; the message names it."""

    def __init__(self, path: Path, owner: LockOwner) -> None:
        self.path, self.owner = path, owner
        super().__init__(
            f"{path} is being written by {owner.describe()}: one run folder has one writer. "
            f"Watch it with `ganstudio --watch {path}`, or wait until that run stops"
        )


def _try_lock(fd: int) -> bool | None:
    """Take the OS lock on ``fd`` without waiting: True, False (held), None (no locks here)."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _WIN_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return False
        return None  # ENOLCK, EOPNOTSUPP, ...: this disk does not lock
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _WIN_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)


def read_owner(folder: str | Path) -> LockOwner | None:
    """The holder recorded in ``folder``'s lock file (None: no file or no record)."""
    path = Path(folder) / LOCK_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        owner = LockOwner(str(data["host"]), int(data["pid"]), float(data.get("since", 0.0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner


def _record_alive(folder: Path, owner: LockOwner) -> bool:
    """Whether a recorded holder still runs (where the OS lock cannot tell)."""
    if owner.host == socket.gethostname():
        return owner.pid != os.getpid() and process_alive(owner.pid) is not False
    try:
        age = time.time() - (folder / LOCK_FILE).stat().st_mtime
    except OSError:
        return False
    return age < STALE_S


def lock_holder(folder: str | Path) -> LockOwner | None:
    """Who holds ``folder``'s lock now, or None when nobody does (a free lock, no file)."""
    folder = Path(folder)
    path = folder / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        got = _try_lock(fd)
        if got:
            _unlock(fd)
            return None
    finally:
        os.close(fd)
    owner = read_owner(folder) or LockOwner("?", 0)
    if got is None and not _record_alive(folder, owner):
        return None
    return owner


class RunLock:
    """The writer's lock on one run folder: :meth:`acquire`, then :meth:`release`."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._fd: int | None = None
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> RunLock:
        """Take the lock or raise :class:`RunLocked` naming the holder (never waits)."""
        if self._fd is not None:
            return self
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        got = _try_lock(fd)
        owner = read_owner(self.folder)
        if not got and (got is False or (owner and _record_alive(self.folder, owner))):
            os.close(fd)
            raise RunLocked(self.folder, owner or LockOwner("?", 0))
        me = {"host": socket.gethostname(), "pid": os.getpid(), "since": round(time.time(), 3)}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(me) + "\n").encode())
        self._fd = fd
        self._stop.clear()
        self._beat = threading.Thread(target=self._heartbeat, name="run-lock", daemon=True)
        self._beat.start()
        return self

    def release(self) -> None:
        """Clear the record and free the lock (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        self._stop.set()
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        _unlock(fd)
        os.close(fd)

    def moved_to(self, folder: str | Path) -> None:
        """The locked folder was renamed to ``folder`` (the open lock goes with it)."""
        self.folder = Path(folder)

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            with contextlib.suppress(OSError):
                os.utime(self.folder / LOCK_FILE)

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *_exc) -> None:
        self.release()
