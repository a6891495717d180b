"""The command line end to end, in subprocesses, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.config import TrainConfig
from ganstudio.core.rundir import RunDir, list_runs
from tests.conftest import ROOT


def ganstudio(*args: str, cwd=None, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, "-m", "ganstudio", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_train_runs_sample_resume(mnist_npz, tmp_path):
    root = tmp_path / "runs"
    result = ganstudio(
        "train",
        "--dataset",
        f"npz:{mnist_npz}",
        "--model",
        "dcgan",
        "--steps",
        "4",
        "--batch-size",
        "16",
        "--limit",
        "256",
        "--latent-dim",
        "8",
        "--sample-every",
        "2",
        "--checkpoint-every",
        "2",
        "--runs-root",
        str(root),
    )
    assert result.returncode == 0, result.stderr
    assert "completed at step 4" in result.stderr
    (info,) = list_runs(root)
    assert (info.model, info.status, info.step) == ("dcgan", "completed", 4)
    assert RunDir(info.path).read_config().latent_dim == 8

    broken = RunDir.create(root, TrainConfig())
    broken.config_path.write_text("{not json")
    listing = ganstudio("runs", "--root", str(root))
    assert listing.returncode == 0 and info.path.name in listing.stdout
    assert "completed" in listing.stdout
    line = next(ln for ln in listing.stdout.splitlines() if broken.path.name in ln)
    assert "unreadable" in line
    assert "cannot read config" in listing.stdout and "Expecting property name" in listing.stdout

    grid = tmp_path / "grid.png"
    result = ganstudio("sample", str(info.path), "-n", "9", "--out", str(grid), "--seed", "1")
    assert result.returncode == 0, result.stderr
    with Image.open(grid) as img:
        assert img.size[0] > 28 * 3 and img.size[0] == img.size[1]
    folder = tmp_path / "many"
    result = ganstudio("sample", str(info.path), "-n", "5", "--out", str(folder))
    assert result.returncode == 0, result.stderr
    files = sorted(folder.glob("*.png"))
    assert len(files) == 5
    with Image.open(files[0]) as img:
        assert img.size == (28, 28)
        assert np.asarray(img).std() > 0

    result = ganstudio("resume", str(info.path), "--steps", "6")
    assert result.returncode == 0, result.stderr
    assert "resuming" in result.stderr and "completed at step 6" in result.stderr
    assert RunDir(info.path).read_state()["step"] == 6


def test_bad_input_gives_a_clear_error_and_exit_code(tmp_path):
    result = ganstudio(
        "train",
        "--dataset",
        f"npz:{tmp_path / 'missing.npz'}",
        "--steps",
        "2",
        "--runs-root",
        str(tmp_path),
    )
    assert result.returncode == 1
    assert "failed at step 0" in result.stderr
    assert "Traceback" not in result.stderr

    result = ganstudio("train", "--batch-size", "0")
    assert result.returncode == 2 and "batch_size must be" in result.stderr

    result = ganstudio("resume", str(tmp_path))
    assert result.returncode == 2 and "not a run folder" in result.stderr

    result = ganstudio("sample", str(tmp_path), "-n", "3")
    assert result.returncode == 2 and "no exported generator" in result.stderr


def test_window_options_go_to_the_window_not_the_subcommand_parser(tmp_path):
    env_less = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env_less.update(PYTHONPATH=str(ROOT))
    config = tmp_path / "c.json"
    config.write_text("{}")
    result = subprocess.run(
        [sys.executable, "-m", "ganstudio", "--config", str(config), "--start"],
        cwd=ROOT,
        env=env_less,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "ganstudio train" in result.stderr and "invalid choice" not in result.stderr


def _without_display() -> dict:
    """An environment in which the window cannot open (it says so, with exit code 2)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(PYTHONPATH=str(ROOT))
    return env


