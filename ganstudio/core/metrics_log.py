"""The metrics log of a run (``metrics.jsonl``): append-only, readable while it grows.

Each line is one JSON object: a step record (``{"step": 120, "d_loss": ...}``) or a
resume marker (``{"resumed_from": 100, "time": ...}``) written when a run continues
from its checkpoint at step 100. The file is never rewritten, so a reader that keeps a
byte offset (the window following a run) stays valid; instead, a reader that meets a
marker drops the records it holds past that step, because the resumed run logs those
steps again. :func:`resolve_resumes` does that for a list of records.

Reading is safe while another process (maybe on another machine over a shared folder)
appends: only complete lines are read. Functions here are safe from any thread, but
one log has one writer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

RESUMED = "resumed_from"


class MetricsChunk(NamedTuple):
    """What :func:`read_chunk` found: records, where to read next, and whether it
    started over because the file had become shorter than the offset asked for."""

    records: list[dict[str, Any]]  # step records and resume markers, in file order
    offset: int
    reset: bool = False


def is_resume_marker(record: dict[str, Any]) -> bool:
    return RESUMED in record


def read_chunk(path: str | Path, offset: int = 0) -> MetricsChunk:
    """Lines from byte ``offset`` up to the last complete one. If the file is shorter
    than ``offset`` (someone rewrote it), it is read from the start and ``reset`` is set:
    the reader must drop what it holds and take these records instead."""
    try:
        with open(path, "rb") as f:
            size = f.seek(0, 2)
            reset = offset > size
            start = 0 if reset else offset
            f.seek(start)
            data = f.read()
    except FileNotFoundError:
        return MetricsChunk([], 0, offset > 0)
    end = data.rfind(b"\n") + 1
    records = []
    for line in data[:end].splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn line from a crash: skip it, keep the rest
        if isinstance(record, dict):
            records.append(record)
    return MetricsChunk(records, start + end, reset)


def resolve_resumes(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The step records as the run's curve: each resume marker drops the records before
    it past its step; the markers themselves are left out."""
    out: list[dict[str, Any]] = []
    for record in records:
        if is_resume_marker(record):
            out = [r for r in out if r["step"] <= record[RESUMED]]
        elif "step" in record:
            out.append(record)
    return out


def append_resume_marker(path: str | Path, step: int) -> None:
    """Record that the run continues from its checkpoint at ``step``.

    A torn last line (a writer killed mid-line) is ended first, so the marker always
    stands on a line of its own.
    """
    path = Path(path)
    with open(path, "ab+") as f:
        if f.seek(0, 2) > 0:
            f.seek(-1, 2)
            if f.read(1) != b"\n":
                f.write(b"\n")
        f.write((json.dumps({RESUMED: int(step), "time": round(time.time(), 3)}) + "\n").encode())
        f.flush()
