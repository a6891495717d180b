"""Distributed training in real processes: MirroredStrategy over two logical CPU devices, and
two MultiWorkerMirroredStrategy workers on localhost ports (TF_CONFIG and logical devices
must be set before TensorFlow starts, so each run is its own process).

The timeouts are hang guards for a loaded 2-core machine, not timing assertions.
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

from ganstudio.core.checkpoints import (
    checkpoint_path,
    checkpoint_steps,
    latest_checkpoint,
    latest_checkpoint_step,
)
from ganstudio.core.rundir import RunDir, training_records
from tests.conftest import ROOT
from tests.core import helpers

GUARD = 900  # seconds: generous, for a loaded machine


def _env(home: Path, tmp: Path) -> dict[str, str]:
    tmp.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT), GANSTUDIO_HOME=str(home), TMPDIR=str(tmp))
    env.pop("TF_CONFIG", None)
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return env


def test_mirrored_over_two_cpu_devices_matches_one_device(tmp_path):
    """Same seed and global batch: the same losses, and weights within the stated tolerance.

    Tolerances: losses within 1e-5 of their size (float32 sums in another order differ by
    ~1e-7, a weight nudged as below moves a later loss by more: specgan's critic losses of
    ~9 differed by 1.6e-5 at step 3; a different noise draw or batch split changes the
    first losses by ~1e-2); weights within two learning rates at most (Adam moves a weight
    by ~lr·sign(gradient) whatever the gradient's size, so a gradient of rounding-level
    size whose sign flips between the two summation orders moves that one weight up to
    2·lr the other way: seen as 0.72·lr on one of the DCGAN's 1.2 M weights) and 1e-6 on
    average, against an average movement of ~lr per step.
    """
    out = tmp_path / "result.json"
    models = ["mlp", "dcgan", "wgan-gp", "cgan", "specgan", "mixed", "overflow"]
    subprocess.run(
        [sys.executable, "-m", "tests.core.mirrored_child", str(out), *models],
        env=_env(tmp_path / "home", tmp_path / "tmp"),
        cwd=ROOT,
        check=True,
        timeout=GUARD,
    )
    results = {r["model"]: r for r in json.loads(out.read_text())}
    for model in models[:-2]:
        r = results[model]
        assert r["steps"] == [[1, 2, 3], [1, 2, 3]], r
        assert r["loss_change"] > 1e-3, r  # the losses did move
        assert r["loss_diff"] <= 1e-5 * max(1.0, r["loss_size"]), r
        assert r["weight_diff_max"] <= 2 * r["lr"], r
        assert r["weight_diff_mean"] <= 1e-6 < r["weights_moved_mean"] / 10, r
    mixed = results["mixed"]  # mixed float16 with loss scaling under the mirrored strategy
    assert mixed["policy"] == "mixed_float16" and len(mixed["losses"]) == 3
    # Gradients that overflow on replica 1 only: both replicas skip the step and halve the
    # loss scale (Keras alone would judge by replica 0 and sum the inf into the weights).
    overflow = results["overflow"]
    assert overflow["kernels"] == [1.0, 1.0]
    assert overflow["scale"] == overflow["initial_scale"] / 2


def _port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _train_args(mnist: Path, run_dir: Path, steps: int, every: int) -> list[str]:
    return [
        "train",
        *("--model", "dcgan", "--dataset", f"npz:{mnist}"),
        *("--limit", "512", "--batch-size", "16", "--latent-dim", "16", "--num-samples", "16"),
        *("--steps", str(steps), "--log-every", "5", "--sample-every", str(every)),
        *("--checkpoint-every", str(every), "--strategy", "multiworker", "--run-dir", str(run_dir)),
    ]


def _workers(tmp_path: Path, args: list[str]) -> list:
    """Start two workers running ``ganstudio ARGS`` (own home and temp folder each)."""
    cluster = f"localhost:{_port()},localhost:{_port()}"
    procs = []
    for index in (0, 1):
        home = tmp_path / f"worker{index}"
        role = ["--cluster", cluster, "--task-index", str(index)]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "ganstudio", *args, *role],
                env=_env(home / "home", home / "tmp"),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    return procs


def _finish(proc, timeout: float = GUARD) -> tuple[int, str]:
    return helpers.finish(proc, timeout)


def test_two_workers_train_the_chief_writes_and_one_process_resumes(tmp_path, mnist_npz):
    run_dir = tmp_path / "shared-run"  # both are told the same folder, as on a shared disk
    chief, worker = _workers(tmp_path, _train_args(mnist_npz, run_dir, steps=20, every=10))
    (rc0, out0), (rc1, out1) = _finish(chief), _finish(worker)
    assert rc0 == 0, out0[-3000:]
    assert rc1 == 0, out1[-3000:]
    assert "multiworker: 2 replicas" in out0
    assert "worker (task worker:1, 2 workers); the chief writes the run folder" in out1

    run = RunDir(run_dir)
    state = run.read_state()
    assert (state["status"], state["step"], state["pid"]) == ("completed", 20, chief.pid)
    records = training_records(run.read_metrics()[0])
    assert [r["step"] for r in records] == [5, 10, 15, 20]  # once each: only the chief logs
    assert all("data_wait_ms" in r for r in records)
    assert checkpoint_steps(run.checkpoints_dir) == [10, 20]
    assert run.sample_steps() == [10, 20]
    assert run.generator_model_path.is_file() and run.read_generator_info()["step"] == 20
    assert run.read_config().strategy == "multiworker"
    # the other worker wrote nothing the user sees, and removed its private folder
    other = tmp_path / "worker1"
    assert [p.name for p in (other / "tmp").iterdir()] == []
    # only its own log file (each machine keeps one, for diagnosing it): no run folder
    home = other / "home"
    assert not home.exists() or [p.name for p in home.iterdir()] == ["logs"]

    resumed = subprocess.run(
        [sys.executable, "-m", "ganstudio", "resume", str(run_dir), "--steps", "30"],
        env=_env(tmp_path / "alone", tmp_path / "alone-tmp"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=GUARD,
    )
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming dcgan" in resumed.stderr
    records = training_records(run.read_metrics()[0])
    assert [r["step"] for r in records] == [5, 10, 15, 20, 25, 30]
    assert run.read_state()["status"] == "completed"
    assert latest_checkpoint(run.checkpoints_dir) == checkpoint_path(run.checkpoints_dir, 30)


def test_a_killed_worker_stops_the_other_and_the_last_checkpoint_loads(tmp_path, mnist_npz):
    run_dir = tmp_path / "run"
    chief, worker = _workers(tmp_path, _train_args(mnist_npz, run_dir, steps=100_000, every=5))
    deadline = time.monotonic() + GUARD
    while not checkpoint_path(run_dir / "checkpoints", 10).is_file():
        if time.monotonic() > deadline or chief.poll() is not None:
            worker.kill()
            pytest.fail(f"no checkpoint at step 10:\n{_finish(chief, 60)[1][-3000:]}")
        time.sleep(0.5)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    rc, out = _finish(chief)  # a hang guard: the chief must stop by itself
    assert rc == 1, out[-3000:]
    assert "lost contact with worker 1" in out and "ganstudio resume RUN" in out
    run = RunDir(run_dir)
    state = run.read_state()
    assert state["status"] == "failed" and "lost contact with worker 1" in state["message"]

    step = latest_checkpoint_step(run.checkpoints_dir)
    config = run.read_config()
    config.steps = step + 3  # a short continuation: resuming never lowers the planned steps
    run.write_config(config)
    # Both workers resume: only the chief reads the checkpoint and sends it to the other;
    # they check that they hold the same weights before the first step.
    chief, worker = _workers(tmp_path / "again", ["resume", str(run_dir)])
    (rc0, out0), (rc1, out1) = _finish(chief), _finish(worker)
    assert rc0 == 0, out0[-3000:]
    assert rc1 == 0, out1[-3000:]
    assert "resuming dcgan" in out0 and "multiworker: 2 replicas" in out0
    state = run.read_state()
    assert (state["status"], state["step"], state["pid"]) == ("completed", step + 3, chief.pid)
    steps = [r["step"] for r in training_records(run.read_metrics()[0])]
    assert steps[-1] == step + 3 and steps.count(step + 3) == 1


def _wait_for_step(procs: list, run_dir: Path, step: int) -> int:
    """Wait until the chief logged a step ≥ ``step`` (a hang guard, not a timing check)."""
    deadline = time.monotonic() + GUARD
    while True:
        if (run_dir / "metrics.jsonl").is_file():
            steps = [r["step"] for r in training_records(RunDir(run_dir).read_metrics()[0])]
            if steps and steps[-1] >= step:
                return steps[-1]
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            for p in procs:
                p.kill()
            pytest.fail(f"no step {step}:\n{_finish(procs[0], 60)[1][-3000:]}")
        time.sleep(0.2)


def test_sigterm_to_every_worker_stops_with_the_chiefs_checkpoint_and_requeue_resumes(
    tmp_path, mnist_npz
):
    """What Slurm does at a time limit or preemption: SIGTERM to every task; the requeued
    job runs the same command, which resumes from the checkpoint the chief saved."""
    run_dir = tmp_path / "run"
    args = [*_train_args(mnist_npz, run_dir, steps=100_000, every=1000), "--resume-if-exists"]
    procs = _workers(tmp_path, args)
    _wait_for_step(procs, run_dir, 10)
    assert (run_dir / "writer.lock").is_file()
    for p in procs:
        p.send_signal(signal.SIGTERM)
    (rc0, out0), (rc1, out1) = _finish(procs[0]), _finish(procs[1])
    assert (rc0, rc1) == (143, 143), (out0[-3000:], out1[-3000:])
    run = RunDir(run_dir)
    state = run.read_state()
    saved = state["step"]
    assert state["status"] == "stopped" and saved >= 10
    assert latest_checkpoint_step(run.checkpoints_dir) == saved

    procs = _workers(tmp_path / "requeued", args)  # the very same command
    _wait_for_step(procs, run_dir, saved + 5)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    (rc0, out0), (rc1, out1) = _finish(procs[0]), _finish(procs[1])
    assert (rc0, rc1) == (143, 143), (out0[-3000:], out1[-3000:])
    assert "holds this run: resuming it" in out0 and "resuming dcgan" in out0
    steps = [r["step"] for r in training_records(run.read_metrics()[0])]
    assert steps == sorted(set(steps)) and steps[-1] >= saved + 5
    assert run.read_state()["status"] == "stopped"
