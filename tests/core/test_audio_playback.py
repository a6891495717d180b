"""Playback through a real PortAudio stream into ALSA's file sink, and the failure paths.

PortAudio reads the ALSA configuration when it initialises, so every case runs in a
subprocess whose HOME holds the ``.asoundrc`` under test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT

PLAY_SCRIPT = r"""
import json, sys, time
import numpy as np
from ganstudio.core.audio.playback import AudioPlayer, PlaybackError

sr = 16000
tone = (0.5 * np.sin(2 * np.pi * 441 * np.arange(sr // 2) / sr)).astype(np.float32)
report = {}
finished = []
try:
    player = AudioPlayer(on_finished=lambda: finished.append(True))
    player.play(tone, sr)
    report["ended"] = player.wait(10)
    report["position"] = player.position
    report["duration"] = player.duration
    report["playing_after"] = player.is_playing
    report["finished_hook"] = bool(finished)
    player.play(np.stack([tone, tone], axis=1), sr, loop=True)
    deadline, highest, wrapped = time.monotonic() + 30, 0.0, False
    while not wrapped and time.monotonic() < deadline:  # until the loop starts over
        position = player.position
        wrapped, highest = position < highest, max(highest, position)
        time.sleep(0.002)
    report["loop_wrapped"] = wrapped
    report["loop_still_playing"] = player.is_playing
    player.stop()
    report["stopped"] = not player.is_playing
except PlaybackError as exc:
    report["error"] = str(exc)
print(json.dumps(report))
"""


def _run(home: Path, code: str = PLAY_SCRIPT) -> dict:
    env = dict(os.environ, HOME=str(home), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_playback_reaches_the_file_sink(shared_dir: Path, tmp_path: Path):
    sink = tmp_path / "played.raw"
    config = (shared_dir / "tools" / "asoundrc-file-sink").read_text()
    assert "/tmp/ganstudio-played.raw" in config
    (tmp_path / ".asoundrc").write_text(config.replace("/tmp/ganstudio-played.raw", str(sink)))
    report = _run(tmp_path)
    assert "error" not in report, report
    assert report["ended"] and report["finished_hook"]
    assert report["position"] == pytest.approx(0.5) == report["duration"]
    assert not report["playing_after"]
    assert report["loop_wrapped"] and report["loop_still_playing"] and report["stopped"]
    data = sink.read_bytes()
    assert len(data) >= 8000 * 2  # at least the mono half second, even as 16-bit
    # PortAudio negotiates float32 with this device and ALSA's plug layer duplicates a
    # mono stream onto its two channels: the tone's samples must be in the file.
    played = np.frombuffer(data[: len(data) // 4 * 4], "<f4")
    tone = (0.5 * np.sin(2 * np.pi * 441 * np.arange(8000) / 16000)).astype(np.float32)
    start = int(np.flatnonzero(np.abs(played) > 1e-6)[0]) - 2
    layouts = [played[start + off :: step][:8000] for step in (1, 2) for off in (0, 1)]
    assert any(len(x) == 8000 and np.allclose(x, tone, atol=1e-6) for x in layouts)


def test_no_output_device_gives_a_clear_error(tmp_path: Path):
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw card 99 device 0 }\n")
    report = _run(tmp_path)
    assert "error" in report, report
    assert report["error"].startswith("cannot open the sound output")


def test_missing_sounddevice_gives_a_clear_error(tmp_path: Path):
    code = "import sys\nsys.modules['sounddevice'] = None\n" + PLAY_SCRIPT
    report = _run(tmp_path, code)
    assert report["error"].startswith("sound output is unavailable")


def test_bad_samples_are_refused_before_touching_the_device():
    from ganstudio.core.audio.playback import AudioPlayer, PlaybackError

    player = AudioPlayer()
    with pytest.raises(PlaybackError, match="nothing to play"):
        player.play(np.zeros(0, np.float32), 16000)
    with pytest.raises(PlaybackError, match="NaN"):
        player.play(np.array([0.0, np.inf], np.float32), 16000)
    assert not player.is_playing


def test_looping_can_be_switched_while_playing():
    from ganstudio.core.audio.playback import AudioPlayer

    player = AudioPlayer()
    player._data = np.arange(1, 5, dtype=np.float32)[:, None]  # a 4-sample sound
    out = np.zeros((6, 1), np.float32)
    player.set_loop(True)
    player._callback(out, 6, None, None)
    assert out[:, 0].tolist() == [1, 2, 3, 4, 1, 2]  # wrapped around
    player.set_loop(False)
    out[:] = 0
    import sounddevice

    with pytest.raises(sounddevice.CallbackStop):  # the stream ends after this block
        player._callback(out, 6, None, None)
    assert out[:, 0].tolist() == [3, 4, 0, 0, 0, 0]  # plays out, then silence
