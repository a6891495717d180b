"""Run folders that cannot be corrupted, on the real command line in subprocesses: SIGTERM and
SIGHUP stop with a checkpoint, one writer per folder, no silent reuse, requeue resumes.

Every wait is on a condition (a step in ``metrics.jsonl``, the process's exit) with a generous
deadline: a hang guard for a loaded machine, not a timing check.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ganstudio.core.checkpoints import latest_checkpoint_step
from ganstudio.core.rundir import RunDir, list_runs, training_records
from tests.conftest import ROOT
from tests.core import helpers

GUARD_S = 600
# A fast real run: the 2-D ring with the MLP, a step every few milliseconds.
RING = ("--dataset", "toy:ring", "--model", "mlp", "--batch-size", "64", "--log-every", "5")
LONG = (*RING, "--steps", "1000000", "--checkpoint-every", "1000000", "--quiet")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")


def ganstudio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ganstudio", *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=GUARD_S,
    )


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ganstudio", *args],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def logged_steps(run: Path) -> list[int]:
    return [r["step"] for r in training_records(RunDir(run).read_metrics()[0])]


def wait_for_step(proc: subprocess.Popen, run: Path, step: int) -> int:
    """Wait until ``run`` has logged a step ≥ ``step`` (the process still running)."""
    deadline = time.monotonic() + GUARD_S
    while True:
        steps = logged_steps(run) if (run / "metrics.jsonl").is_file() else []
        if steps and steps[-1] >= step:
            return steps[-1]
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"no step {step} logged (exit {proc.returncode}):\n{err[-3000:]}")
        time.sleep(0.1)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    return helpers.finish(proc, GUARD_S)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_termination_signal_saves_a_checkpoint_and_writes_stopped(tmp_path, sig):
    run = tmp_path / "run"
    proc = start("train", *LONG, "--run-dir", str(run))
    wait_for_step(proc, run, 10)
    proc.send_signal(sig)
    rc, err = finish(proc)
    assert rc == 128 + sig, err[-3000:]
    assert f"{sig.name}: stopping, saving a checkpoint" in err
    state = RunDir(run).read_state()
    assert state["status"] == "stopped", state
    assert state["step"] >= 10
    assert latest_checkpoint_step(RunDir(run).checkpoints_dir) == state["step"]
    assert RunDir(run).generator_model_path.is_file()
    (info,) = list_runs(tmp_path)
    assert (info.status, info.checkpoint) == ("stopped", state["step"])


def test_the_requeue_command_resumes_by_itself_from_the_saved_step(tmp_path):
    run = tmp_path / "run"
    command = ("train", *LONG, "--run-dir", str(run), "--resume-if-exists")
    first = start(*command)
    wait_for_step(first, run, 10)
    first.send_signal(signal.SIGTERM)
    rc, err = finish(first)
    assert rc == 143, err[-3000:]
    saved = RunDir(run).read_state()["step"]
    assert latest_checkpoint_step(RunDir(run).checkpoints_dir) == saved

    second = start(*command)  # the very same command, as a requeued job runs it
    wait_for_step(second, run, saved + 10)
    second.send_signal(signal.SIGTERM)
    rc, err = finish(second)
    assert rc == 143, err[-3000:]
    assert "holds this run: resuming it" in err
    assert "resuming mlp on toy:ring" in err
    steps = logged_steps(run)
    assert steps == sorted(set(steps))  # one continuous curve: nothing twice, no step back
    assert steps[-1] >= saved + 10
    resumed = json.loads((run / "config.json").read_text())
    assert resumed["steps"] == 1_000_000
    state = RunDir(run).read_state()
    assert state["status"] == "stopped" and state["step"] > saved

    other = ganstudio("train", *LONG, "--run-dir", str(run), "--resume-if-exists", "--lr-g", "0.1")
    assert other.returncode == 2 and "other settings (lr_g)" in other.stderr
    assert RunDir(run).read_state()["step"] == state["step"]


def test_a_second_writer_is_refused_and_kill_9_leaves_no_stale_lock(tmp_path):
    run = tmp_path / "run"
    every = ("--steps", "1000000", "--checkpoint-every", "10", "--quiet")
    proc = start("train", *RING, *every, "--run-dir", str(run))
    try:
        wait_for_step(proc, run, 15)  # a checkpoint at step 10 at least
        owner = f"process {proc.pid} on {socket.gethostname()}"
        for args in (
            ("resume", str(run), "--quiet"),
            ("train", *RING, *every, "--run-dir", str(run), "--resume-if-exists"),
            ("train", *RING, *every, "--run-dir", str(run), "--overwrite"),
        ):
            refused = ganstudio(*args)
            assert refused.returncode == 2, refused.stderr[-3000:]
            assert owner in refused.stderr and f"ganstudio --watch {run}" in refused.stderr
        assert list(tmp_path.glob("run.old-*")) == []  # --overwrite moved nothing
        assert [r.status for r in list_runs(tmp_path)] == ["running"]
        wait_for_step(proc, run, logged_steps(run)[-1] + 5)  # the owner went on undisturbed
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    steps = logged_steps(run)
    assert steps == sorted(set(steps))
    saved = latest_checkpoint_step(RunDir(run).checkpoints_dir)
    assert saved >= 10
    (info,) = list_runs(tmp_path)
    assert (info.status, info.checkpoint) == ("interrupted", saved)
    listing = ganstudio("runs", "--root", str(tmp_path))
    assert "interrupted" in listing.stdout
    assert f"last checkpoint at step {saved}" in listing.stdout

    resumed = ganstudio("resume", str(run), "--steps", str(saved + 5), "--quiet")  # not blocked
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    state = RunDir(run).read_state()
    assert (state["status"], state["step"]) == ("completed", saved + 5)


def test_a_new_run_into_a_run_folder_is_refused_and_overwrite_keeps_the_old_run(tmp_path):
    run = tmp_path / "run"
    first = ganstudio(
        "train", *RING, "--steps", "30", "--checkpoint-every", "10", "--run-dir", str(run)
    )
    assert first.returncode == 0, first.stderr[-3000:]
    old_config = (run / "config.json").read_text()
    old_checkpoints = sorted(p.name for p in RunDir(run).checkpoints_dir.iterdir())

    again = ("train", *RING, "--steps", "5", "--checkpoint-every", "5", "--run-dir", str(run))
    refused = ganstudio(*again)
    assert refused.returncode == 2
    assert "already holds a run" in refused.stderr and f"ganstudio resume {run}" in refused.stderr
    assert "--overwrite" in refused.stderr
    assert (run / "config.json").read_text() == old_config  # untouched
    assert logged_steps(run)[-1] == 30

    done = ganstudio(*again, "--overwrite")
    assert done.returncode == 0, done.stderr[-3000:]
    (aside,) = tmp_path.glob("run.old-*")
    assert (aside / "config.json").read_text() == old_config
    assert sorted(p.name for p in RunDir(aside).checkpoints_dir.iterdir()) == old_checkpoints
    assert logged_steps(aside)[-1] == 30
    assert RunDir(run).read_config().steps == 5
    assert logged_steps(run) == [5]
    assert latest_checkpoint_step(RunDir(run).checkpoints_dir) == 5
    assert str(aside) in done.stderr
