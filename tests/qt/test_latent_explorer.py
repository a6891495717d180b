"""The latent explorer widget, driven like a user would, on small real Keras generators.

Every check compares what the widget shows with a twin of the generator (same weights,
a separate Keras model) called directly, so the worker thread is never shared.
"""

import threading

import keras
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt

from ganstudio.core.latent import space as lt
from ganstudio.qt.latent.explorer import LatentExplorer
from tests.latent_support import (
    KerasGenerator,
    tiny_conditional_model,
    tiny_image_model,
    tiny_points_model,
)


def twin_of(gen):
    """A generator with the same weights as ``gen`` over its own Keras model."""
    model = keras.models.clone_model(gen.model)
    model.set_weights(gen.model.get_weights())
    twin = KerasGenerator(model, gen.kind, gen.num_classes, gen.class_names)
    return twin


def wait_shown(qtbot, w, timeout=10000):
    """Wait until the large view shows the current latent and class."""

    def done():
        z = w.shown_latent()
        return (
            z is not None
            and np.array_equal(z, w.current_latent())
            and w.shown_label() == w.current_label()
        )

    qtbot.waitUntil(done, timeout=timeout)
    return w.shown_image()


def test_slider_moves_change_the_image_to_the_generators_output(qtbot, explorer):
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    twin = twin_of(gen)
    explorer.set_generator(gen, "tiny")
    first = wait_shown(qtbot, explorer)
    np.testing.assert_allclose(first, twin.generate(explorer.current_latent())[0], atol=1e-5)
    np.testing.assert_allclose(explorer.current_latent(), lt.sample_latents(1, 8, 0)[0])
    slider = explorer.controls.sliders[3]
    slider.setValue(250)
    shown = wait_shown(qtbot, explorer)
    z = explorer.current_latent()
    assert z[3] == pytest.approx(2.5)
    np.testing.assert_allclose(shown, twin.generate(z)[0], atol=1e-5)
    assert not np.allclose(shown, first, atol=1e-3)
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_PageDown)  # a keyboard move goes the same way
    shown = wait_shown(qtbot, explorer)
    assert explorer.current_latent()[3] == pytest.approx(2.4)
    np.testing.assert_allclose(shown, twin.generate(explorer.current_latent())[0], atol=1e-5)


def test_map_click_shows_that_point_and_map_cells_match(qtbot, explorer):
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    twin = twin_of(gen)
    with qtbot.waitSignal(explorer.map_shown, timeout=10000):
        explorer.set_generator(gen)
    mosaic = explorer.map_view.mosaic()
    assert mosaic.shape == (20 * 8, 20 * 8, 1)
    cells = explorer.state.map_latents()
    expect = twin.generate(cells)
    np.testing.assert_allclose(mosaic[:8, :8], expect[0], atol=1e-5)
    np.testing.assert_allclose(mosaic[-8:, 8:16], expect[19 * 20 + 1], atol=1e-5)
    rect = explorer.map_view.plane_rect()
    pos = QPoint(int(rect.left() + 0.8 * rect.width()), int(rect.top() + 0.3 * rect.height()))
    x, y = explorer.map_view.pixel_to_plane(QPointF(pos))
    qtbot.mouseClick(explorer.map_view, Qt.MouseButton.LeftButton, pos=pos)
    shown = wait_shown(qtbot, explorer)
    z = explorer.current_latent()
    assert (z[0], z[1]) == (pytest.approx(x), pytest.approx(y))
    assert x > 1.0 and y > 0.5
    np.testing.assert_allclose(shown, twin.generate(z)[0], atol=1e-5)
    assert explorer.controls.sliders[0].value() == round(x * 100)


def test_class_control_changes_the_class_of_the_output(qtbot, explorer):
    gen = KerasGenerator(tiny_conditional_model(latent_dim=8, classes=3), num_classes=3)
    twin = twin_of(gen)
    explorer.set_generator(gen)
    assert explorer.controls.class_combo.isVisible()
    assert explorer.controls.class_combo.count() == 3
    zero = wait_shown(qtbot, explorer)
    z = explorer.current_latent()
    np.testing.assert_allclose(zero, twin.generate(z, [0])[0], atol=1e-5)
    explorer.controls.class_combo.setCurrentIndex(2)
    two = wait_shown(qtbot, explorer)
    assert explorer.shown_label() == 2
    np.testing.assert_allclose(two, twin.generate(z, [2])[0], atol=1e-5)
    assert not np.allclose(two, zero, atol=1e-2)


