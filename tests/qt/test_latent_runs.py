"""The latent explorer on real run folders written by a few steps of the Trainer."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from ganstudio.core.generator import LoadedGenerator, export_generator
from ganstudio.core.latent.directions import ClassMixer
from ganstudio.core.trainer import Trainer
from tests.core.helpers import Recorder, tiny_config
from tests.latent_support import tiny_points_model
from tests.qt.test_latent_explorer import wait_shown


def train(root, config):
    final = Trainer(config, runs_root=root, emit=Recorder()).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    return final.run_dir


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory, mnist_npz):
    return train(tmp_path_factory.mktemp("runs"), tiny_config(mnist_npz, "cgan"))


@pytest.fixture(scope="module")
def mlp_run(tmp_path_factory, mnist_npz):
    return train(tmp_path_factory.mktemp("runs"), tiny_config(mnist_npz, "mlp"))


@pytest.fixture(scope="module")
def ring_run(tmp_path_factory, mnist_npz):
    config = tiny_config(mnist_npz, "mlp", dataset="toy:ring", latent_dim=2)
    return train(tmp_path_factory.mktemp("runs"), config)


@pytest.fixture(scope="module")
def points_export(tmp_path_factory):
    """A 2-D point generator saved in the exported layout (generator.keras + .json)."""
    folder = tmp_path_factory.mktemp("export") / "generator"
    info = dict(
        latent_dim=2,
        num_classes=0,
        class_names=[],
        output_shape=[2],
        kind="points",
        output_range=None,
        model="mlp",
        step=0,
        dataset="points",
    )
    export_generator(tiny_points_model(), folder, info)
    return folder


def test_exported_conditional_generator_from_a_run_folder(qtbot, explorer, cgan_run, tmp_path):
    twin = LoadedGenerator.load(cgan_run)  # a separate copy: the worker owns its own
    assert ClassMixer(twin).mode == "embedding"  # the cgan's label goes through an Embedding
    with qtbot.waitSignal(explorer.generator_ready, timeout=60000) as sig:
        explorer.load_path(cgan_run)
    info = sig.args[0]
    assert (info.latent_dim, info.num_classes, info.kind) == (16, 10, "images")
    assert explorer.controls.class_combo.count() == 10
    wait_shown(qtbot, explorer)
    explorer.controls.sliders[5].setValue(-180)
    shown = wait_shown(qtbot, explorer)
    z = explorer.current_latent()
    assert z[5] == pytest.approx(-1.8) and shown.shape == (28, 28, 1)
    np.testing.assert_allclose(shown, twin.generate(z[None], [0])[0], atol=1e-4)

    explorer.controls.class_combo.setCurrentIndex(7)
    seven = wait_shown(qtbot, explorer)
    np.testing.assert_allclose(seven, twin.generate(z[None], [7])[0], atol=1e-4)
    assert not np.allclose(seven, shown, atol=1e-3)

    explorer.add_keyframe()
    explorer.controls.class_combo.setCurrentIndex(3)
    explorer.controls.seed.setValue(11)
    explorer.add_keyframe()
    keys = list(explorer.state.keyframes)
    with qtbot.waitSignal(explorer.strip_shown, timeout=20000):
        explorer.interpolate()
    frames = explorer.strip_frames()
    assert len(frames) == 9
    for (z, label), frame in zip(keys, (frames[0], frames[-1]), strict=True):
        np.testing.assert_allclose(frame, twin.generate(z[None], [label])[0], atol=1e-4)
    with qtbot.waitSignal(explorer.exported, timeout=20000):
        explorer.export_images(tmp_path / "digits", 12)
    assert len(list((tmp_path / "digits").glob("sample_*.png"))) == 12


def test_two_d_mlp_run_map_is_the_latent_plane(qtbot, explorer, mlp_run):
    twin = LoadedGenerator.load(mlp_run)
    with qtbot.waitSignal(explorer.map_shown, timeout=60000):
        explorer.load_path(mlp_run)
    assert explorer.info.latent_dim == 2 and len(explorer.controls.sliders) == 2
    mosaic = explorer.map_view.mosaic()
    assert mosaic.shape == (20 * 28, 20 * 28, 1)
    corner = twin.generate(np.array([[-2.85, 2.85]], np.float32))[0]  # top-left cell centre
    np.testing.assert_allclose(mosaic[:28, :28], corner, atol=1e-4)
    rect = explorer.map_view.plane_rect()
    pos = QPoint(int(rect.left() + 0.2 * rect.width()), int(rect.top() + 0.9 * rect.height()))
    x, y = explorer.map_view.pixel_to_plane(QPointF(pos))
    qtbot.mouseClick(explorer.map_view, Qt.MouseButton.LeftButton, pos=pos)
    shown = wait_shown(qtbot, explorer)
    np.testing.assert_allclose(explorer.current_latent(), [x, y], rtol=1e-6)
    np.testing.assert_allclose(shown, twin.generate(np.array([[x, y]]))[0], atol=1e-4)


def test_exported_points_generator_is_drawn_as_a_plot(qtbot, explorer, points_export):
    twin = LoadedGenerator.load(points_export)
    with qtbot.waitSignal(explorer.map_shown, timeout=60000):
        explorer.load_path(points_export)
    assert explorer.info.kind == "points" and explorer.info.latent_dim == 2
    rect = explorer.map_view.plane_rect()
    pos = QPoint(int(rect.left() + 0.7 * rect.width()), int(rect.top() + 0.6 * rect.height()))
    x, y = explorer.map_view.pixel_to_plane(QPointF(pos))
    qtbot.mouseClick(explorer.map_view, Qt.MouseButton.LeftButton, pos=pos)
    shown = wait_shown(qtbot, explorer)
    np.testing.assert_allclose(explorer.current_latent(), [x, y], rtol=1e-6)
    np.testing.assert_allclose(shown, twin.generate(np.array([[x, y]]))[0], atol=1e-4)
    assert explorer.view.image.array().shape == (64, 64, 1)  # drawn as a small plot


def test_loading_a_folder_without_a_generator_says_why(qtbot, explorer, tmp_path):
    with qtbot.waitSignal(explorer.error, timeout=20000) as sig:
        explorer.load_path(tmp_path)
    assert "no exported generator" in sig.args[0]
    assert explorer.info is None


def test_principal_directions_of_an_intermediate_layer_of_a_trained_dcgan(
    qtbot, explorer, cgan_run
):
    with qtbot.waitSignal(explorer.generator_ready, timeout=60000) as sig:
        explorer.load_path(cgan_run)
    layers = sig.args[0].layers
    assert "class_embedding" not in layers and "z" not in layers
    conv = next(name for name in layers if name.startswith("conv2d_transpose"))
    wait_shown(qtbot, explorer)
    index = explorer.controls.basis.findData(f"pca:{conv}")
    assert index > 0
    with qtbot.waitSignal(explorer.directions_ready, timeout=60000) as sig:
        explorer.controls.basis.setCurrentIndex(index)
    assert sig.args == [conv]
    basis = explorer.state.basis
    assert basis.shape == (8, 16)
    np.testing.assert_allclose(np.linalg.norm(basis, axis=1), 1.0, rtol=1e-5)
    start = explorer.current_latent()
    explorer.controls.sliders[1].setValue(200)
    wait_shown(qtbot, explorer)
    np.testing.assert_allclose(explorer.current_latent(), start + 2.0 * basis[1], atol=1e-5)


def test_trained_point_gan_run_explores_the_latent_plane(qtbot, explorer, ring_run):
    twin = LoadedGenerator.load(ring_run)
    with qtbot.waitSignal(explorer.map_shown, timeout=60000):
        explorer.load_path(ring_run)
    assert (explorer.info.kind, explorer.info.latent_dim) == ("points", 2)
    assert explorer.map_view.mosaic().shape == (20, 20, 3)
    explorer.controls.sliders[0].setValue(-150)
    explorer.controls.sliders[1].setValue(90)
    shown = wait_shown(qtbot, explorer)
    np.testing.assert_allclose(explorer.current_latent(), [-1.5, 0.9], rtol=1e-6)
    np.testing.assert_allclose(shown, twin.generate(np.array([[-1.5, 0.9]]))[0], atol=1e-4)
