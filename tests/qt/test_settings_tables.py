"""The settings form reads the model, data-source and loss tables, and gives back every
field of any config it is shown; the real window trains what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ganstudio.core.config import TrainConfig
from ganstudio.core.data import data_sources
from ganstudio.core.models import get_model, model_names
from ganstudio.core.rundir import RunDir
from ganstudio.qt.app import _apply_args, _parse
from ganstudio.qt.train.settings_form import TrainingPanel
from tests import plugin_example as plugin
from tests.qt.conftest import error_boxes

TIMEOUT = 180_000
SPEC_FOR_KIND = {"images": "npz:/data/faces.npz", "points": "toy:grid", "audio": "audio:/data/kit"}


def every_field_changed(model: str) -> TrainConfig:
    """A config of ``model`` whose every field differs from TrainConfig's defaults."""
    entry = get_model(model)
    return TrainConfig.from_dict(
        dict(
            model=model,
            dataset=SPEC_FOR_KIND[entry.main_kind],
            steps=321,
            epochs=2.5,
            batch_size=24,
            latent_dim=7,
            lr_g=3e-4,
            lr_d=4e-4,
            beta1=0.4,
            beta2=0.95,
            n_critic=3,
            gp_weight=2.5,
            image_size=128 if model != "mlp" else 32,
            channels=3,
            sample_every=17,
            checkpoint_every=170,
            keep_checkpoints=5,
            log_every=7,
            num_samples=36,
            seed=11,
            mixed_precision=True,
            strategy="mirrored",
            devices="GPU:0,GPU:1",
            xla=True,
            tensorboard=False,
            dataset_limit=123,
            options={"note": "kept"},
        )
    ).validate()


@pytest.mark.parametrize("model", model_names())
def test_every_model_round_trips_through_the_form(qtbot, model):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    config = every_field_changed(model)
    panel.set_config(config)
    assert panel.config() == config
    assert panel.model.currentData() == model
    assert panel.model.currentText() == get_model(model).label


def test_the_lists_come_from_the_tables(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    assert [panel.model.itemData(i) for i in range(panel.model.count())] == list(model_names())
    assert [panel.image_size.itemText(i) for i in range(panel.image_size.count())] == [
        "28",
        "32",
        "64",
        "128",
    ]
    entries = [panel.dataset.itemText(i) for i in range(panel.dataset.count())]
    for source in data_sources():
        assert all(choice.label in entries for choice in source.choices)
    assert {"Open .npz…", "Open image folder…", "Open audio folder…"} <= set(entries)


def test_choosing_data_switches_to_a_model_for_its_kind(qtbot, drums_dir):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.select_model("dcgan")
    panel.set_dataset(f"audio:{drums_dir}")  # spectrograms are 1-channel images: it stays
    assert panel.model.currentData() == "dcgan"
    panel.select_model("mlp")
    panel.set_dataset(f"audio:{drums_dir}")  # the MLP does not take audio: the audio model
    assert panel.model.currentData() == "specgan"
    assert panel.config().loss == "wasserstein" and not panel.image_size.isEnabled()
    panel.set_dataset("cifar10")  # images again: a model meant for images, cifar's size
    config = panel.config()
    assert (config.model, config.image_size, config.channels) == ("dcgan", 32, 3)
    panel.set_dataset("toy:ring")
    assert panel.model.currentData() == "mlp"
    panel.set_dataset("digits")  # the MLP trains on images as well: it stays
    assert panel.model.currentData() == "mlp" and panel.config().image_size == 28


def test_open_audio_folder_asks_for_a_folder_and_picks_the_audio_model(
    qtbot, monkeypatch, drums_dir
):
    from PySide6.QtWidgets import QFileDialog

    answers = [str(drums_dir), ""]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: answers.pop(0))
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.select_model("mlp")
    with qtbot.waitSignal(panel.dataset_changed) as changed:
        panel.dataset.setCurrentIndex(panel.dataset.findText("Open audio folder…"))
    assert changed.args == [f"audio:{drums_dir}"] and panel.dataset_spec() == changed.args[0]
    assert panel.model.currentData() == "specgan" and panel.dataset.currentText() == "Audio: drums"
    panel.dataset.setCurrentIndex(panel.dataset.findText("Open audio folder…"))  # cancelled
    assert panel.dataset_spec() == f"audio:{drums_dir}"