def test_interpolation_endpoints_equal_keyframes_and_exports_decode(qtbot, explorer, tmp_path):
    gen = KerasGenerator(tiny_conditional_model(latent_dim=8, classes=3), num_classes=3)
    twin = twin_of(gen)
    explorer.set_generator(gen)
    wait_shown(qtbot, explorer)
    explorer.keyframes.add_button.click()
    explorer.controls.seed.setValue(5)
    explorer.controls.class_combo.setCurrentIndex(1)
    explorer.add_keyframe()
    explorer.controls.seed.setValue(9)
    explorer.add_keyframe()
    keys = [(z.copy(), lab) for z, lab in explorer.state.keyframes]
    assert [lab for _, lab in keys] == [0, 1, 1]
    explorer.keyframes.mode.setCurrentIndex(1)  # spherical
    explorer.keyframes.frames.setValue(4)
    with qtbot.waitSignal(explorer.strip_shown, timeout=10000):
        explorer.keyframes.interpolate_button.click()
    frames = explorer.strip_frames()
    assert len(frames) == 9
    for k, i in enumerate(explorer.last_path().keyframe_index):
        z, lab = keys[k]
        np.testing.assert_allclose(frames[i], twin.generate(z, [lab])[0], atol=1e-5)
    assert not np.allclose(frames[1], frames[0], atol=1e-4)

    png = explorer.export_strip_png(tmp_path / "strip.png")
    with Image.open(png) as im:
        assert im.size == (9 * 9 + 1, 8 + 2)
    gif = explorer.export_gif(tmp_path / "path.gif")
    with Image.open(gif) as im:
        assert im.n_frames == 9 and im.size == (16, 16)
    with qtbot.waitSignal(explorer.exported, timeout=20000) as sig:
        explorer.export_images(tmp_path / "many", 5)
    assert sig.args == [str(tmp_path / "many"), 5]
    pngs = sorted((tmp_path / "many").glob("*.png"))
    assert len(pngs) == 5
    for p in pngs:
        with Image.open(p) as im:
            assert im.size == (8, 8)


def test_two_d_points_generator_map_is_the_latent_plane(qtbot, explorer):
    gen = KerasGenerator(tiny_points_model(), kind="points")
    twin = twin_of(gen)
    with qtbot.waitSignal(explorer.map_shown, timeout=10000):
        explorer.set_generator(gen)
    assert len(explorer.controls.sliders) == 2
    assert explorer.map_view.mosaic().shape == (20, 20, 3)
    rect = explorer.map_view.plane_rect()
    pos = QPoint(int(rect.left() + 0.25 * rect.width()), int(rect.top() + 0.75 * rect.height()))
    x, y = explorer.map_view.pixel_to_plane(QPointF(pos))
    qtbot.mouseClick(explorer.map_view, Qt.MouseButton.LeftButton, pos=pos)
    shown = wait_shown(qtbot, explorer)
    np.testing.assert_allclose(explorer.current_latent(), [x, y], rtol=1e-6)
    np.testing.assert_allclose(shown, twin.generate([[x, y]])[0], atol=1e-5)


def test_principal_direction_sliders_move_along_the_directions(qtbot, explorer):
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    explorer.set_generator(gen)
    wait_shown(qtbot, explorer)
    start = explorer.current_latent()
    index = explorer.controls.basis.findData("pca:output")
    with qtbot.waitSignal(explorer.directions_ready, timeout=20000):
        explorer.controls.basis.setCurrentIndex(index)
    assert explorer.view.axis_x.currentText() == "pc0"
    np.testing.assert_allclose(explorer.current_latent(), start, atol=1e-6)
    explorer.controls.sliders[0].setValue(-120)
    wait_shown(qtbot, explorer)
    moved = explorer.current_latent() - start
    np.testing.assert_allclose(moved, -1.2 * explorer.state.basis[0], atol=1e-5)


def test_stale_requests_are_dropped_and_the_newest_wins(qtbot, explorer, tmp_path):
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    twin = twin_of(gen)
    explorer.set_generator(gen)
    wait_shown(qtbot, explorer)
    dropped = explorer.jobs.dropped
    with qtbot.waitSignal(explorer.exported, timeout=30000):
        explorer.export_images(tmp_path / "busy", 200)  # keeps the worker busy a while
        for v in range(-300, 301, 10):  # 61 moves queue up behind it
            explorer.controls.sliders[1].setValue(v)
    shown = wait_shown(qtbot, explorer)
    assert explorer.current_latent()[1] == pytest.approx(3.0)
    np.testing.assert_allclose(shown, twin.generate(explorer.current_latent())[0], atol=1e-5)
    assert explorer.jobs.dropped - dropped >= 55  # only the newest position was rendered


