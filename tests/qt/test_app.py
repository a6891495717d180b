"""Starting the app: no display, the window shown before TensorFlow loads, the engine probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ganstudio.core.rundir import RunDir
from ganstudio.qt.app import display_problem
from ganstudio.qt.common.engine_probe import EngineProbe
from tests.conftest import ROOT

RUN_APP = "from ganstudio.qt.app import run_app; raise SystemExit(run_app([]))"


def _env(**changes: str | None) -> dict:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_display_problem_rules():
    assert display_problem({}, "linux") is not None
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "win32") is None


def test_no_display_prints_plain_message_and_returns_2():
    env = _env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    result = subprocess.run(
        [sys.executable, "-c", RUN_APP],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "ganstudio train" in result.stderr and "no display" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_display_gives_message_not_crash():
    env = _env(DISPLAY=":97", WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)  # no server there
    result = subprocess.run(
        [sys.executable, "-c", RUN_APP],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 2, result.stderr
    assert "ganstudio train" in result.stderr and "Traceback" not in result.stderr


def test_window_is_shown_before_tensorflow_and_plotting_load():
    # the real program; GANSTUDIO_EXIT_WHEN_SHOWN reports the moment the window was first
    # exposed and painted, then quits (timings belong to benchmarks/startup.py)
    result = subprocess.run(
        [sys.executable, "-m", "ganstudio"],
        env=_env(QT_QPA_PLATFORM="offscreen", GANSTUDIO_EXIT_WHEN_SHOWN="1"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("GANSTUDIO_SHOWN ")]
    assert len(lines) == 1, result.stdout
    loaded = json.loads(lines[0].split(" ", 1)[1])["loaded"]
    assert loaded["tensorflow"] is False and loaded["keras"] is False
    # the plots and the Audio tab load matplotlib, scipy and librosa after the first paint
    assert not (loaded["matplotlib"] or loaded["scipy"] or loaded["librosa"]), loaded


def test_engine_probe_reports_device(qtbot):
    probe = EngineProbe()
    with qtbot.waitSignal(probe.ready, timeout=180000) as ready:
        probe.start()
    assert probe.jobs.shutdown(10000)
    device = ready.args[0]
    assert device == "CPU" or device  # a GPU's name where there is one
    assert probe.device == device


def test_sigterm_stops_the_windows_run_with_a_checkpoint_and_closes(tmp_path):
    """As a logout or ``systemctl stop`` ends the window: the run stops as on Stop."""
    import signal
    import time

    from ganstudio.core.checkpoints import latest_checkpoint_step
    from ganstudio.core.rundir import list_runs, training_records

    home = tmp_path / "home"
    config = tmp_path / "ring.json"
    config.write_text(
        json.dumps(
            {"dataset": "toy:ring", "model": "mlp", "steps": 1_000_000, "batch_size": 64}
            | {"log_every": 5, "checkpoint_every": 1_000_000, "tensorboard": False}
        )
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "ganstudio", "--config", str(config), "--start"],
        cwd=ROOT,
        env=_env(QT_QPA_PLATFORM="offscreen", GANSTUDIO_HOME=str(home)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 600  # a hang guard
    runs: list = []
    try:
        while not runs or not training_records(RunDir(runs[0].path).read_metrics()[0]):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read()
            time.sleep(0.2)
            runs = list_runs(home / "runs")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, out[-3000:]
    run = RunDir(runs[0].path)
    state = run.read_state()
    assert state["status"] == "stopped" and state["step"] > 0, state
    assert latest_checkpoint_step(run.checkpoints_dir) == state["step"]
