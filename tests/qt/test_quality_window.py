"""Quality metrics in the real window: the metric plot (best step, click to see a grid),
the health banner, the compare dialog, the explorer's best generator, the form's fields
and the toy heat map filling the plot. Runs are real, a few steps each."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from ganstudio.core.checkpoints import read_best
from ganstudio.core.events import EvalMetrics, HealthWarning
from ganstudio.core.rundir import RunDir
from ganstudio.core.trainer import Trainer
from ganstudio.qt.compare.dialog import CompareDialog
from tests.core.helpers import Recorder, tiny_config
from tests.qt.scripted_trainer import ScriptedTrainer
from tests.qt.test_training_window import TIMEOUT

pytestmark = pytest.mark.slow


def train(root: Path, config) -> str:
    final = Trainer(config, runs_root=root, emit=Recorder()).run()
    assert type(final).__name__ == "Finished", getattr(final, "traceback", final)
    return final.run_dir


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, mnist_npz):
    """Two DCGAN runs that differ in lr_d, measured every 2 steps."""
    root = tmp_path_factory.mktemp("runs")
    common = dict(steps=6, eval_every=2, eval_samples=64)
    return [
        train(root, tiny_config(mnist_npz, "dcgan", **common)),
        train(root, tiny_config(mnist_npz, "dcgan", lr_d=4e-4, **common)),
    ]


def click_point(qtbot, plot, x: float, y: float) -> None:
    """A real mouse click on data point (x, y) of the metric plot's canvas."""
    plot.canvas.draw()
    px, py = plot.ax.transData.transform((x, y))
    ratio = plot.canvas.device_pixel_ratio or 1
    pos = QPoint(int(px / ratio), int(plot.canvas.height() - py / ratio))
    qtbot.mouseClick(plot.canvas, Qt.MouseButton.LeftButton, pos=pos)


def test_opened_run_shows_its_metric_curve_best_step_and_grid_on_click(window, qtbot, two_runs):
    tv = window.train_view
    with qtbot.waitSignal(tv.run_opened, timeout=60_000):
        assert tv.open_run(two_runs[0])
    plot = tv.metric_plot
    assert plot.choice.currentText() == "Fréchet distance (digit classifier)"
    assert plot.ax.get_ylabel() == "Fréchet distance (lower is better)"  # the metric table's
    steps, values = plot.series.points("digit-classifier", "fd")
    assert steps[0] == 2 and steps[-1] == 6 and np.isfinite(values).all()  # 4 may be skipped
    best = read_best(RunDir(two_runs[0]).checkpoints_dir)["step"]
    assert plot.best_line.get_visible() and plot.best_line.get_xdata()[0] == best
    assert f"step {best}" in plot.caption.text()
    tv.grid_view.slider.setValue(len(tv.grid_view.steps) - 1)
    with qtbot.waitSignal(plot.step_clicked, timeout=5000) as clicked:
        click_point(qtbot, plot, 2, values[0])
    assert clicked.args == [2]
    assert tv.grid_view.steps[tv.grid_view.current_index] == 2
    plot.choice.setCurrentIndex(plot.choice.findText("recall (digit classifier)"))
    assert plot.ax.get_ylabel() == "recall (higher is better)"


def test_live_evaluations_and_warnings_reach_the_plot_and_banner(window, qtbot, mnist_npz):
    class Warns(ScriptedTrainer):
        """Reports an evaluation and a warning right after starting."""

        def run(self):
            emit = self.emit

            def emit_then_report(event):
                emit(event)
                if type(event).__name__ == "Started":
                    values = {"fd": 50.0, "recall": 0.4}
                    emit(EvalMetrics(4, "digit-classifier", values, best=True))
                    emit(HealthWarning(5, "discriminator", "D(x) = 0.99 since step 1. Try x."))

            self.emit = emit_then_report
            return super().run()

    tv = window.train_view
    tv.trainer_factory = lambda config, **kw: Warns(config, **kw)
    tv.panel.set_config(tiny_config(mnist_npz, "mlp", steps=10, sample_every=5))
    assert not tv.banner.isVisible()
    window.start_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=TIMEOUT)
    assert tv.banner.isVisible() and "Discriminator winning" in tv.banner.text
    assert "Try x." in tv.banner.text
    assert tv.metric_plot.series.best_step("digit-classifier") == 4
    tv.banner.close_button.click()
    assert not tv.banner.isVisible()


