"""Run folders: listing, interrupted runs, tailing metrics that are still being written."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from ganstudio.core.atomic import temporary_path
from ganstudio.core.checkpoints import checkpoint_path, latest_checkpoint, list_checkpoints
from ganstudio.core.config import TrainConfig
from ganstudio.core.process import process_alive
from ganstudio.core.rundir import RunDir, _writer_gone, list_runs


def test_numbered_folders_and_interrupted_runs(tmp_path):
    a = RunDir.create(tmp_path, TrainConfig(dataset="npz:/x/My Data.npz"))
    b = RunDir.create(tmp_path, TrainConfig(model="mlp", dataset="toy:ring"))
    assert a.path.name == "00001-dcgan-my-data-npz" and b.path.name == "00002-mlp-ring"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    a.write_state("running", 5, 10)
    state = json.loads(a.state_path.read_text())
    state["pid"] = int(dead)
    a.state_path.write_text(json.dumps(state))
    b.write_state("running", 1, 10)  # this process: still alive
    statuses = {r.path.name: r.status for r in list_runs(tmp_path)}
    assert statuses == {a.path.name: "interrupted", b.path.name: "running"}


def test_read_metrics_tails_complete_lines_only(tmp_path):
    run = RunDir.create(tmp_path, TrainConfig())
    with open(run.metrics_path, "w") as f:
        f.write('{"step": 1}\n{"step": 2}\n{"step": 3, "d_lo')  # a writer mid-line
    records, offset = run.read_metrics()
    assert [r["step"] for r in records] == [1, 2]
    with open(run.metrics_path, "a") as f:
        f.write('ss": 1.0}\n{"step": 4}\n')
    records, offset2 = run.read_metrics(offset)
    assert [r["step"] for r in records] == [3, 4] and offset2 > offset
    assert run.read_metrics(offset2) == ([], offset2)


def test_half_written_checkpoint_is_ignored(tmp_path):
    ckpts = tmp_path / "checkpoints"
    ckpts.mkdir()
    checkpoint_path(ckpts, 10).write_bytes(b"complete")
    temporary_path(checkpoint_path(ckpts, 20)).write_bytes(b"half")  # a crash mid-write
    assert latest_checkpoint(ckpts) == checkpoint_path(ckpts, 10)
    assert len(list_checkpoints(ckpts)) == 1


def test_process_alive_on_posix_tells_a_live_pid_from_a_dead_one():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # reaped: its pid names no process now
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert process_alive(live.pid) is True
        assert process_alive(os.getpid()) is True
        assert process_alive(dead.pid) is False
        assert process_alive(0) is None and process_alive(-1) is None  # never a group
    finally:
        live.kill()
        live.wait()


class _FakeKernel32:
    """Stands in for ``ctypes.WinDLL("kernel32")``: one running and one exited process."""

    STILL_ACTIVE = 259

    def __init__(self) -> None:
        self.exit_codes = {111: self.STILL_ACTIVE, 222: 0}
        self.open_handles: set[int] = set()
        self.last_error = 0

        def open_process(access, inherit, pid):
            if pid not in self.exit_codes:
                self.last_error = 87  # ERROR_INVALID_PARAMETER: no such process
                return None
            self.open_handles.add(pid)
            return pid

        def get_exit_code(handle, ref):
            ref._obj.value = self.exit_codes[handle]
            return 1

        def close_handle(handle):
            self.open_handles.discard(handle)
            return 1

        self.OpenProcess = open_process
        self.GetExitCodeProcess = get_exit_code
        self.CloseHandle = close_handle


def test_process_alive_on_windows_asks_the_kernel_and_never_calls_os_kill(monkeypatch):
    import ctypes

    kernel = _FakeKernel32()

    def no_kill(*args):
        raise AssertionError("os.kill on Windows terminates the process")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", no_kill)
    monkeypatch.setattr(ctypes, "WinDLL", lambda name, **kw: kernel, raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: kernel.last_error, raising=False)
    assert process_alive(111) is True
    assert process_alive(222) is False  # exited, handle still held by someone
    assert process_alive(333) is False  # no such process
    assert not kernel.open_handles  # every handle closed again

    run_state = {"host": socket.gethostname(), "pid": 222, "status": "running"}
    assert _writer_gone(run_state)
    assert not _writer_gone({**run_state, "pid": 111})


def test_metrics_log_is_append_only_and_resume_markers_cut_the_curve(tmp_path):
    run = RunDir.create(tmp_path, TrainConfig())
    with open(run.metrics_path, "w") as f:
        f.write("".join(f'{{"step": {s}}}\n' for s in range(1, 7)))
        f.write('{"step": 7, "d_l')  # the writer was killed mid-line
    before = run.metrics_path.read_bytes()
    run.mark_resumed(4)
    with open(run.metrics_path, "a") as f:
        f.write("".join(f'{{"step": {s}}}\n' for s in range(5, 9)))
    assert run.metrics_path.read_bytes().startswith(before)  # nothing rewritten
    records, offset = run.read_metrics()
    assert [r["step"] for r in records] == list(range(1, 9))
    raw = run.tail_metrics(0).records
    assert [r.get("step", r.get("resumed_from")) for r in raw] == [1, 2, 3, 4, 5, 6, 4, 5, 6, 7, 8]
    assert run.read_metrics(offset) == ([], offset)


def test_tail_metrics_starts_over_when_the_file_shrank(tmp_path):
    run = RunDir.create(tmp_path, TrainConfig())
    run.metrics_path.write_text('{"step": 1}\n{"step": 2}\n{"step": 3}\n')
    chunk = run.tail_metrics(0)
    assert not chunk.reset and len(chunk.records) == 3
    run.metrics_path.write_text('{"step": 1}\n')
    shrunk = run.tail_metrics(chunk.offset)
    assert shrunk.reset and [r["step"] for r in shrunk.records] == [1]
    assert run.tail_metrics(shrunk.offset) == ([], shrunk.offset, False)
    assert run.read_metrics(chunk.offset) == ([{"step": 1}], shrunk.offset)


def test_a_run_with_a_corrupt_config_is_listed_as_unreadable_with_the_reason(tmp_path):
    good = RunDir.create(tmp_path, TrainConfig(model="mlp", dataset="toy:ring"))
    bad = RunDir.create(tmp_path, TrainConfig())
    bad.config_path.write_text('{"model": "dcgan", "steps": 15')  # cut off mid-write
    odd = RunDir.create(tmp_path, TrainConfig())
    odd.config_path.write_text('{"modle": "dcgan"}')
    runs = {r.path.name: r for r in list_runs(tmp_path)}
    assert set(runs) == {good.path.name, bad.path.name, odd.path.name}
    assert runs[good.path.name].status != "unreadable" and not runs[good.path.name].message
    assert runs[bad.path.name].status == "unreadable"
    assert "config.json" in runs[bad.path.name].message
    assert "Expecting" in runs[bad.path.name].message  # the JSON error, not a guess
    assert runs[odd.path.name].status == "unreadable"
    assert "unknown config keys: modle" in runs[odd.path.name].message
