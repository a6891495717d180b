"""2-D toy sets: shapes, determinism, modes and the mode-coverage measure."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.data import DataError, load_dataset
from ganstudio.core.data.toy2d import high_quality_share, mode_coverage, toy_shape


@pytest.mark.parametrize(("spec", "modes"), [("toy:ring", 8), ("toy:grid", 25), ("toy:spiral", 12)])
def test_shape_range_and_determinism(spec, modes):
    a = load_dataset(spec, seed=4)
    b = load_dataset(spec, seed=4)
    c = load_dataset(spec, seed=5)
    assert a.kind == "points" and a.name == spec
    assert a.x.dtype == np.float32 and a.x.shape == (20_000, 2)
    assert np.abs(a.x).max() < 2.5  # "roughly within [-2, 2]"
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    assert len(a.meta["modes"]) == modes
    assert mode_coverage(a.x, spec) == (modes, modes)
    assert high_quality_share(a.x, spec) > 0.95


def test_labels_are_the_mode_index():
    ds = load_dataset("toy:grid", limit=5000, seed=1)
    assert len(ds) == 5000 and ds.num_classes == 25
    centres = np.asarray(ds.meta["modes"])
    nearest = np.linalg.norm(ds.x[:, None] - centres[None], axis=2).argmin(axis=1)
    np.testing.assert_array_equal(nearest, ds.y)
    assert load_dataset("toy:spiral").y is None


def test_mode_collapse_is_measured():
    centres = toy_shape("ring").centres
    rng = np.random.default_rng(0)
    # A generator stuck on 3 of the 8 modes.
    stuck = centres[rng.integers(0, 3, 1000)] + rng.normal(0, 0.02, (1000, 2))
    assert mode_coverage(stuck, "toy:ring") == (3, 8)
    # Points between the modes cover nothing and are not high quality.
    assert mode_coverage(np.zeros((500, 2)), "toy:ring") == (0, 8)
    assert high_quality_share(np.zeros((500, 2)), "ring") == 0.0
    # A mode visited by a mere handful of points does not count.
    few = np.concatenate([stuck, centres[7:8].repeat(5, axis=0)])
    assert mode_coverage(few, "toy:ring") == (3, 8)
    # Half a spiral covers about half of its 12 stretches.
    spiral = load_dataset("toy:spiral", limit=4000).x
    inner = spiral[np.linalg.norm(spiral, axis=1) < 1.3]
    covered, total = mode_coverage(inner, "toy:spiral")
    assert total == 12 and 4 <= covered <= 8
    # NaN output from a diverged generator is never counted as a hit.
    assert mode_coverage(np.full((100, 2), np.nan), "toy:ring") == (0, 8)


def test_unknown_toy_set_is_a_clear_error():
    with pytest.raises(DataError, match="ring, grid, spiral"):
        load_dataset("toy:moons")
