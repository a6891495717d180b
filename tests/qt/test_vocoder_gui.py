"""The vocoder in the real window: Resynthesize with model… (views, A/B, save, progress,
cancel), a melgan run's live view (click plays the original or the resynthesis), and
File → Open generator file… for foreign files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from tests.core import foreign_models as fm
from tests.core.test_vocoder_training import tiny_melgan


@pytest.fixture(scope="module")
def vocoder_run(shared_dir, tmp_path_factory) -> str:
    config = tiny_melgan(
        f"audio:{shared_dir / 'data' / 'voice'}", dataset_limit=4, options={"holdout": 2}
    )
    final = Trainer(config, runs_root=tmp_path_factory.mktemp("runs")).run()
    assert type(final).__name__ == "Finished", getattr(final, "message", "")
    return final.run_dir


def _show(qtbot, window, path: Path):
    panel = window.audio_panel
    window.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.file_shown, timeout=120000):
        panel.open_paths([str(path)])
    return panel


def _spy(monkeypatch, playback) -> list:
    calls = []
    original = playback.play

    def play(samples, rate, loop=False):
        calls.append((np.asarray(samples), int(rate)))
        return original(samples, rate, loop)

    monkeypatch.setattr(playback, "play", play)
    return calls


def test_resynthesize_the_selected_sound(
    qtbot, window, vocoder_run, shared_dir, tmp_path, monkeypatch
):
    voice = shared_dir / "data" / "voice" / "voice.mp3"
    panel = _show(qtbot, window, voice)
    assert panel.resynth_button.isEnabled()
    panel.vocoder.add_vocoder(vocoder_run)
    assert panel.vocoder.current_path() == vocoder_run
    qtbot.waitUntil(lambda: "vocoder" in panel.pads.status.text(), timeout=60000)
    dialog = panel.resynthesize()
    with qtbot.waitSignal(dialog.finished_job, timeout=240000) as done:
        pass
    assert done.args == ["done"]
    r = dialog.view.result
    assert r.output_rate == 16000 and len(r.output) == len(r.original)  # voice.mp3 is 16 kHz
    for wave, mel in dialog.views.values():
        assert wave.ax is not None and mel.mesh is not None  # both sounds drawn
    assert dialog.play_a.isEnabled() and dialog.save_button.isEnabled()

    calls = _spy(monkeypatch, panel.playback)
    dialog.play_original()
    dialog.play_resynthesis()
    assert [c[1] for c in calls] == [16000, 16000]
    assert np.array_equal(calls[0][0], r.original) and np.array_equal(calls[1][0], r.output)
    dialog.playback.stop()

    out = tmp_path / "resynth.wav"
    with qtbot.waitSignal(dialog.saved, timeout=60000):
        dialog.save_to(str(out))
    info = sf.info(out)
    assert (info.samplerate, info.frames) == (16000, len(r.output))


def test_long_file_shows_progress_and_cancels(qtbot, window, vocoder_run, shared_dir, tmp_path):
    x, sr = sf.read(shared_dir / "data" / "voice" / "kal_000.flac", dtype="float32")
    long = tmp_path / "long.wav"
    sf.write(long, np.tile(x, 40), sr)  # about 4 minutes
    panel = _show(qtbot, window, long)
    dialog = panel.resynthesize(vocoder_run)
    seen = []
    dialog.runner.progress.connect(lambda _t, _l, v: (seen.append(v), dialog.cancel()))
    with qtbot.waitSignal(dialog.finished_job, timeout=240000) as done:
        pass
    assert done.args == ["cancelled"] and seen and seen[0][1] > 10
    assert dialog.view is None and not dialog.save_button.isEnabled()
    assert "Cancelled" in dialog.status.text()


def test_a_foreign_image_generator_cannot_resynthesize(qtbot, window, shared_dir, tmp_path):
    path = tmp_path / "images.keras"
    fm.latent_to_image().save(path)
    panel = _show(qtbot, window, shared_dir / "data" / "voice" / "kal_002.flac")
    dialog = panel.resynthesize(str(path))
    with qtbot.waitSignal(dialog.finished_job, timeout=120000) as done:
        pass
    assert "does not turn a sound into a sound" in done.args[0]
    assert "Cannot resynthesise" in dialog.status.text()


def test_live_view_of_a_melgan_run_plays_both_halves(qtbot, window, vocoder_run):
    from ganstudio.core.vocoder.live import read_sounds

    grid = window.train_view.grid_view
    with qtbot.waitSignal(window.train_view.run_opened, timeout=60_000):
        assert window.train_view.open_run(vocoder_run)
    assert grid.steps == [2, 4] and all(grid.history.get(i).sounds for i in (0, 1))
    saved = read_sounds(vocoder_run, 4)
    tile_h, tile_w = grid.history.get(1).samples.shape[1:3]
    got = []
    grid.sound_clicked.connect(lambda samples, rate: got.append((samples, rate)))
    grid._on_canvas_click(1 + tile_w * 0.25, 1 + tile_h / 2)  # left half of tile 0
    grid._on_canvas_click(1 + tile_w * 0.75, 1 + tile_h / 2)  # right half
    assert [rate for _, rate in got] == [16000, 16000]
    np.testing.assert_array_equal(got[0][0], saved["original"][0])
    np.testing.assert_array_equal(got[1][0], saved["resynth"][0])
    assert not np.array_equal(got[0][0], got[1][0])


def test_melgan_trains_in_the_window_and_its_tiles_play(qtbot, window, shared_dir, tmp_path):
    """The form's model list offers melgan; a run started from the window shows the live
    view, and a click on a tile plays the resynthesis."""
    tv = window.train_view
    config = tiny_melgan(
        f"audio:{shared_dir / 'data' / 'voice'}",
        dataset_limit=4,
        steps=4,
        options={"holdout": 2},
        tensorboard=False,
    )
    tv.panel.set_config(config)
    assert tv.panel.model.currentData() == "melgan"
    assert tv.panel.config().options["channels"] == 16  # the form keeps the options
    window.start_action.trigger()
    qtbot.waitUntil(lambda: not tv.running and len(tv.grid_view.steps) == 2, timeout=240000)
    assert RunDir(tv.current_run).read_state()["status"] == "completed"
    assert all(tv.grid_view.history.get(i).sounds for i in (0, 1))
    got = []
    tv.grid_view.sound_clicked.connect(lambda samples, rate: got.append(rate))
    h, w = tv.grid_view.history.get(1).samples.shape[1:3]
    tv.grid_view._on_canvas_click(1 + 0.8 * w, 1 + h / 2)
    assert got == [16000]


def test_open_generator_file_routes_by_what_it_does(qtbot, window, tmp_path):
    models = window.models
    models.opener.ask_in_form = False
    seed = tmp_path / "wgan_generator.h5"
    fm.seed_vocoder().save(seed)
    with qtbot.waitSignal(models.opener.asked, timeout=120000) as asked:
        models.open(seed)
    assert [q.key for q in asked.args[0].questions] == [
        "sample_rate",
        "n_fft",
        "hop_length",
        "input_scale",
    ]
    with qtbot.waitSignal(models.opener.opened, timeout=120000):
        models.opener.answer(
            asked.args[0],
            {
                "sample_rate": "22050",
                "n_fft": "2048",
                "hop_length": "512",
                "input_scale": "db_minmax",
            },
        )
    assert window.audio_panel.vocoder.current_path() == str(seed)
    assert window.tabs.currentWidget() is window.audio_page
    assert (tmp_path / "wgan_generator.h5.ganstudio.json").is_file()

    image = tmp_path / "image.keras"
    fm.latent_to_image().save(image)
    with qtbot.waitSignal(window.explorer.image_shown, timeout=120000):
        models.open(image)
    assert window.tabs.currentWidget() is window.explorer
    assert window.explorer.info.output_shape == (28, 28, 1)
