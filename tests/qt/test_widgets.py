"""The window's views fed with real event objects: plots, sample grid, toy view, form."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from ganstudio.core.config import PRESETS, ConfigError, TrainConfig, model_defaults
from ganstudio.core.events import SampleGrid, StepMetrics
from ganstudio.core.progress import format_eta, progress_text
from ganstudio.core.training_curves import MetricSeries
from ganstudio.qt.common.settings import AppSettings
from ganstudio.qt.train.loss_plot import LossPlot
from ganstudio.qt.train.sample_grid import SampleGridView
from ganstudio.qt.train.settings_form import TrainingPanel
from ganstudio.qt.train.toy_view import ToyView


def metrics(start: int, stop: int) -> list[StepMetrics]:
    return [
        StepMetrics(i, i / 100, 1.0 + np.sin(i / 7), 0.7, 0.8, 0.2, 40.0)
        for i in range(start, stop)
    ]


def test_series_downsamples_old_points_and_keeps_recent_exact():
    s = MetricSeries()
    for i in range(100_000):
        s.append(i, {"d_loss": float(i), "g_loss": 1.0, "d_real": 0.5, "d_fake": 0.5})
    x, ys = s.view(max_points=2000)
    assert len(x) <= 2000 and len(ys["d_loss"]) == len(x)
    assert np.array_equal(x[-1000:], np.arange(99_000, 100_000))  # recent points exact
    assert np.all(np.diff(x) > 0) and x[0] < 50  # old points averaged, still in order
    s.truncate_after(500)
    assert len(s) == 501 and s.last_step == 500


def test_series_ema_skips_nan():
    s = MetricSeries(smoothing=0.5)
    for v in (2.0, float("nan"), 4.0):
        s.append(len(s), {"d_loss": v})
    _, ema = s.arrays(smooth=True)
    assert ema["d_loss"].tolist() == [2.0, 2.0, 3.0]


def test_loss_plot_blits_between_rare_full_draws(qtbot):
    plot = LossPlot(refresh_hz=50)
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    plot.set_total_steps(2000)
    plot.add_metrics(metrics(1, 50))
    qtbot.waitUntil(lambda: plot.canvas is not None)  # built after the first paint
    qtbot.waitUntil(lambda: plot.canvas.full_draws >= 1 and not plot.canvas.full_draw_pending)
    full = plot.canvas.full_draws
    for k in range(20):  # values stay inside the limits: only blits
        plot.add_metrics(metrics(50 + 10 * k, 60 + 10 * k))
        plot.refresh()
    assert plot.canvas.blits >= 19
    assert plot.canvas.full_draws <= full + 1
    line = plot.lines["d_loss"]
    assert line.get_xdata()[-1] == 249
    plot.smooth_box.setChecked(True)
    plot.log_box.setChecked(True)
    qtbot.waitUntil(lambda: plot.ax_loss.get_yscale() == "log")
    assert len(plot.lines["g_loss"].get_xdata()) == 249


def test_sample_grid_history_and_export(qtbot, tmp_path):
    view = SampleGridView()
    qtbot.addWidget(view)
    view.show()
    rng = np.random.default_rng(0)
    for step in (100, 200, 300):
        view.add_grid(step, rng.random((16, 8, 8, 1), dtype=np.float32))
    assert view.steps == [100, 200, 300] and view.current_index == 2  # follows the newest
    view.slider.setValue(0)
    assert view.step_label.text().startswith("step 100")
    view.add_grid(400, rng.random((16, 8, 8, 1), dtype=np.float32))
    assert view.current_index == 0  # scrubbing back stops following
    png = view.export_png(tmp_path / "grid.png", scale=2)
    img = Image.open(png)
    assert img.size == (2 * (4 * 9 + 1), 2 * (4 * 9 + 1))
    with qtbot.waitSignal(view.exported, timeout=30000) as done:
        view.export_gif(tmp_path / "timelapse.gif")
    with Image.open(done.args[0]) as anim:
        assert anim.n_frames == 4
    view.close()  # stops the view's worker thread (pytest-qt holds only a weak reference)


def test_sample_grid_refuses_export_when_empty(qtbot, tmp_path):
    view = SampleGridView()
    qtbot.addWidget(view)
    assert not view.png_button.isEnabled()
    with pytest.raises(ValueError, match="no sample grid"):
        view.export_png(tmp_path / "x.png")


def test_toy_view_shows_heat_map_and_points(qtbot):
    view = ToyView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    rng = np.random.default_rng(1)
    extra = {
        "d_grid": rng.random((32, 32)),
        "d_grid_extent": (-2.0, 2.0, -2.0, 2.0),
        "real_points": rng.normal(size=(200, 2)),
    }
    ev = SampleGrid(
        step=50, images=rng.normal(size=(128, 2)).astype(np.float32), kind="points", extra=extra
    )
    view.show_points(ev.step, ev.images, ev.extra)
    assert view.heat.get_visible() and view.heat.get_array().shape == (32, 32)
    assert view.fake.get_offsets().shape == (128, 2)
    assert view.real.get_offsets().shape == (200, 2)
    qtbot.waitUntil(lambda: view.canvas.full_draws >= 1)


def test_toy_view_history_slider_scrubs_back_and_follows_new_frames(qtbot):
    view = ToyView()
    qtbot.addWidget(view)
    view.show()
    frames = [np.full((4, 2), float(k), np.float32) for k in range(3)]
    for k, pts in enumerate(frames):
        view.show_points(10 * (k + 1), pts)
    assert view.slider.maximum() == 2 and view.step == 30
    view.slider.setValue(0)  # scrub back: the first frame's points are drawn
    assert view.step == 10 and np.allclose(view.fake.get_offsets(), frames[0])
    view.show_points(40, frames[1])  # a new frame while scrubbed back: stay there
    assert view.step == 10 and view.slider.maximum() == 3
    view.slider.setValue(3)
    view.show_points(50, frames[2])  # at the newest: follow
    assert view.step == 50 and view.slider.value() == 4


def test_toy_view_counts_modes_covered(qtbot):
    from ganstudio.core.data import load_dataset

    view = ToyView()
    qtbot.addWidget(view)
    view.dataset = "toy:ring"
    ring = load_dataset("toy:ring")
    view.show_points(1, ring.x[:512])
    assert "8/8 modes covered" in view.caption.text()
    view.show_points(2, ring.x[ring.y == 3][:100])  # collapsed onto one mode
    assert "1/8 modes covered" in view.caption.text()


def test_panel_reads_validates_and_applies_defaults(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.select_model("wgan-gp")
    cfg = panel.config()
    wgan = model_defaults("wgan-gp")
    assert cfg.model == "wgan-gp" and cfg.loss == wgan["loss"] and cfg.n_critic == wgan["n_critic"]
    assert cfg.beta2 == pytest.approx(wgan["beta2"])
    panel.set_dataset("toy:ring")
    assert panel.model.currentData() == "mlp"  # toy sets are points: the MLP GAN
    name = next(iter(PRESETS))
    panel.preset.setCurrentText(name)
    assert panel.config().steps == PRESETS[name]["steps"]
    panel.set_dataset("npz:/data/my set.npz")
    assert panel.config().dataset == "npz:/data/my set.npz"
    assert "my set.npz" in panel.dataset.currentText()


def test_panel_refuses_invalid_values_where_typed(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.batch_size.selectAll()
    qtbot.keyClicks(panel.batch_size, "-5")
    panel.batch_size.interpretText()
    assert panel.batch_size.value() >= 1
    panel.lr_g.selectAll()
    qtbot.keyClicks(panel.lr_g, "abc")
    assert panel.lr_g.value() > 0
    panel.steps.selectAll()
    qtbot.keyClick(panel.steps, Qt.Key.Key_Delete)
    panel.steps.interpretText()
    assert panel.config().steps >= 1


def test_panel_validate_error_is_readable(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.set_config(TrainConfig(model="mlp"))
    panel._base = TrainConfig(num_samples=0)  # a field the form does not show
    with pytest.raises(ConfigError, match="num_samples"):
        panel.config()


def test_settings_round_trip():
    s = AppSettings()
    for i in range(12):
        s.add_recent_run(f"/runs/r{i}")
    recent = s.recent_runs()
    assert len(recent) == 10 and recent[0].endswith("r11")
    cfg = TrainConfig(model="mlp", steps=77)
    s.save_config(cfg)
    assert AppSettings().last_config().steps == 77


def test_progress_text():
    assert format_eta(65) == "1:05" and format_eta(3725) == "1:02:05" and format_eta(0) == "--"
    text = progress_text(50, 150, 0.5, 10.0)
    assert "step 50/150" in text and "10.0 steps/s" in text and "ETA 0:10" in text
