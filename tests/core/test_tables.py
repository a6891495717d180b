"""The model, data-source and loss tables: the rules config and training read from them."""

from __future__ import annotations

import json
from importlib import metadata
from importlib.metadata import EntryPoint

import pytest

from ganstudio.cli import build_parser, config_from_args
from ganstudio.core import tables
from ganstudio.core.config import PRESETS, ConfigError, TrainConfig, model_defaults
from ganstudio.core.data import source_kind
from ganstudio.core.losses import get_loss, loss_names
from ganstudio.core.models import get_model, model_names, model_spec, output_range
from ganstudio.core.trainer import Trainer
from tests import plugin_example as plugin
from tests.core.helpers import tiny_config


@pytest.mark.parametrize("model", ["dcgan", "cgan"])
def test_wasserstein_on_a_batch_norm_critic_is_refused_with_the_way_out(model):
    config = TrainConfig(model=model, loss="wasserstein", gp_weight=10.0)
    with pytest.raises(ConfigError) as err:
        config.validate()
    text = str(err.value)
    assert f"model {model!r}" in text and "batch norm" in text and "gradient penalty" in text
    assert "loss bce or hinge" in text
    assert ("model wgan-gp" in text) == (model == "dcgan")  # no conditional GP model exists


def test_the_trainer_refuses_it_too_before_touching_a_critic(mnist_npz, tmp_path):
    config = tiny_config(mnist_npz, "dcgan", steps=2)
    config.loss = "wasserstein"
    final = Trainer(config, runs_root=tmp_path).run()
    assert type(final).__name__ == "Failed" and "batch norm" in final.message


def test_the_penalty_follows_the_loss_and_its_weight():
    assert TrainConfig(model="wgan-gp").with_model_defaults().validate().uses_gradient_penalty
    assert TrainConfig(model="mlp", loss="wasserstein").validate().uses_gradient_penalty
    no_weight = TrainConfig(model="dcgan", loss="wasserstein", gp_weight=0.0).validate()
    assert not no_weight.uses_gradient_penalty
    assert not TrainConfig(model="wgan-gp", loss="hinge").validate().uses_gradient_penalty
    assert [name for name in loss_names() if get_loss(name).gradient_penalty] == ["wasserstein"]
    assert [name for name in loss_names() if get_loss(name).logits] == ["bce"]


def test_every_model_entry_validates_with_its_defaults_and_presets_too():
    assert model_names()[:5] == ("mlp", "dcgan", "wgan-gp", "cgan", "specgan")
    for name in model_names():
        entry = get_model(name)
        config = TrainConfig(model=name).with_model_defaults().validate()
        assert config.loss == entry.defaults["loss"]
        assert entry.label and entry.description
    for values in PRESETS.values():
        TrainConfig.from_dict(values).validate()
    with pytest.raises(ConfigError, match="model must be one of mlp, dcgan"):
        model_defaults("stylegan")


def test_model_entries_decide_data_kinds_ranges_and_labels():
    mlp, cgan = TrainConfig(model="mlp"), TrainConfig(model="cgan")
    assert output_range(mlp, "points") is None and output_range(mlp, "images") == (0.0, 1.0)
    assert output_range(TrainConfig(model="specgan"), "audio") == (-1.0, 1.0)
    assert model_spec(cgan, (28, 28, 1), "images", 10).num_classes == 10
    assert model_spec(mlp, (28, 28, 1), "images", 10).num_classes == 0
    with pytest.raises(ValueError, match="labelled dataset"):
        model_spec(cgan, (28, 28, 1), "images", 0)
    with pytest.raises(ValueError, match=r"not 2-D points \(choose model mlp\)"):
        model_spec(TrainConfig(model="dcgan"), (2,), "points", 0)
    with pytest.raises(ValueError, match="choose model specgan or melgan or dcgan or wgan-gp"):
        model_spec(mlp, (128, 128, 1), "audio", 0)


def test_the_kind_of_a_spec_is_known_without_loading(tmp_path):
    assert source_kind("toy:ring") == source_kind("toy:spiral:300") == "points"
    assert source_kind("audio:/nowhere") == "audio"
    for spec in ("digits", "digits:50", "MNIST", "cifar-10", "x.npz", f"{tmp_path}"):
        assert source_kind(spec) == "images", spec
    assert source_kind("celeba") is None and source_kind("") is None


def test_a_partial_config_file_takes_its_models_defaults(tmp_path):
    path = tmp_path / "mlp.json"
    path.write_text(json.dumps({"model": "mlp", "dataset": "toy:ring", "steps": 50}))
    config = config_from_args(build_parser().parse_args(["train", "--config", str(path)]))
    assert (config.lr_g, config.lr_d, config.latent_dim) == (1e-3, 1e-3, 2)  # MLP's, not DCGAN's
    assert config.steps == 50 and config.dataset == "toy:ring"
    flags = ["train", "--config", str(path), "--model", "wgan-gp", "--lr-g", "5e-4"]
    config = config_from_args(build_parser().parse_args(flags))
    assert (config.model, config.loss, config.n_critic, config.lr_g) == (
        "wgan-gp",
        "wasserstein",
        5,
        5e-4,
    )  # the flag's model decides the defaults; explicit flags win
    full = TrainConfig(model="mlp", lr_g=3e-4)  # an old run's config.json names every field
    full.to_json(tmp_path / "old.json")
    assert TrainConfig.from_json(tmp_path / "old.json") == full


def test_plugins_load_once_and_a_broken_one_only_warns(monkeypatch):
    found = [
        EntryPoint("broken", "tests.no_such_module:register", tables.PLUGIN_GROUP),
        EntryPoint("example", "tests.plugin_example:register", tables.PLUGIN_GROUP),
    ]
    calls = []

    def entry_points(group):
        calls.append(group)
        return found

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    monkeypatch.setattr(tables, "_plugins_loaded", False)
    try:
        with pytest.warns(RuntimeWarning, match="plugin 'broken'"):
            assert "tiny-test" in model_names()  # listing a table loads the plugins
        assert get_loss("lsq").label == "Least squares" and source_kind("moons") == "points"
        assert model_names().count("tiny-test") == 1 and calls == [tables.PLUGIN_GROUP]
    finally:
        plugin.unregister()


def test_every_models_defaults_say_whether_to_sample_from_the_weight_average():
    assert all("ema_decay" in model_defaults(name) for name in model_names())
    mlp = TrainConfig.from_dict({"model": "mlp", "dataset": "toy:ring"})
    assert mlp.ema_decay == model_defaults("mlp")["ema_decay"] > 0
    mlp.model = "wgan-gp"  # a model chosen later does not keep the MLP's average
    assert mlp.with_model_defaults().ema_decay == model_defaults("wgan-gp")["ema_decay"] == 0
