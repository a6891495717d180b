"""Latent sampling, truncation, interpolation, paths and map planes (NumPy only)."""

import numpy as np
import pytest

from ganstudio.core.latent import space as lt


def test_sampling_is_reproducible_and_truncation_scales_toward_mean():
    a = lt.sample_latents(4, 16, seed=7)
    b = lt.sample_latents(4, 16, seed=7)
    c = lt.sample_latents(4, 16, seed=8)
    assert a.dtype == np.float32 and a.shape == (4, 16)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    half = lt.sample_latents(4, 16, seed=7, truncation=0.5)
    np.testing.assert_allclose(half, 0.5 * a, rtol=1e-6)
    mean = np.ones(16, np.float32)
    np.testing.assert_allclose(lt.truncate(a, 0.0, mean), np.ones((4, 16)))
    with pytest.raises(lt.LatentError, match="truncation"):
        lt.truncate(a, -1.0)


def test_lerp_and_slerp_hit_endpoints_and_slerp_keeps_norm():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(32), rng.standard_normal(32)
    b *= np.linalg.norm(a) / np.linalg.norm(b)
    t = np.linspace(0, 1, 9)
    for mode in lt.MODES:
        path = lt.interpolate(a, b, t, mode)
        np.testing.assert_allclose(path[0], a, atol=1e-6)
        np.testing.assert_allclose(path[-1], b, atol=1e-6)
    s = lt.slerp(a, b, t)
    np.testing.assert_allclose(np.linalg.norm(s, axis=1), np.linalg.norm(a), rtol=1e-5)
    l_mid = np.linalg.norm(lt.lerp(a, b, 0.5))
    assert l_mid < np.linalg.norm(s[4])  # lerp cuts through the low-density middle
    np.testing.assert_allclose(lt.slerp(a, 2 * a, 0.5), 1.5 * a, rtol=1e-5)  # parallel
    with pytest.raises(lt.LatentError, match="mode"):
        lt.interpolate(a, b, t, "cubic")


def test_keyframe_path_passes_through_every_keyframe():
    keys = [lt.sample_latents(1, 6, s)[0] for s in range(3)]
    path = lt.keyframe_path(keys, 4, "spherical", labels=[0, 2, 1])
    assert len(path) == 9 and path.keyframe_index == (0, 4, 8)
    for k, i in enumerate(path.keyframe_index):
        np.testing.assert_allclose(path.z[i], keys[k], atol=1e-6)
        assert path.mix[i] == 0.0
    assert path.label_from.tolist() == [0] * 4 + [2] * 4 + [1]
    assert path.label_to.tolist() == [2] * 4 + [1] * 4 + [1]
    np.testing.assert_allclose(path.mix[:4], [0, 0.25, 0.5, 0.75])
    with pytest.raises(lt.LatentError, match="two keyframes"):
        lt.keyframe_path(keys[:1], 4)
    with pytest.raises(lt.LatentError, match="same latent size"):
        lt.keyframe_path([keys[0], np.zeros(3)], 4)


def test_compose_decompose_and_plane():
    z = lt.sample_latents(1, 5, 3)[0]
    axes = lt.axis_directions(5, 3)
    anchor, coeffs = lt.decompose(z, axes, absolute=True)
    np.testing.assert_allclose(coeffs, z[:3])
    np.testing.assert_allclose(lt.compose(anchor, coeffs, axes), z, atol=1e-6)
    grid = lt.plane_latents(anchor, coeffs, axes, (0, 2), extent=2.0, cells=4)
    assert grid.shape == (16, 5)
    centres = lt.plane_coords(2.0, 4)
    np.testing.assert_allclose(centres, [-1.5, -0.5, 0.5, 1.5])
    np.testing.assert_allclose(grid[:4, 0], centres)  # left to right along axis 0
    np.testing.assert_allclose(grid[::4, 2], centres[::-1])  # top row is +extent
    np.testing.assert_allclose(grid[:, 1], z[1])  # the other coefficient is kept
    np.testing.assert_allclose(grid[:, 3:], np.broadcast_to(z[3:], (16, 2)))
    with pytest.raises(lt.LatentError, match="two different"):
        lt.plane_latents(anchor, coeffs, axes, (1, 1), 2.0, 4)
    with pytest.raises(lt.LatentError, match=r"shape \(n, 5\)"):
        lt.check_latents(np.zeros((2, 4)), 5)
