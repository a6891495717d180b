"""The audio panel on the real drum kit: opening, listing, drawing, bad files, drag and drop."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from ganstudio.core.audio.io import AUDIO_EXTENSIONS, find_audio_files
from ganstudio.qt.audio.files import ENVELOPE_WIDTH, MAX_FRAMES
from ganstudio.qt.audio.panel import AudioPanel
from ganstudio.qt.audio.views import hz_to_mel, mel_to_hz

WAIT_MS = 120_000  # librosa's first use compiles with numba; the machine is shared


@pytest.fixture(scope="module")
def one_of_each(drums_dir: Path) -> dict[tuple, Path]:
    """One drum file per (format, subtype, rate, channels) combination."""
    kinds: dict[tuple, Path] = {}
    for path in find_audio_files(drums_dir):
        info = sf.info(str(path))
        kinds.setdefault((info.format, info.subtype, info.samplerate, info.channels), path)
    return kinds


@pytest.fixture
def panel(qtbot):
    widget = AudioPanel()
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show()
    yield widget
    widget.shutdown()


def open_and_wait(qtbot, panel: AudioPanel, paths) -> tuple[int, int]:
    with qtbot.waitSignal(panel.files_opened, timeout=WAIT_MS) as blocker:
        panel.open_paths(paths)
    return tuple(blocker.args)


def show_and_wait(qtbot, panel: AudioPanel, path: Path) -> None:
    with qtbot.waitSignal(panel.file_shown, timeout=WAIT_MS) as blocker:
        panel.select_file(str(path))
    assert blocker.args == [str(path)]


def test_opening_the_drum_folder_lists_every_sound(qtbot, panel, drums_dir: Path):
    sounds = find_audio_files(drums_dir)
    others = [p for p in drums_dir.rglob("*") if p.is_file() and p not in set(sounds)]
    assert any(p.name == "drumkit.xml" for p in others)
    added, problems = open_and_wait(qtbot, panel, [drums_dir])
    assert added + problems == len(sounds) and added > 400
    listed = panel.files.paths()
    assert len(listed) == added and all(Path(p).suffix.lower() in AUDIO_EXTENSIONS for p in listed)
    items = [panel.files.topLevelItem(i) for i in range(panel.files.topLevelItemCount())]
    assert {int(it.text(2)) for it in items} >= {22050, 44100, 48000}
    assert {it.text(3) for it in items} == {"1", "2"}
    assert all(float(it.text(1)) > 0 for it in items)
    assert any(" " in p for p in listed)  # folder names with spaces
    texts = [panel.problems.item(i).text() for i in range(panel.problems.count())]
    assert not any("drumkit.xml" in t for t in texts)  # non-audio files are skipped silently
    assert f"skipped {len(others)} non-audio file(s)" in panel.open_summary.text()
    # the first sound is selected and drawn
    qtbot.waitUntil(lambda: panel.current is not None, timeout=WAIT_MS)
    assert panel.current.path == listed[0]


def test_selecting_sounds_draws_waveform_and_spectrogram(qtbot, panel, one_of_each):
    chosen = [p for k, p in one_of_each.items() if k[1] in ("PCM_U8", "PCM_24") or k[3] == 2]
    assert {sf.info(str(p)).channels for p in chosen} == {1, 2}
    open_and_wait(qtbot, panel, chosen)
    for path in chosen:
        show_and_wait(qtbot, panel, path)
        info = sf.info(str(path))
        duration = info.frames / info.samplerate
        wave = panel.waveform
        assert wave.ax.get_xlim() == pytest.approx((0.0, duration))
        assert wave.upper.get_xdata().shape == (ENVELOPE_WIDTH,)
        upper, lower = wave.upper.get_ydata(), wave.lower.get_ydata()
        assert (lower <= upper).all() and -1.0 <= lower.min() < 0 < upper.max() <= 1.0
        assert wave.ax.get_xlabel() == "Time (s)"
        spec = panel.spectrogram
        s_db = spec.mesh.get_array().reshape(128, -1)
        assert s_db.shape[1] >= 16
        assert s_db.max() == pytest.approx(0.0) and s_db.min() >= -80.0
        assert spec.ax.get_xlim() == pytest.approx((0.0, duration))
        assert spec.ax.get_ylim() == pytest.approx((0.0, info.samplerate / 2))
        assert spec.ax.get_ylabel() == "Frequency (Hz)" and spec.ax.get_xlabel() == "Time (s)"
        assert spec.colorbar is not None and spec.colorbar.ax.get_ylabel() == "dB"
        assert spec.colorbar.vmin == pytest.approx(s_db.min(), abs=1e-3)
        assert f"{info.samplerate} Hz" in panel.last_message
        assert panel.play_button.isEnabled()


def test_play_cursor_is_blitted_on_both_views(qtbot, panel, one_of_each):
    path = next(iter(one_of_each.values()))
    open_and_wait(qtbot, panel, [path])
    show_and_wait(qtbot, panel, path)
    # the first full draw caches the background the cursor is blitted over
    qtbot.waitUntil(
        lambda: all(v._background is not None for v in (panel.waveform, panel.spectrogram))
    )
    for view in (panel.waveform, panel.spectrogram):
        view.set_cursor(0.05)
        assert view.cursor_position == pytest.approx(0.05)
        view.set_cursor(None)
        assert view.cursor_position is None


def test_bad_files_are_listed_with_clear_reasons(qtbot, panel, drums_dir: Path, tmp_path):
    good = next(p for p in find_audio_files(drums_dir) if p.suffix == ".wav")
    (tmp_path / "empty.wav").write_bytes(b"")
    sf.write(str(tmp_path / "zero.wav"), np.zeros(0, np.float32), 16000)
    xml = next(drums_dir.rglob("drumkit.xml"))
    (tmp_path / "kick.wav").write_bytes(xml.read_bytes())
    data = bytearray(good.read_bytes())
    data[8:40] = bytes(32)
    (tmp_path / "broken.wav").write_bytes(bytes(data))
    (tmp_path / "notes.txt").write_text("not a sound")
    shutil.copy(good, tmp_path / "good.wav")
    added, problems = open_and_wait(qtbot, panel, sorted(tmp_path.iterdir()))
    assert (added, problems) == (1, 4)
    texts = {panel.problems.item(i).text() for i in range(panel.problems.count())}
    assert texts == {
        "broken.wav — not a readable audio file - it is corrupt, or not audio despite its "
        "'.wav' extension (Format not recognised.)",
        "empty.wav — the file is empty (0 bytes)",
        "kick.wav — not a readable audio file - it is corrupt, or not audio despite its "
        "'.wav' extension (Format not recognised.)",
        "zero.wav — the file has a valid header but holds no audio frames",
    }
    summary = panel.open_summary.text()
    assert summary.startswith("Opened 1 sound; could not read broken.wav: not a readable")
    assert "(and 3 more, listed)" in summary and "skipped 1 non-audio file(s)" in summary
    qtbot.waitUntil(lambda: panel.current is not None, timeout=WAIT_MS)
    assert Path(panel.current.path).name == "good.wav"


def test_a_file_that_breaks_after_listing_gives_a_message(qtbot, panel, one_of_each, tmp_path):
    first, second = list(one_of_each.values())[:2]
    copy = tmp_path / f"copy{first.suffix}"
    shutil.copy(first, copy)
    open_and_wait(qtbot, panel, [copy, second])
    show_and_wait(qtbot, panel, second)
    copy.write_bytes(b"")  # emptied on disk after it was listed
    with qtbot.waitSignal(
        panel.message_changed, timeout=WAIT_MS, check_params_cb=lambda t: "Cannot" in t
    ):
        panel.select_file(str(copy))
    assert panel.last_message == f"Cannot show {copy.name}: {copy}: the file is empty (0 bytes)"
    assert panel.current is None and not panel.play_button.isEnabled()
    assert not panel.play()
    assert panel.last_message == "Select a sound first."
    show_and_wait(qtbot, panel, second)  # everything else keeps working


def test_newest_selection_wins(qtbot, panel, one_of_each):
    paths = list(one_of_each.values())[:4]
    open_and_wait(qtbot, panel, paths)
    qtbot.waitUntil(lambda: panel.current is not None, timeout=WAIT_MS)
    shown: list[str] = []
    panel.file_shown.connect(shown.append)
    for path in paths[1:]:
        panel.select_file(str(path))
    qtbot.waitUntil(lambda: str(paths[-1]) in shown, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not panel.runner.is_busy(), timeout=WAIT_MS)  # all came back
    assert shown[-1] == str(paths[-1]) and len(shown) <= 2  # stale requests were dropped
    assert panel.current.path == str(paths[-1])
    assert panel.files.current_path() == str(paths[-1])


def test_drag_and_drop_opens_files_and_folders(qtbot, panel, one_of_each, tmp_path):
    folder = tmp_path / "dropped kit"
    folder.mkdir()
    paths = list(one_of_each.values())[:3]
    for i, path in enumerate(paths):
        shutil.copy(path, folder / f"{i}{path.suffix}")
    (folder / "drumkit.xml").write_text("<drumkit/>")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    pos = QPointF(panel.rect().center())
    enter = QDragEnterEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(panel.files_opened, timeout=WAIT_MS) as blocker:
        QApplication.sendEvent(panel, drop)
    assert blocker.args == [3, 0]
    assert sorted(Path(p).name for p in panel.files.paths()) == sorted(
        f"{i}{p.suffix}" for i, p in enumerate(paths)
    )


def test_mel_axis_scale_round_trips():
    hz = np.array([0.0, 100.0, 999.0, 1000.0, 4000.0, 22050.0])
    assert np.allclose(mel_to_hz(hz_to_mel(hz)), hz)
    assert hz_to_mel(np.array([1000.0]))[0] == pytest.approx(15.0)
    import librosa

    assert np.allclose(hz_to_mel(hz), librosa.hz_to_mel(hz))


def test_formats_written_here_and_a_long_file(qtbot, panel, tmp_path):
    sr = 22050
    t = np.arange(sr) / sr
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    written = {
        "tone.ogg": ("OGG", "VORBIS"),
        "tone.mp3": ("MP3", "MPEG_LAYER_III"),
        "tone.aiff": ("AIFF", "PCM_24"),
        "tone float.wav": ("WAV", "FLOAT"),
    }
    for name, (fmt, subtype) in written.items():
        sf.write(str(tmp_path / name), tone, sr, format=fmt, subtype=subtype)
    long_rate = 48000
    minute = np.arange(60 * long_rate) / long_rate
    stereo = 0.3 * np.stack([np.sin(2 * np.pi * 440 * minute)] * 2, axis=1)
    sf.write(str(tmp_path / "a minute.flac"), stereo.astype(np.float32), long_rate)
    assert open_and_wait(qtbot, panel, [tmp_path]) == (5, 0)
    for path in sorted(tmp_path.iterdir(), key=lambda p: p.suffix == ".flac"):  # long one last
        show_and_wait(qtbot, panel, path)
        spec = panel.spectrogram
        s_db = spec.mesh.get_array().reshape(128, -1)
        assert s_db.shape[1] <= MAX_FRAMES
        # the loudest band is the one holding 440 Hz
        edges = spec.mesh.get_coordinates()[:, 0, 1]
        band = int(np.argmax(s_db.mean(axis=1)))
        assert edges[band] - 60 <= 440 <= edges[band + 1] + 60, (path.name, edges[band])
    assert panel.current.duration == pytest.approx(60.0)
    assert panel.spectrogram.ax.get_xlim() == pytest.approx((0.0, 60.0))
    assert panel.files.topLevelItem(0).text(2) == str(long_rate)
