"""The audio panel, the pads and the spectrogram player through a REAL PortAudio stream into
ALSA's file sink (and with no device). PortAudio reads the ALSA configuration when it
initialises, so each case runs the real widgets in a subprocess whose HOME holds the
``.asoundrc`` under test; the test then looks for the played samples in the sink file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ganstudio.core.audio.io import find_audio_files
from tests.qt.audio_support import (
    build_tiny_audio_run,
    file_sink_home,
    no_device_home,
    played_floats,
    run_with_alsa,
)

SCRIPT = r"""
# argv: drum file, run folder, ALSA sink file ("" for none)
import json, os, sys, time
from pathlib import Path
import numpy as np
from PySide6.QtWidgets import QApplication

app = QApplication([])
from ganstudio.core.rundir import RunDir
from ganstudio.qt.audio.panel import AudioPanel
from ganstudio.qt.audio.player import SpectrogramPlayer

drum, run, sink = sys.argv[1:4]
home = Path.home()
report = {}

def spin(cond, timeout=120.0):
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.003)
    return bool(cond())

def size(stage):
    # each new stream re-creates the sink file: keep a copy of what this stage played
    data = Path(sink).read_bytes() if sink and os.path.exists(sink) else b""
    (home / f"{stage}.raw").write_bytes(data)
    return len(data)

panel = AudioPanel(warm_up=False)
panel.resize(900, 700)
panel.show()
events, errors, pad_errors = [], [], []
panel.playback.started.connect(lambda: events.append("started"))
panel.playback.finished.connect(lambda: events.append("finished"))
panel.playback.error.connect(errors.append)
panel.pads.error.connect(pad_errors.append)

panel.open_paths([drum])
report["shown"] = spin(lambda: panel.current is not None)
report["duration"] = panel.current.duration
report["play"] = panel.play()
report["file_ended"] = spin(lambda: "finished" in events, 30) if report["play"] else False
report["after_file"] = size("file")
report["message_after_file"] = panel.last_message

panel.load_audio_model(run)
report["model"] = spin(lambda: panel.pads.summary is not None)
n_finished = events.count("finished")
panel.pads.play_pad(0)
spin(lambda: events.count("finished") > n_finished or pad_errors, 120)
spin(lambda: not panel.playback.is_playing, 30)
report["pad_errors"] = pad_errors
report["after_pad"] = size("pad")
saved = []
panel.pads.saved.connect(saved.append)
panel.pads.save_pad(0, str(home / "pad0.wav"))
report["pad_saved"] = spin(lambda: saved, 60)

sp = SpectrogramPlayer(playback=panel.playback)
sp_events = []
sp.started.connect(lambda: sp_events.append("started"))
sp.finished.connect(lambda: sp_events.append("finished"))
sp.error.connect(lambda text: sp_events.append("error: " + text))
gen_info = json.loads((Path(run) / "generator" / "generator.json").read_text())
spec = np.full((32, 32, 1), 0.5, np.float32)
spec[4:8, :8] = 0.9  # a louder low band at the start
sp.play_spectrogram(spec, RunDir(run).load_stats(), gen_info["data_meta"])
spin(lambda: "finished" in sp_events or any(e.startswith("error") for e in sp_events), 120)
report["sp_events"] = sp_events
report["after_spec"] = size("spec")
if sp.last_audio is not None:
    np.save(home / "spec_audio.npy", sp.last_audio[0])
    report["sp_rate"] = sp.last_audio[1]

positions = []
panel.playback.position_changed.connect(
    lambda s: positions.append(
        (s, panel.waveform.cursor_position, panel.spectrogram.cursor_position)
    )
)
panel.loop_box.setChecked(True)
report["loop_play"] = panel.play()
start = time.monotonic()
spin(lambda: time.monotonic() - start > 0.3)
report["loop_playing"] = panel.playback.is_playing
panel.stop()
report["cursor_after_stop"] = [panel.waveform.cursor_position, panel.spectrogram.cursor_position]
report["positions"] = positions
report["errors"] = errors
report["message"] = panel.last_message
report["views_intact"] = panel.waveform.ax is not None and panel.spectrogram.mesh is not None
sp.shutdown()
panel.shutdown()
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def audio_run(tmp_path_factory, drums_dir: Path) -> Path:
    return build_tiny_audio_run(tmp_path_factory.mktemp("runs") / "tiny run", drums_dir)