def test_editing_steps_drops_the_epochs_of_an_opened_run(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.set_config(TrainConfig(epochs=3.0))
    assert panel.config().epochs == 3.0
    panel.steps.setValue(99)
    assert (panel.config().steps, panel.config().epochs) == (99, None)


def test_start_refuses_wasserstein_on_a_batch_norm_critic(window):
    tv = window.train_view
    tv.panel.select_model("dcgan")
    tv.panel.loss.setCurrentIndex(tv.panel.loss.findData("wasserstein"))
    window.start_action.trigger()
    assert not tv.running
    assert any("batch norm" in text and "wgan-gp" in text for text in error_boxes(window))


def test_a_partial_config_file_opens_with_its_models_defaults(window, tmp_path):
    path = tmp_path / "c.json"
    path.write_text('{"model": "mlp", "dataset": "toy:ring", "steps": 50, "latent_dim": 3}')
    assert _apply_args(window, _parse(["--config", str(path)]))
    config = window.train_view.panel.config()
    assert (config.model, config.steps, config.latent_dim) == ("mlp", 50, 3)
    assert config.lr_g == config.lr_d == pytest.approx(1e-3)  # MLP's, not DCGAN's 2e-4


def test_opening_a_specgan_run_then_start_trains_specgan(window, qtbot, drums_dir, tmp_path):
    tv = window.train_view
    tv.panel.select_model("mlp")  # something else is selected before
    config = TrainConfig.from_dict(
        dict(
            model="specgan",
            dataset=f"audio:{drums_dir}",
            dataset_limit=8,
            steps=2,
            batch_size=2,
            n_critic=2,
            latent_dim=8,
            sample_every=2,
            checkpoint_every=2,
            log_every=1,
            num_samples=4,
            tensorboard=False,
        )
    ).validate()
    opened = RunDir.create(tmp_path / "old", config)
    with qtbot.waitSignal(tv.run_opened, timeout=TIMEOUT):
        assert tv.open_run(str(opened.path))
    assert tv.panel.config() == config
    tv.runs_root = str(tmp_path / "runs")
    window.start_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=TIMEOUT)
    assert tv.last_error is None
    run = RunDir(tv.current_run)
    assert run.read_config() == config and run.read_state()["status"] == "completed"
    assert run.load_samples(2).shape == (4, 128, 128, 1)
    with qtbot.waitSignal(tv.run_opened, timeout=TIMEOUT):
        assert tv.open_run(str(run.path))  # reopened: shown as audio (kept for clicks)
    assert tv.grid_view.sample_at(3, 3) is not None


@pytest.fixture
def registered():
    plugin.register()
    yield
    plugin.unregister()


def test_a_registered_model_trains_from_the_window(registered, window, qtbot, tmp_path):
    tv = window.train_view
    tv.runs_root = str(tmp_path)
    panel = tv.panel
    panel.set_dataset("toy:ring")
    index = panel.model.findText(plugin.MODEL_LABEL)
    assert index >= 0 and panel.model.itemData(index) == plugin.MODEL
    panel.model.setCurrentIndex(index)  # as a person picks it
    assert panel.lr_g.value() == pytest.approx(2e-3)  # its defaults are loaded
    panel.steps.setValue(6)
    panel.sample_every.setValue(3)
    panel.batch_size.setValue(32)
    window.start_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=TIMEOUT)
    assert tv.last_error is None
    run = RunDir(tv.current_run)
    assert Path(run.path).parent == tmp_path
    assert run.read_config().model == plugin.MODEL
    assert run.read_state()["status"] == "completed" and run.sample_steps() == [3, 6]
    assert tv.samples.currentWidget() is tv.toy_view


def test_advanced_group_is_folded_keeps_its_values_and_checks_devices(qtbot):
    from ganstudio.core.config import ConfigError

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.show()
    advanced = panel.advanced
    assert not advanced.body.isVisible()  # folded until asked for
    qtbot.mouseClick(advanced.toggle, Qt.MouseButton.LeftButton)
    assert advanced.body.isVisible()
    advanced.strategy.setCurrentIndex(advanced.strategy.findData("mirrored"))
    advanced.devices.setText("2")
    advanced.xla.setChecked(True)
    panel.select_model("wgan-gp")  # loads the model's defaults, not the advanced fields
    config = panel.config()
    assert (config.strategy, config.devices, config.xla) == ("mirrored", "2", True)
    advanced.devices.setText("GPU zero")
    with pytest.raises(ConfigError, match="devices must be a count"):
        panel.config()
