"""The log file: where it is, what it keeps, and the command line writing to it."""

from __future__ import annotations

import logging

import pytest

from ganstudio import cli, logs


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
