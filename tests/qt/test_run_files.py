"""Run folders are read off the GUI thread, and the sample history keeps only a bounded
number of grids in memory while its slider still reaches every step."""

from __future__ import annotations

import threading

import numpy as np
from PIL import Image

from ganstudio.core.config import TrainConfig
from ganstudio.core.rundir import RunDir
from ganstudio.qt.train.grid_history import KEEP_GRIDS, GridHistory, make_grid

N_GRIDS = 200


def run_with_many_grids(root) -> RunDir:
    """A run folder holding N_GRIDS sample arrays, at steps 0, 10, ..., each one different."""
    run = RunDir.create(root, TrainConfig(model="mlp", steps=10 * N_GRIDS))
    run.write_state("completed", 10 * (N_GRIDS - 1), 10 * N_GRIDS)
    for k in range(N_GRIDS):
        images = np.full((4, 6, 6, 1), k / N_GRIDS, np.float16)
        np.save(run.sample_path(10 * k, "npy"), images)
    return run


def test_opening_a_run_reads_off_the_gui_thread_and_bounds_the_history(
    window, qtbot, tmp_path, file_reads
):
    run = run_with_many_grids(tmp_path)
    tv, grids = window.train_view, window.train_view.grid_view
    with qtbot.waitSignal(tv.run_opened, timeout=60000):
        assert tv.open_run(str(run.path))
    gui = threading.main_thread().name
    assert file_reads and gui not in file_reads
    assert len(grids.steps) == N_GRIDS and grids.steps[0] == 0
    assert grids.history.in_memory <= KEEP_GRIDS < N_GRIDS
    assert grids.step_label.text().startswith(f"step {10 * (N_GRIDS - 1)}")

    with qtbot.waitSignal(grids.grid_shown, timeout=30000) as shown:
        grids.slider.setValue(0)  # far back: read from the run folder on the worker
    assert shown.args == [0] and grids.step_label.text().startswith("step 0")
    assert grids.tile(0)[1, 1, 0] == 0  # the first grid (value 0), inside the padding
    assert grids.history.in_memory <= KEEP_GRIDS

    with qtbot.waitSignal(grids.exported, timeout=60000) as done:
        grids.export_gif(tmp_path / "all.gif")
    with Image.open(done.args[0]) as gif:
        assert gif.n_frames == N_GRIDS
    assert gui not in file_reads and grids.history.in_memory <= KEEP_GRIDS


def test_grid_history_keeps_the_most_recently_used_grids():
    history = GridHistory(keep=3)
    for step in range(0, 50, 10):
        history.add(make_grid(step, np.zeros((4, 2, 2, 1), np.float32)))
    assert history.steps == [0, 10, 20, 30, 40] and history.in_memory == 3
    assert history.get(0) is None and history.get(4).step == 40
    history.put(make_grid(0, np.zeros((4, 2, 2, 1), np.float32)))  # read back from disk
    assert history.get(0).step == 0 and history.in_memory == 3
    assert history.get(2) is None  # the least recently used went out
    index, new = history.add(make_grid(40, np.ones((4, 2, 2, 1), np.float32)))
    assert (index, new) == (4, False) and len(history) == 5  # a re-sent grid replaces
