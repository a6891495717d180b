"""The log file: where it is, what it keeps, and the command line writing to it."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ganstudio import cli, logs
from tests.conftest import ROOT


@pytest.fixture
def logging_on():
    yield logs.setup_logging
    logs.close_logging()


def test_log_lives_in_the_app_home_and_keeps_tracebacks(tmp_path, monkeypatch, logging_on):
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path / "home"))
    path = logging_on("test")
    assert path == tmp_path / "home" / "logs" / "ganstudio.log" == logs.log_file()
    try:
        raise ZeroDivisionError("a traceback to keep")
    except ZeroDivisionError:
        logging.getLogger("ganstudio.test").exception("it failed")
    text = path.read_text()
    assert "(test) starting" in text
    assert "it failed" in text and "Traceback (most recent call last)" in text
    assert "ZeroDivisionError: a traceback to keep" in text


def test_setting_up_again_follows_a_new_home(tmp_path, monkeypatch, logging_on):
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path / "a"))
    first = logging_on("one")
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path / "b"))
    second = logging_on("two")
    logging.getLogger("ganstudio").warning("after the move")
    assert first != second
    assert "after the move" in second.read_text()
    assert "after the move" not in first.read_text()
    file_handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    assert [h.baseFilename for h in file_handlers if "ganstudio.log" in h.baseFilename] == [
        str(second)
    ]


def test_unwritable_log_folder_is_not_fatal(tmp_path, monkeypatch, logging_on):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GANSTUDIO_HOME", str(blocker))
    assert logging_on("test") is None


def test_cli_errors_reach_the_log(tmp_path, capsys):
    try:
        code = cli.main(["resume", str(tmp_path / "no-such-run")])
    finally:
        logs.close_logging()
    assert code == 2
    assert "not a run folder" in capsys.readouterr().err
    text = logs.log_file().read_text()
    assert "(cli) starting" in text and "not a run folder" in text


# TensorFlow's C++ log lines ("I0000 00:00:1796685511.998429   27258 port.cc:153] ...") and
# the lines its start-up writes around them.
NATIVE_LINE = re.compile(
    r"^[IWEF]\d{4} \d\d:\d\d:\d\d|absl::InitializeLog|cpu_feature_guard|oneDNN|cuda|cuInit|"
    r"rebuild TensorFlow",
    re.IGNORECASE,
)


TINY = ("--dataset", "toy:ring", "--model", "mlp", "--steps", "3", "--batch-size", "16")


def _train_three_steps(tmp_path, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    home, run = tmp_path / "home", str(tmp_path / "run")
    env = dict(os.environ, PYTHONPATH=str(ROOT), GANSTUDIO_HOME=str(home))
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)  # the user's default: nothing set
    env.pop("GANSTUDIO_VERBOSE", None)
    result = subprocess.run(
        [sys.executable, "-m", "ganstudio", "train", *extra, *TINY, "--run-dir", run, "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result, home / "logs" / "ganstudio.log"


def test_the_command_line_prints_only_its_own_lines_and_tensorflow_logs_to_the_file(tmp_path):
    result, log = _train_three_steps(tmp_path)
    noise = [line for line in result.stderr.splitlines() if NATIVE_LINE.search(line)]
    assert noise == [], result.stderr
    assert "completed at step 3" in result.stderr  # our own lines are still there
    text = log.read_text(errors="replace")
    assert [line for line in text.splitlines() if NATIVE_LINE.search(line)], text[-3000:]


def test_verbose_shows_tensorflows_own_lines(tmp_path):
    result, _ = _train_three_steps(tmp_path, "--verbose")
    assert [line for line in result.stderr.splitlines() if NATIVE_LINE.search(line)]
