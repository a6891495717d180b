"""Dataset spec strings: dispatch, descriptions and clear errors."""

from __future__ import annotations

import pytest

from ganstudio.core.data import DataError, describe_spec, load_dataset
from ganstudio.core.data.source_table import data_sources


def test_every_builtin_spec_has_a_description():
    for source in data_sources():
        for choice in source.choices:
            assert describe_spec(choice.spec) == choice.description
    assert "spaces" in describe_spec("images:/data/with spaces")
    assert describe_spec("npz:/x/y/faces.npz") == "Images from faces.npz (npz)"
    assert describe_spec("audio:/data/drums").startswith("Audio clips")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "no dataset given"),
        ("celeba", "unknown dataset 'celeba'"),
        ("digits:many", "whole number"),
        ("digits:0", "at least 1"),
        ("npz:", "give the path"),
        ("images:", "give a folder"),
    ],
)
def test_bad_specs_are_clear_errors(spec, message):
    with pytest.raises(DataError, match=message):
        load_dataset(spec)


def test_bad_options_are_clear_errors():
    with pytest.raises(DataError, match="channels"):
        load_dataset("toy:ring", channels=2)
    with pytest.raises(DataError, match="limit"):
        load_dataset("toy:ring", limit=0)


def test_limit_caps_toy_sets_and_digits():
    assert len(load_dataset("toy:ring", limit=300)) == 300
    assert len(load_dataset("toy:ring:1000")) == 1000
    assert len(load_dataset("digits:200", limit=50)) == 50


def test_a_path_becomes_the_spec_of_the_source_that_claims_it(tmp_path, drums_dir, mnist_npz):
    from ganstudio.core.data.source_table import mode_coverage_of, spec_for_path

    assert spec_for_path(drums_dir) == f"audio:{drums_dir}"
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.png").write_bytes(b"")
    (mixed / "b.wav").write_bytes(b"")
    (mixed / "c.jpg").write_bytes(b"")
    assert spec_for_path(mixed) == f"images:{mixed}"  # more images than clips
    assert spec_for_path(mnist_npz) == f"npz:{mnist_npz}"
    assert spec_for_path(tmp_path / "none.npz") is None  # no such file
    assert spec_for_path(mixed / "a.png") is None
    ring = load_dataset("toy:ring", limit=400).x
    assert mode_coverage_of("toy:ring:400", ring) == mode_coverage_of("toy:ring", ring) == (8, 8)
    assert mode_coverage_of("toy:spiral", ring) is None
    assert mode_coverage_of("digits", ring) is None and mode_coverage_of("celeba", ring) is None