def test_audio_generator_offers_its_spectrogram_for_playback(qtbot, explorer):
    gen = KerasGenerator(tiny_image_model(latent_dim=8, size=16), kind="audio")
    explorer.set_generator(gen)
    shown = wait_shown(qtbot, explorer)
    assert explorer.view.play_button.isVisible()
    with qtbot.waitSignal(explorer.sound_requested) as sig:
        explorer.view.play_button.click()
    spec = sig.args[0]
    assert spec.shape == (16, 16)
    np.testing.assert_array_equal(spec, shown[..., 0])
    explorer.view.autoplay.setChecked(True)
    with qtbot.waitSignal(explorer.sound_requested, timeout=10000) as sig:
        explorer.controls.sliders[0].setValue(120)
    z = explorer.current_latent()
    np.testing.assert_array_equal(sig.args[0], explorer.shown_image()[..., 0])
    np.testing.assert_array_equal(explorer.shown_latent(), z)


def test_generator_errors_are_reported_and_the_explorer_keeps_working(qtbot, explorer):
    class Broken:  # no Keras model: the explorer must go through generate()
        latent_dim, num_classes, class_names, kind, output_shape = 8, 0, [], "images", (8, 8, 1)

        def generate(self, z, labels=None):
            raise RuntimeError("weights are corrupt")

    with qtbot.waitSignal(explorer.error, timeout=10000) as sig:
        explorer.set_generator(Broken())
    assert "weights are corrupt" in sig.args[0]
    assert "weights are corrupt" in explorer.view.status.text()
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    explorer.set_generator(gen)
    assert wait_shown(qtbot, explorer).shape == (8, 8, 1)


def test_dragging_on_the_map_follows_the_mouse(qtbot, explorer):
    from PySide6.QtTest import QTest

    gen = KerasGenerator(tiny_points_model(), kind="points")
    explorer.set_generator(gen)
    wait_shown(qtbot, explorer)
    view = explorer.map_view
    rect = view.plane_rect()
    start = QPoint(int(rect.left() + 0.5 * rect.width()), int(rect.center().y()))
    end = QPoint(int(rect.left() + 0.9 * rect.width()), int(rect.top() + 0.1 * rect.height()))
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(view, end)
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    wait_shown(qtbot, explorer)
    np.testing.assert_allclose(
        explorer.current_latent(), view.pixel_to_plane(QPointF(end)), rtol=1e-6
    )


def test_closing_the_window_stops_the_worker_thread(qtbot):
    w = LatentExplorer()
    qtbot.addWidget(w)
    w.set_generator(KerasGenerator(tiny_image_model(latent_dim=4)))
    assert w.jobs.thread_running()
    w.close()
    assert not w.jobs.thread_running()
    w.shutdown()  # idempotent


def test_shutdown_is_bounded_while_the_worker_is_busy(qtbot):
    gate, busy, finished = threading.Event(), threading.Event(), threading.Event()

    class Slow:  # a generator whose first call takes as long as the test wants
        latent_dim, num_classes, class_names, kind, output_shape = 2, 0, [], "points", (2,)

        def generate(self, z, labels=None):
            busy.set()
            gate.wait(60)
            finished.set()
            return np.zeros((len(z), 2), np.float32)

    w = LatentExplorer()
    qtbot.addWidget(w)
    w.set_generator(Slow())
    assert busy.wait(30)
    assert w.shutdown() is False  # returned while the job still runs
    assert not finished.is_set() and w.jobs.thread_running()
    gate.set()
    qtbot.waitUntil(lambda: not w.jobs.thread_running(), timeout=30000)


def test_switching_generators_never_shows_the_old_ones_results(qtbot, explorer):
    big = KerasGenerator(tiny_image_model(latent_dim=8, size=16))
    small = KerasGenerator(tiny_points_model(), kind="points")
    explorer.set_generator(big)
    explorer.set_generator(small)
    shown = wait_shown(qtbot, explorer)
    qtbot.waitUntil(lambda: explorer.map_view.mosaic() is not None, timeout=10000)
    # one more request: the runner works in order, so any late result of the first
    # generator would have arrived before this one's
    with qtbot.waitSignal(explorer.image_shown, timeout=10000):
        explorer.request_view()
    assert explorer.shown_latent().shape == (2,) and shown.shape == (2,)
    assert explorer.map_view.mosaic().shape == (20, 20, 3)