@pytest.fixture(scope="module")
def mono_drum(drums_dir: Path) -> Path:
    for path in find_audio_files(drums_dir):
        info = sf.info(str(path))
        if info.format == "WAV" and info.subtype == "PCM_16" and info.channels == 1:
            return path
    raise AssertionError("no mono 16-bit WAV among the drums")


def contains(played: np.ndarray, expected: np.ndarray, atol: float) -> bool:
    """True if ``expected`` occurs in ``played``, as mono or duplicated onto two channels."""
    lead = int(np.flatnonzero(np.abs(expected) > 1e-3)[0])
    for step in (1, 2):
        for offset in range(step):
            x = played[offset::step]
            for hit in np.flatnonzero(np.abs(x - expected[lead]) <= atol)[:2000]:
                start = hit - lead
                seg = x[start : start + len(expected)]
                if (
                    start >= 0
                    and len(seg) == len(expected)
                    and np.allclose(seg, expected, atol=atol)
                ):
                    return True
    return False


def test_panel_pads_and_spectrogram_player_play_into_the_file_sink(
    shared_dir: Path, tmp_path: Path, audio_run: Path, mono_drum: Path
):
    sink = file_sink_home(shared_dir, tmp_path)
    report = run_with_alsa(tmp_path, SCRIPT, str(mono_drum), str(audio_run), str(sink))
    assert report["shown"] and report["model"], report
    assert report["errors"] == [] and report["pad_errors"] == [], report
    assert report["after_file"] > 0 and report["after_pad"] > 0 and report["after_spec"] > 0
    # 1. the drum file, played by the panel
    assert report["play"] and report["file_ended"]
    drum, _ = sf.read(str(mono_drum), dtype="float32")
    assert contains(played_floats(tmp_path / "file.raw"), drum, 1e-6)
    # 2. pad 1 of the audio model (saved afterwards as 16-bit WAV: compare within 1 LSB)
    assert report["pad_saved"]
    pad, pad_rate = sf.read(str(tmp_path / "pad0.wav"), dtype="float32")
    assert pad_rate == 8000 and pad.shape == (4096,)
    assert contains(played_floats(tmp_path / "pad.raw"), pad, 1.5 / 32768)
    # 3. a spectrogram inverted and played by the SpectrogramPlayer
    assert report["sp_events"] == ["started", "finished"], report["sp_events"]
    spec_audio = np.load(tmp_path / "spec_audio.npy")
    assert report["sp_rate"] == 8000 and spec_audio.shape == (4096,)
    assert contains(played_floats(tmp_path / "spec.raw"), spec_audio, 1e-6)
    # 4. looping, with the cursor moving over both views, hidden once stopped
    assert report["loop_play"] and report["loop_playing"]
    duration = report["duration"]
    cursors = [(s, w, m) for s, w, m in report["positions"] if w is not None]
    assert len(cursors) >= 3, report["positions"]
    assert all(0.0 <= s <= duration and w == m == pytest.approx(s) for s, w, m in cursors)
    assert len({round(s, 4) for s, _, _ in cursors}) >= 2  # it moves
    assert report["cursor_after_stop"] == [None, None]


def test_no_output_device_is_reported_and_everything_else_works(tmp_path, audio_run, mono_drum):
    no_device_home(tmp_path)
    report = run_with_alsa(tmp_path, SCRIPT, str(mono_drum), str(audio_run), "")
    assert report["shown"] and report["model"] and report["views_intact"]
    assert not report["play"] and not report["loop_play"]
    assert report["message_after_file"].startswith("Cannot play: cannot open the sound output")
    assert report["errors"] and all(
        e.startswith("cannot open the sound output") for e in report["errors"]
    )
    assert report["pad_errors"] and report["pad_errors"][0].startswith("cannot open the sound")
    assert report["pad_saved"]  # saving works without a device
    assert report["sp_events"][0].startswith("error: cannot open the sound output")
    assert report["positions"] == [] and report["cursor_after_stop"] == [None, None]


def test_importing_the_audio_widgets_loads_no_heavy_library(tmp_path):
    code = (
        "import json, sys\n"
        "import ganstudio.qt.audio.panel, ganstudio.qt.audio.pads, ganstudio.qt.audio.player\n"
        "heavy = ['tensorflow', 'keras', 'librosa', 'sounddevice', 'numba']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    assert run_with_alsa(tmp_path, code) == []
