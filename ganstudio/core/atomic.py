"""Atomic file writes: a reader sees the old file or the whole new one, never half of one.

Every writer puts its bytes in a temporary file beside the target (same folder, so the
rename cannot cross file systems) and renames it over the target with :func:`os.replace`.
When anything fails (a full disk, an exception in the writer, Ctrl+C) the temporary file is
removed and the target is left as it was. The new file gets the mode the user's umask gives
(0644 under umask 022), as :func:`open` would, not the private 0600 of ``tempfile.mkstemp``.

- :func:`atomic_write_bytes` / :func:`atomic_write_text`: the whole content at once.
- :func:`atomic_file`: a binary file object for writers that stream (``np.savez(f)``).
- :func:`atomic_path`: a temporary path for writers that want a name (``soundfile``,
  Keras ``model.save``), renamed over the target when the block ends without error.

Imports nothing else from the project, so any module may use it. Safe from any thread.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TMP_MARK = ".tmp"  # every temporary file's name holds it (``.<name>.<tag>.tmp[suffix]``)


def temporary_path(path: str | Path, suffix: str = "") -> Path:
    """A fresh hidden name beside ``path`` for its temporary file, ending ``.tmp`` + ``suffix``
    (a writer that insists on an extension, like Keras's ``.keras``, gets it)."""
    path = Path(path)
    tag = f"{os.getpid()}-{secrets.token_hex(3)}"
    return path.with_name(f".{path.name}.{tag}{TMP_MARK}{suffix}")


def target_name(temporary: str | Path) -> str | None:
    """The name of the file that the temporary file ``temporary`` will become, or None if
    it is not one of ours."""
    name = Path(temporary).name
    head, mark, _ = name.rpartition(TMP_MARK)
    if not mark or not head.startswith("."):
        return None
    target, dot, _tag = head[1:].rpartition(".")
    return target if dot and target else None


def remove_quietly(path: str | Path) -> None:
    """Delete ``path`` if it exists, ignoring errors (cleanup after a failed write)."""
    with contextlib.suppress(OSError):
        Path(path).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = "", *, fsync: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a writer to create; on a clean exit it
    replaces ``path`` (flushed to disk first if ``fsync``), else it is removed."""
    path = Path(path)
    tmp = temporary_path(path, suffix)
    try:
        yield tmp
        if fsync:
            _fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        remove_quietly(tmp)  # gone after os.replace; whatever was written otherwise


@contextlib.contextmanager
def atomic_file(path: str | Path, *, fsync: bool = True) -> Iterator[BinaryIO]:
    """Yield a binary file open for writing; on a clean exit its content replaces ``path``
    (flushed to disk first if ``fsync``), else nothing of it is left."""
    with atomic_path(path) as tmp, open(tmp, "xb") as f:  # mode 0666 less the umask
        yield f
        f.flush()
        if fsync:
            os.fsync(f.fileno())


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (synced to disk before the rename)."""
    with atomic_file(path) as f:
        f.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