def test_a_run_folder_with_a_warning_shows_the_banner_when_opened(
    window, qtbot, two_runs, tmp_path
):
    run = RunDir(two_runs[1])
    with open(run.metrics_path, "a") as f:
        f.write(json.dumps({"type": "warning", "step": 6, "kind": "collapse", "message": "M."}))
        f.write("\n")
    with qtbot.waitSignal(window.train_view.run_opened, timeout=60_000):
        assert window.train_view.open_run(str(run.path))
    assert (
        window.train_view.banner.isVisible() and "Mode collapse?" in window.train_view.banner.text
    )
    assert window.train_view.loss_plot.series.last_step == 6  # warnings are not loss points


def test_compare_dialog_overlays_runs_and_names_their_differences(window, qtbot, two_runs):
    with qtbot.waitSignal(window.train_view.run_opened, timeout=60_000):
        window.train_view.open_run(two_runs[0])
    window.compare_action.trigger()
    dialog = window.compare_dialog
    assert isinstance(dialog, CompareDialog) and dialog.isVisible()
    assert [r.path for r in dialog.runs] == [two_runs[0]]
    assert dialog.add_run(two_runs[1])
    assert dialog.run_list.count() == 2
    rows = [dialog.settings.verticalHeaderItem(i).text() for i in range(dialog.settings.rowCount())]
    assert rows == ["lr_d"]
    assert dialog.settings.item(0, 1).text() == "0.0004"
    assert dialog.curves.drawn_lines() == {"train": 2, "metric": 2}
    assert "Fréchet distance" in dialog.curves.metric.currentText()
    dialog.curves.x_axis.setCurrentIndex(1)  # wall time
    assert "minutes" in dialog.curves.ax_metric.get_xlabel()
    assert len(dialog.grid_views) == 2 and all(v.array() is not None for v in dialog.grid_views)
    assert not dialog.add_run(str(Path(two_runs[0]).parent))  # not a run: a message, kept
    assert len(dialog.runs) == 2
    dialog.remove_run(0)
    assert dialog.curves.drawn_lines()["train"] == 1 and dialog.settings.rowCount() == 0
    dialog.close()


def test_explorer_loads_the_best_or_the_latest_generator(explorer, qtbot, two_runs):
    snapshot = explorer.controls.snapshot
    with qtbot.waitSignal(explorer.generator_ready, timeout=60000) as ready:
        explorer.load_path(two_runs[0])
    assert snapshot.isEnabled() and ready.args[0].source == two_runs[0]
    with qtbot.waitSignal(explorer.generator_ready, timeout=60000) as ready:
        snapshot.setCurrentIndex(snapshot.findData("best"))
    assert ready.args[0].source == str(Path(two_runs[0]) / "generator" / "best")


def test_form_carries_metric_cadence_and_augmentation(window):
    panel = window.train_view.panel
    assert panel.eval_every.text() == "auto" and panel.config().eval_every is None
    panel.eval_every.setValue(0)
    assert panel.eval_every.text() == "off" and panel.config().eval_every == 0
    panel.eval_every.setValue(250)
    panel.augment.setCurrentIndex(panel.augment.findData("diffaugment"))
    config = panel.config()
    assert (config.eval_every, config.augment) == (250, "diffaugment")
    panel.set_config(config.__class__(eval_every=None))
    assert panel.eval_every.text() == "auto" and panel.augment.currentData() == "none"


def test_toy_heat_map_fills_the_plotted_area(window, qtbot, mnist_npz):
    tv = window.train_view
    tv.panel.set_config(
        tiny_config(mnist_npz, "mlp", dataset="toy:ring", latent_dim=2, steps=8, batch_size=32,
                    sample_every=4, eval_every=0)
    )  # fmt: skip
    window.start_action.trigger()
    qtbot.waitUntil(lambda: not tv.running and tv.toy_view.updates >= 2, timeout=TIMEOUT)
    view = tv.toy_view
    x0, x1, y0, y1 = view.heat.get_extent()
    assert view.ax.get_xlim() == pytest.approx((x0, x1)) and view.ax.get_ylim() == pytest.approx(
        (y0, y1)
    )
    points = np.concatenate([view.fake.get_offsets(), view.real.get_offsets()])
    inside = (
        (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    )
    assert inside.all()
