"""The proof of the kinds table: a kind of output no file of GAN Studio names (1-D curves,
``tests/kind_example.py``), with a model that makes it and a data source of it, is
trained, sampled and evaluated from the command line, in process."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.cli import main
from ganstudio.core.imaging import load_png
from ganstudio.core.kinds import get_kind, kind_names
from ganstudio.core.rundir import RunDir, list_runs
from ganstudio.core.tables import UnknownName
from tests import kind_example as curves


@pytest.fixture
def registered():
    curves.register()
    yield
    curves.unregister()


@pytest.fixture
def trained(registered, tmp_path, capsys):
    code = main(
        [
            "train",
            "--model",
            curves.MODEL,
            "--dataset",
            "waves:400",
            "--steps",
            "6",
            "--batch-size",
            "32",
            "--sample-every",
            "3",
            "--eval-every",
            "3",
            "--eval-samples",
            "100",
            "--runs-root",
            str(tmp_path / "runs"),
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr().err
    (info,) = list_runs(tmp_path / "runs")
    assert info.status == "completed" and info.step == 6
    return RunDir(info.path)


def test_the_built_in_kinds_are_entries_and_a_plugins_kind_joins_them(registered):
    assert kind_names()[:5] == ("images", "points", "audio", "waveform", "vocoder")
    assert get_kind(curves.KIND) is curves.CURVES
    assert get_kind("points").plane and not get_kind("points").scaled
    assert get_kind("audio").spectrogram and get_kind("vocoder").from_noise is False


def test_a_model_for_an_unknown_kind_is_refused():
    from ganstudio.core.models import ModelEntry

    with pytest.raises(ValueError, match="data kinds must be some of images, points"):
        ModelEntry("x", "x", "x", build=curves.curve_networks, data_kinds={"curves": None})
    with pytest.raises(UnknownName):
        get_kind("curves")


def test_a_registered_kind_trains_saves_its_tiles_and_is_evaluated(trained):
    run = trained
    assert run.read_generator_info()["kind"] == curves.KIND
    samples = run.load_samples(6)
    assert samples.shape[1:] == (curves.LENGTH,) and np.isfinite(samples).all()
    png = load_png(run.sample_path(6, "png"))  # the grid of line-plot tiles the kind draws
    tile_h = curves.TILE_HEIGHT
    assert png.shape[0] >= 2 * tile_h and png.max() == 1.0  # enlarged x2: small tiles
    records, _ = run.read_metrics()
    evals = [r for r in records if r.get("type") == "eval"]
    assert evals and all(r["extractor"] == "points" for r in evals)  # the kind's extractor
    assert all(np.isfinite(r["fd"]) for r in evals)


def test_a_registered_kind_is_sampled_and_evaluated_from_the_cli(trained, tmp_path, capsys):
    run = trained
    grid = tmp_path / "grid.png"
    assert main(["sample", str(run.path), "-n", "8", "--seed", "1", "--out", str(grid)]) == 0
    image = load_png(grid)
    assert image.shape[1] >= 4 * curves.LENGTH  # 3 × 3 grid of 64-wide curve tiles, or more
    folder = tmp_path / "each"
    assert main(["sample", str(run.path), "-n", "3", "--out", str(folder)]) == 0
    assert sorted(p.name for p in folder.glob("sample_*.png")) == [
        f"sample_0000{i}.png" for i in range(3)
    ]
    assert load_png(folder / "sample_00000.png").shape == (curves.TILE_HEIGHT, curves.LENGTH, 1)
    capsys.readouterr()
    assert main(["eval", str(run.path), "--checkpoint", "latest", "-n", "60"]) == 0
    out = capsys.readouterr().out
    assert "points features" in out and "Fréchet distance" in out


def test_a_data_source_of_an_unknown_kind_is_refused():
    from ganstudio.core.data.source_table import DataSource

    with pytest.raises(ValueError, match="register_kind first"):
        DataSource("waves", "curves", curves.sine_waves, "waves", "Waves", str)
