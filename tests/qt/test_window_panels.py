"""The explorer and audio panels inside the main window, wired to the training view."""

from __future__ import annotations

import numpy as np

from ganstudio.core.events import Paused
from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.trainer import Trainer
from tests.qt.test_training_window import tiny


def test_window_has_explore_and_audio_tabs(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Train", "Explore", "Audio"]


def test_explore_tab_shows_the_opened_runs_generator(window, qtbot, mnist_npz, tmp_path):
    final = Trainer(tiny(mnist_npz, steps=6, sample_every=3), runs_root=tmp_path).run()
    assert type(final).__name__ == "Finished"
    with qtbot.waitSignal(window.train_view.run_opened, timeout=60_000):
        assert window.train_view.open_run(final.run_dir)
    with qtbot.waitSignal(window.explorer.generator_ready, timeout=120_000):
        window.tabs.setCurrentWidget(window.explorer)
    qtbot.waitUntil(lambda: window.explorer.shown_image() is not None, timeout=60_000)
    gen = LoadedGenerator.load(final.run_dir)
    z = window.explorer.shown_latent()
    expected = gen.generate(z[None])[0]
    np.testing.assert_allclose(
        window.explorer.shown_image().reshape(expected.shape), expected, atol=1e-4
    )


def test_clicking_an_audio_grid_tile_hands_out_that_spectrogram(window, qtbot):
    grid = window.train_view.grid_view
    specs = np.random.default_rng(0).random((8, 16, 16, 1)).astype(np.float32)
    window.train_view.show_sample(5, specs, "audio")
    # 8 tiles make a 3-column grid; one-pixel padding around 16-pixel tiles
    clicked = grid.sample_at(x=1 + 2 * 17 + 8, y=1 + 1 * 17 + 8)  # row 1, column 2
    np.testing.assert_allclose(clicked, specs[5], atol=1e-3)
    assert grid.sample_at(x=1 + 2 * 17 + 8, y=1 + 2 * 17 + 8) is None  # the empty 9th cell
    with qtbot.waitSignal(grid.tile_clicked) as sig:
        grid._on_canvas_click(1 + 0 * 17 + 3, 1 + 1 * 17 + 3)
    np.testing.assert_allclose(sig.args[0], specs[3], atol=1e-3)
    assert grid.sample_at(-5, 3) is None


def test_reopened_conditional_run_keeps_one_column_per_class(window, qtbot, mnist_npz, tmp_path):
    config = tiny(mnist_npz, model="cgan", steps=2, sample_every=2, latent_dim=8, num_samples=20)
    final = Trainer(config, runs_root=tmp_path).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", "")
    with qtbot.waitSignal(window.train_view.run_opened, timeout=60_000):
        assert window.train_view.open_run(final.run_dir)
    tile = window.train_view.grid_view.tile(-1)
    assert tile.shape[:2] == (2 * 29 + 1, 10 * 29 + 1)  # 20 samples: 2 rows of 10 classes


def test_explorer_follows_training_with_the_weights_in_memory(
    window, qtbot, mnist_npz, monkeypatch
):
    import keras

    loads: list = []
    load_model = keras.saving.load_model

    def counting_load_model(*args, **kwargs):
        loads.append(args[0])
        return load_model(*args, **kwargs)

    monkeypatch.setattr(keras.saving, "load_model", counting_load_model)
    tv, explorer = window.train_view, window.explorer
    tv.panel.set_config(tiny(mnist_npz, sample_every=4))
    window.tabs.setCurrentWidget(explorer)
    images: list[np.ndarray] = []
    steps: list[int] = []  # of the weights the explorer was given
    explorer.generator_updated.connect(steps.append)
    explorer.image_shown.connect(lambda _stamp: images.append(explorer.shown_image().copy()))
    window.start_action.trigger()
    qtbot.waitUntil(lambda: len(tv.grid_view.steps) >= 4 and len(images) >= 3, timeout=180_000)
    assert len(loads) <= 1  # the model was built once; later weights came in memory
    paused = lambda ev: isinstance(ev, Paused)  # noqa: E731
    with qtbot.waitSignal(tv.session.event, check_params_cb=paused, timeout=10_000):
        window.pause_action.trigger()
    qtbot.waitUntil(lambda: bool(steps) and steps[-1] == tv.grid_view.steps[-1], timeout=30_000)
    assert len(loads) <= 1
    with qtbot.waitSignal(explorer.image_shown, timeout=30_000):
        explorer.request_view()
    gen = LoadedGenerator.load(tv.current_run)  # exported at the newest sample grid's step
    expected = gen.generate(explorer.shown_latent()[None])[0]
    np.testing.assert_allclose(explorer.shown_image().reshape(expected.shape), expected, atol=1e-4)
    assert not np.allclose(images[0], images[-1])  # the image followed training
