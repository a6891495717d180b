"""The proof of one table per concept: a model, a data source and a loss that no file of
GAN Studio names are registered from outside (``tests/plugin_example.py``) and trained
from the command line, in process."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.cli import main
from ganstudio.core.rundir import RunDir, list_runs, training_records
from tests import plugin_example as plugin


@pytest.fixture
def registered():
    plugin.register()
    yield
    plugin.unregister()


def _train(*args: str) -> int:
    return main(
        ["train", *args, "--steps", "4", "--sample-every", "2", "--log-every", "1", "--quiet"]
    )


def test_a_registered_model_trains_from_the_cli(registered, tmp_path, capsys):
    code = _train("--model", "tiny-test", "--dataset", "toy:ring", "--runs-root", str(tmp_path))
    assert code == 0, capsys.readouterr().err
    (info,) = list_runs(tmp_path)
    assert (info.model, info.status, info.step) == ("tiny-test", "completed", 4)
    run = RunDir(info.path)
    config = run.read_config()
    assert config.lr_g == 2e-3 and config.latent_dim == 2  # the entry's defaults
    points = run.load_samples(4)
    assert points.ndim == 2 and points.shape[1] == 2 and np.isfinite(points).all()
    assert run.read_generator_info()["model"] == "tiny-test"
    records = training_records(run.read_metrics()[0])
    assert all("g_mean" in r for r in records)  # its own training model (make_gan) ran


def test_a_registered_data_source_and_loss_train_from_the_cli(registered, tmp_path, capsys):
    code = _train(
        "--model", "mlp", "--dataset", "moons:600", "--loss", "lsq", "--runs-root", str(tmp_path)
    )
    assert code == 0, capsys.readouterr().err
    (info,) = list_runs(tmp_path)
    assert info.status == "completed"
    config = RunDir(info.path).read_config()
    assert (config.dataset, config.loss) == ("moons:600", "lsq")
    records = training_records(RunDir(info.path).read_metrics()[0])
    assert len(records) == 4 and all(np.isfinite(r["d_loss"]) for r in records)


def test_the_cli_lists_registered_entries_in_its_help(registered, capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = capsys.readouterr().out
    assert "tiny-test" in out and "a tiny MLP registered by a test" in out
    assert "moons[:COUNT]" in out and "Least squares" in out


def test_unregistered_names_are_refused_again(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["train", "--model", "tiny-test"])
    assert "invalid choice: 'tiny-test'" in capsys.readouterr().err
