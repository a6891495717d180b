"""A kind of output the window has never heard of (1-D curves, ``tests/kind_example.py``)
trains in the real window, and the Train tab's sample grid shows its line-plot tiles."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.config import TrainConfig
from tests import kind_example as curves

TIMEOUT = 180_000  # ms: the first run in a process imports TensorFlow and traces the model


@pytest.fixture
def registered():
    curves.register()
    yield
    curves.unregister()


def test_the_sample_grid_shows_a_registered_kinds_tiles(registered, window, qtbot):
    tv = window.train_view
    config = TrainConfig(model=curves.MODEL, dataset="waves:256").with_model_defaults()
    for key, value in dict(
        steps=100_000, batch_size=32, sample_every=3, log_every=1, num_samples=9, tensorboard=False
    ).items():
        setattr(config, key, value)
    tv.panel.set_config(config)
    window.start_action.trigger()
    qtbot.waitUntil(lambda: len(tv.grid_view.steps) >= 2, timeout=TIMEOUT)
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=60000)
    assert tv.samples.currentWidget() is tv.grid_view
    tile = tv.grid_view.tile(-1)  # the newest grid: 3 × 3 curves, one pixel apart
    h, w = curves.TILE_HEIGHT, curves.LENGTH
    assert tile.shape[:2] == (3 * (h + 1) + 1, 3 * (w + 1) + 1)
    first = tile[1 : 1 + h, 1 : 1 + w, 0]
    assert (first == 255).any(axis=0).all()  # a line crosses every column of the tile
    assert ((first == 255).sum(axis=0) < h).all()  # a line, not a filled tile
    assert np.isin(tile[0], (127, 128)).all()  # the grid's padding between tiles

    run, live = tv.current_run, tile.copy()
    tv.grid_view.clear()
    with qtbot.waitSignal(tv.run_opened, timeout=60000):  # the run folder, read back
        tv.open_run(run)
    qtbot.waitUntil(lambda: tv.grid_view.tile(-1) is not None, timeout=60000)
    assert tv.samples.currentWidget() is tv.grid_view
    assert tv.grid_view.tile(-1).shape == live.shape  # tiled as the live grid was


def test_the_window_kind_table_keeps_each_built_in_kinds_view_and_reads_a_new_one(registered):
    from ganstudio.qt.kinds import (
        GRID_VIEW,
        TOY_VIEW,
        KindView,
        kind_view,
        register_kind_view,
        unregister_kind_view,
    )

    assert kind_view("points").sample_view == TOY_VIEW and kind_view("points").explorer == "plane"
    audio = kind_view("audio")
    assert audio.sample_view == GRID_VIEW and audio.keep_samples and audio.playable
    assert kind_view("vocoder").view_sounds and kind_view("vocoder").explorer is None
    assert kind_view("waveform").explorer is None and not kind_view("images").keep_samples
    assert kind_view(None, np.zeros((5, 2))).sample_view == TOY_VIEW  # an old run's points
    assert kind_view(None, np.zeros((5, 8, 8, 1))).sample_view == GRID_VIEW
    derived = kind_view(curves.KIND)  # read off the core entry: tiled, not sound
    assert derived.sample_view == GRID_VIEW and derived.explorer == "image"
    assert not derived.keep_samples and not derived.playable
    register_kind_view(KindView(curves.KIND, TOY_VIEW, explorer=None))
    try:
        assert kind_view(curves.KIND).sample_view == TOY_VIEW  # a plugin's own view wins
    finally:
        unregister_kind_view(curves.KIND)