def _run_bare(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ganstudio", *args],
        cwd=cwd or ROOT,
        env=_without_display(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_mistyped_command_is_an_error_with_a_suggestion_not_the_window(tmp_path):
    result = _run_bare("trian", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "ganstudio: error: unknown command 'trian' (did you mean 'train'?)"
    )
    result = _run_bare("zzzz", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown command 'zzzz'" in result.stderr and "train, resume" in result.stderr
    result = _run_bare("no/such/run", cwd=tmp_path)
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_an_existing_path_still_opens_the_window(tmp_path):
    folder = tmp_path / "trian"  # a folder named like a typo is still a path to open
    folder.mkdir()
    result = _run_bare("trian", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot open its window" in result.stderr and "unknown command" not in result.stderr


def test_resume_steps_sets_the_new_total_and_refuses_one_below_the_checkpoint(tmp_path):
    from ganstudio.core.control import RunControl
    from ganstudio.core.trainer import Trainer
    from tests.core.helpers import Recorder, small_config

    control = RunControl()
    rec = Recorder(lambda e: control.stop() if type(e).__name__ == "CheckpointSaved" else None)
    config = small_config(
        "mlp", dataset="toy:ring", steps=2000, batch_size=32, checkpoint_every=10, log_every=5
    )
    first = Trainer(config, run_dir=tmp_path / "ring", emit=rec, control=control).run()
    assert (first.reason, first.step) == ("stopped", 10)
    config.steps = 5  # in-process too: refused before anything is loaded or rewritten
    refused = Trainer(config, run_dir=first.run_dir, resume=True).run()
    assert type(refused).__name__ == "Failed" and "checkpoint is at step 10" in refused.message
    assert RunDir(first.run_dir).read_state()["status"] == "stopped"

    result = ganstudio("resume", first.run_dir, "--steps", "5", "--quiet")
    assert result.returncode == 2
    assert "step 10" in result.stderr and "--steps 5" in result.stderr
    assert RunDir(first.run_dir).read_config().steps == 2000  # nothing changed

    result = ganstudio("resume", first.run_dir, "--steps", "30", "--quiet")
    assert result.returncode == 0, result.stderr
    state = RunDir(first.run_dir).read_state()
    assert (state["status"], state["step"], state["total_steps"]) == ("completed", 30, 30)
    assert RunDir(first.run_dir).read_config().steps == 30


HANG_GUARD_S = 600  # not a timing check: a headless run that never exits fails here


def _train_to_the_end(tmp_path, *args: str) -> None:
    run = tmp_path / "run"
    try:
        result = ganstudio("train", *args, "--run-dir", str(run), timeout=HANG_GUARD_S)
    except subprocess.TimeoutExpired as exc:
        tail = str(exc.stderr or "")[-2000:]
        pytest.fail(f"ganstudio train did not exit within {HANG_GUARD_S} s:\n{tail}")
    assert result.returncode == 0, result.stderr[-3000:]
    state = RunDir(run).read_state()
    assert state["status"] == "completed" and state["step"] == state["total_steps"]
    assert f"completed at step {state['step']}" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--dataset", "toy:ring", "--model", "mlp", "--steps", "300", "--batch-size", "64"),
        ("--dataset", "digits:2000", "--model", "cgan", "--steps", "40", "--batch-size", "16"),
    ],
    ids=["toy-ring-mlp", "digits-cgan"],
)
def test_headless_training_runs_to_completion_and_the_process_exits(tmp_path, args):
    _train_to_the_end(tmp_path, *args, "--quiet")


@pytest.mark.slow
def test_a_longer_dcgan_run_on_all_of_mnist_exits_after_completing(tmp_path, mnist_npz):
    """The run that hung at interpreter shutdown in tf.data's iterator destructor: all
    60 000 images (a full shuffle buffer) and long enough for tf.data's autotuning
    thread to sleep for many seconds between rounds."""
    _train_to_the_end(
        tmp_path,
        *("--dataset", f"npz:{mnist_npz}", "--model", "dcgan", "--steps", "500"),
        *("--batch-size", "32", "--sample-every", "250", "--checkpoint-every", "250"),
    )
