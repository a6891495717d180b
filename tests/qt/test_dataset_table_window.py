"""The window asks the data-source table: a dropped path becomes the dataset of the source
that claims it (an audio folder is audio, not images), and the toy view counts modes
when the set's source says it has them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from ganstudio.core.data import load_dataset, register_source
from ganstudio.core.data.source_table import SOURCES
from ganstudio.qt.train.toy_view import ToyView
from tests import plugin_example as plugin


def _mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def drop(window, path: Path) -> bool:
    """Drag ``path`` over the window and drop it; True if the window accepted the drag."""
    args = (Qt.DropAction.CopyAction, _mime(path), Qt.MouseButton.LeftButton)
    enter = QDragEnterEvent(QPointF(50, 50), *args, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    if enter.isAccepted():
        window.dropEvent(QDropEvent(QPointF(50, 50), *args, Qt.KeyboardModifier.NoModifier))
    return enter.isAccepted()


def test_a_dropped_audio_folder_becomes_an_audio_dataset(window, drums_dir):
    assert drop(window, drums_dir)
    assert window.train_view.panel.dataset_spec() == f"audio:{drums_dir}"


def test_a_dropped_image_folder_and_npz_stay_images(window, tmp_path, mnist_npz):
    folder = tmp_path / "faces"
    folder.mkdir()
    for i in range(2):
        Image.fromarray(np.full((8, 8), 40 * i, np.uint8)).save(folder / f"{i}.png")
    assert drop(window, folder)
    assert window.train_view.panel.dataset_spec() == f"images:{folder}"
    assert drop(window, mnist_npz)
    assert window.train_view.panel.dataset_spec() == f"npz:{mnist_npz}"


@pytest.fixture
def moon_files():
    """The example plugin's moons, claiming ``*.moons`` files (a plugin's own format)."""
    plugin.register()
    try:
        source = SOURCES.get(plugin.SOURCE)
        register_source(replace(source, claims=lambda p: p.suffix == ".moons"), replace=True)
        yield
    finally:
        plugin.unregister()


def test_a_path_a_plugins_source_claims_becomes_its_dataset(moon_files, window, tmp_path):
    path = tmp_path / "night.moons"
    path.write_text("300")
    assert drop(window, path)
    assert window.train_view.panel.dataset_spec() == f"moons:{path}"
    assert not drop(window, tmp_path / "notes.txt")  # nobody loads it: the drag is refused


def test_the_toy_view_counts_modes_of_any_spec_of_a_set_with_modes(qtbot):
    view = ToyView()
    qtbot.addWidget(view)
    ring = load_dataset("toy:ring:3000")
    view.dataset = "toy:ring:3000"  # a count in the spec: still the ring's 8 modes
    view.show_points(1, ring.x[:512])
    assert "8/8 modes covered" in view.caption.text()
    view.dataset = "toy:spiral"  # stretches of one curve, not modes: nothing counted
    view.show_points(2, ring.x[:512])
    assert "modes covered" not in view.caption.text()


def _two_moons_covered(arg: str, points: np.ndarray) -> tuple[int, int]:
    """The upper and the lower moon: covered when any point lies on its side."""
    upper = points[:, 1] > 0.25
    return int(upper.any()) + int((~upper).any()), 2


def test_the_toy_view_asks_a_plugins_source_for_its_modes(qtbot):
    plugin.register()
    try:
        source = SOURCES.get(plugin.SOURCE)
        register_source(replace(source, count_modes=_two_moons_covered), replace=True)
        view = ToyView()
        qtbot.addWidget(view)
        view.dataset = plugin.SOURCE
        moons = load_dataset("moons:400").x
        view.show_points(1, moons)
        assert "2/2 modes covered" in view.caption.text()
        view.show_points(2, moons[moons[:, 1] > 0.25])
        assert "1/2 modes covered" in view.caption.text()
    finally:
        plugin.unregister()