def test_truncation_random_and_animation(qtbot, explorer):
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    twin = twin_of(gen)
    explorer.set_generator(gen)
    wait_shown(qtbot, explorer)
    seed = explorer.controls.seed.value()
    explorer.controls.truncation.setValue(50)
    shown = wait_shown(qtbot, explorer)
    full = lt.sample_latents(1, 8, seed)[0]
    np.testing.assert_allclose(explorer.current_latent(), 0.5 * full, rtol=1e-6)
    np.testing.assert_allclose(shown, twin.generate(0.5 * full[None])[0], atol=1e-5)
    explorer.controls.random_button.click()
    assert explorer.controls.seed.value() != seed
    wait_shown(qtbot, explorer)
    new = lt.sample_latents(1, 8, explorer.controls.seed.value(), truncation=0.5)[0]
    np.testing.assert_allclose(explorer.current_latent(), new, rtol=1e-6)

    explorer.add_keyframe()
    explorer.controls.seed.setValue(3)
    explorer.add_keyframe()
    explorer.keyframes.frames.setValue(3)
    with qtbot.waitSignal(explorer.strip_shown, timeout=10000):
        explorer.interpolate()
    anim = explorer.keyframes.animation
    first = anim.array().copy()
    qtbot.waitUntil(lambda: not np.array_equal(anim.array(), first), timeout=3000)
    frames = explorer.keyframes.frames_shown()
    assert any(np.array_equal(anim.array(), f) for f in frames)
    explorer.clear_keyframes()
    assert explorer.keyframes.frames_shown() is None
    assert not explorer.keyframes.interpolate_button.isEnabled()


def test_map_cells_and_extent_controls(qtbot, explorer):
    from ganstudio.qt.latent.explorer import default_cells

    assert default_cells((28, 28, 1)) == 20 and default_cells((128, 128, 1)) == 10
    assert default_cells((2,)) == 20
    gen = KerasGenerator(tiny_image_model(latent_dim=8))
    twin = twin_of(gen)
    with qtbot.waitSignal(explorer.map_shown, timeout=10000):
        explorer.set_generator(gen)
    with qtbot.waitSignal(explorer.map_shown, timeout=10000):
        explorer.view.cells.setValue(5)
    assert explorer.map_view.mosaic().shape == (40, 40, 1)
    with qtbot.waitSignal(explorer.map_shown, timeout=10000):
        explorer.view.extent.setValue(1.0)
    z = explorer.current_latent().copy()
    z[0], z[1] = -0.8, 0.8  # top-left cell centre of a 5 x 5 map over [-1, 1]
    np.testing.assert_allclose(explorer.map_view.mosaic()[:8, :8], twin.generate(z)[0], atol=1e-5)


def test_export_problems_are_reported_not_raised(qtbot, explorer, tmp_path):
    explorer.set_generator(KerasGenerator(tiny_image_model(latent_dim=8)))
    wait_shown(qtbot, explorer)
    with qtbot.waitSignal(explorer.error) as sig:
        assert explorer.interpolate() is None  # no keyframes yet
    assert "two keyframes" in sig.args[0]
    explorer.add_keyframe()
    explorer.controls.seed.setValue(2)
    explorer.add_keyframe()
    with qtbot.waitSignal(explorer.strip_shown, timeout=10000):
        explorer.interpolate()
    missing = tmp_path / "no such folder" / "strip.png"
    with qtbot.waitSignal(explorer.error) as sig:
        assert explorer.export_strip_png(missing) is None
    assert "cannot write" in sig.args[0] and "no such folder" in sig.args[0]
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with qtbot.waitSignal(explorer.error, timeout=10000) as sig:
        explorer.export_images(blocker, 3)
    assert "a file" in sig.args[0]
    assert blocker.read_text() == "not a folder"  # nothing lost
    assert explorer.export_gif(tmp_path / "ok.gif").exists()  # still works afterwards


def test_a_request_after_the_runner_was_shut_down_is_dropped(qtbot, explorer):
    """Closing the window shuts every runner down (shutdown_all), while a debounced map
    request may still be waiting to fire: it is dropped, not raised in the event loop."""
    explorer.set_generator(KerasGenerator(tiny_image_model(latent_dim=8)), "tiny")
    wait_shown(qtbot, explorer)
    explorer.jobs.shutdown()
    assert explorer.jobs.closed
    assert explorer.request_map() == 0
    assert explorer.request_view() == 0
