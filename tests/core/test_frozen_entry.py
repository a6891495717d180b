"""The frozen app's entry point and the self-checks the packaging smoke test runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from ganstudio import __version__, frozen
from tests.conftest import ROOT
from tests.qt.audio_support import file_sink_home, played_floats


def test_numba_cache_goes_to_the_app_home_unless_set(tmp_path, monkeypatch):
    monkeypatch.setenv("GANSTUDIO_HOME", str(tmp_path))
    env: dict[str, str] = {}
    frozen.prepare_environment(env)
    assert env["NUMBA_CACHE_DIR"] == str(tmp_path / "cache" / "numba")
    mine = {"NUMBA_CACHE_DIR": "/elsewhere"}
    frozen.prepare_environment(mine)
    assert mine["NUMBA_CACHE_DIR"] == "/elsewhere"


def test_entry_runs_python_options_like_python(tmp_path, monkeypatch):
    """sys.executable -c/-m must work in the frozen app (the Qt platform probe uses -c)."""
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    out = tmp_path / "ran.txt"
    code = f"import sys; open({str(out)!r}, 'w').write(' '.join(sys.argv))"
    assert frozen.main(["-c", code, "x", "y"]) == 0
    assert out.read_text() == "-c x y"
    with pytest.raises(SystemExit) as exit_info:
        frozen.main(["-m", "ganstudio.selfcheck", "no-such-check"])
    assert exit_info.value.code == 2


def test_entry_dispatches_cli_and_selfcheck(capsys):
    with pytest.raises(SystemExit) as exit_info:
        frozen.main(["--version"])
    assert exit_info.value.code == 0 and __version__ in capsys.readouterr().out
    assert frozen.main(["selfcheck", "nothing"]) == 2


def _selfcheck(check: str, env: dict, cwd) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "ganstudio.selfcheck", check],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_selfcheck_audio_caches_numba_kernels_where_told(tmp_path):
    cache = tmp_path / "numba-cache"
    report = _selfcheck("audio", {"NUMBA_CACHE_DIR": str(cache)}, tmp_path)
    assert report["ok"] and report["peak_hz"] == pytest.approx(440, abs=60)
    assert report["numba_cache_index_files"] > 0
    assert list(cache.rglob("*.nbi"))


def test_selfcheck_play_reaches_the_sound_output(tmp_path, shared_dir):
    sink = file_sink_home(shared_dir, tmp_path)
    report = _selfcheck("play", {"HOME": str(tmp_path)}, tmp_path)
    assert report["ok"], report
    played = played_floats(sink)
    assert played.size >= report["samples"]  # ALSA may pad the last period
    assert np.abs(played).max() == pytest.approx(0.5, abs=0.01)
