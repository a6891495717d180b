"""GANSpace directions, class blending and exports on small real Keras generators."""

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.latent import directions as ld
from ganstudio.core.latent import export as lx
from ganstudio.core.latent import space as lt
from ganstudio.core.latent.sampling import write_samples
from tests.latent_support import (
    KerasGenerator,
    tiny_conditional_model,
    tiny_image_model,
    tiny_points_model,
)


@pytest.fixture(scope="module")
def gen():
    return KerasGenerator(tiny_image_model(latent_dim=8))


@pytest.fixture(scope="module")
def cgen():
    return KerasGenerator(tiny_conditional_model(latent_dim=8, classes=3), num_classes=3)


def test_principal_directions_follow_the_output_variance(gen):
    d = ld.principal_directions(gen, k=4, n_samples=200, seed=1)
    assert d.vectors.shape == (4, 8) and d.source == "output"
    np.testing.assert_allclose(np.linalg.norm(d.vectors, axis=1), 1.0, rtol=1e-5)
    assert np.all(np.diff(d.explained) <= 1e-7) and 0 < d.explained.sum() <= 1
    # moving along the first direction changes the output more than along the last
    z = np.zeros((1, 8), np.float32)
    moves = [np.abs(gen.generate(z + 2 * v) - gen.generate(z - 2 * v)).mean() for v in d.vectors]
    assert moves[0] > moves[-1]


def test_principal_directions_of_an_intermediate_layer(gen):
    assert "fc" in ld.layer_names(gen)
    d = ld.principal_directions(gen, k=3, n_samples=100, layer="fc")
    assert d.vectors.shape == (3, 8) and d.source == "fc"
    with pytest.raises(lt.LatentError, match="no layer named"):
        ld.principal_directions(gen, k=3, n_samples=100, layer="nope")


def test_class_mixer_blends_embeddings_with_exact_endpoints(cgen):
    mixer = ld.ClassMixer(cgen)
    assert mixer.mode == "embedding"
    z = lt.sample_latents(5, 8, 4)
    la, lb = np.zeros(5, np.int32), np.full(5, 2, np.int32)
    mix = np.linspace(0, 1, 5).astype(np.float32)
    out = mixer.generate(z, la, lb, mix)
    np.testing.assert_allclose(out[0], cgen.generate(z[:1], la[:1])[0], atol=1e-5)
    np.testing.assert_allclose(out[-1], cgen.generate(z[-1:], lb[-1:])[0], atol=1e-5)
    cross = 0.5 * (cgen.generate(z[2:3], [0]) + cgen.generate(z[2:3], [2]))
    assert not np.allclose(out[2], cross, atol=1e-3)  # really a blend of embeddings


def test_class_mixer_crossfades_without_an_embedding(cgen):
    class NoModel:  # the same generator without access to its Keras model
        latent_dim, num_classes, kind = 8, 3, "images"
        output_shape = cgen.output_shape
        generate = staticmethod(cgen.generate)

    mixer = ld.ClassMixer(NoModel())
    assert mixer.mode == "crossfade"
    z = lt.sample_latents(1, 8, 4)
    out = mixer.generate(z, [0], [1], [0.25])
    expect = 0.75 * cgen.generate(z, [0]) + 0.25 * cgen.generate(z, [1])
    np.testing.assert_allclose(out, expect, atol=1e-6)


def _label_also_bypasses_the_embedding(latent_dim=8, classes=3):
    """A conditional model whose label reaches the output around its Embedding too."""
    import keras

    z = keras.Input((latent_dim,))
    label = keras.Input((), dtype="int32")
    e = keras.layers.Embedding(classes, 4)(label)
    one_hot = keras.layers.CategoryEncoding(classes, output_mode="one_hot")(label)
    h = keras.layers.Concatenate()([z, e, one_hot])
    h = keras.layers.Dense(16, activation="tanh")(h)
    return keras.Model([z, label], keras.layers.Reshape((4, 4, 1))(h))


def test_class_mixer_crossfades_when_the_graph_cannot_be_split_at_the_embedding():
    g = KerasGenerator(_label_also_bypasses_the_embedding(), num_classes=3)
    mixer = ld.ClassMixer(g)
    assert mixer.mode == "crossfade"
    z = lt.sample_latents(1, 8, 4)
    expect = 0.5 * g.generate(z, [0]) + 0.5 * g.generate(z, [2])
    np.testing.assert_allclose(mixer.generate(z, [0], [2], [0.5]), expect, atol=1e-6)


def test_class_mixer_lets_an_unexpected_error_through(cgen):
    class Broken:  # a model that fails for a reason that has nothing to do with its graph
        inputs = cgen.model.inputs
        get_layer = cgen.model.get_layer

        @property
        def layers(self):
            raise RuntimeError("the model file is damaged")

    class Gen:
        latent_dim, num_classes, kind = 8, 3, "images"
        model = Broken()

    with pytest.raises(RuntimeError, match="the model file is damaged"):
        ld.ClassMixer(Gen())


def test_exports_decode(tmp_path, gen):
    frames = lx.as_images(gen.generate(lt.sample_latents(5, 8, 0)), "images")
    png = lx.save_strip_png(frames, tmp_path / "strip.png")
    with Image.open(png) as im:
        assert im.size == (5 * 8 + 6, 8 + 2)
    gif = lx.save_animation_gif(frames, tmp_path / "a.gif", scale=2)
    with Image.open(gif) as im:
        assert im.n_frames == 5 and im.size == (16, 16)
    files = write_samples(gen, 7, tmp_path / "out dir", seed=3, batch=3)
    assert len(files) == 7 and all(f.exists() for f in files)
    first = np.asarray(Image.open(files[0]), np.float32) / 255
    direct = gen.generate(lt.sample_latents(7, 8, 3))[0, ..., 0]
    np.testing.assert_allclose(first, direct, atol=1 / 255 + 1e-6)
    saved = np.load(tmp_path / "out dir" / "latents.npy")
    np.testing.assert_allclose(saved, lt.sample_latents(7, 8, 3))
    with pytest.raises(lt.LatentError, match="at least 1"):
        write_samples(gen, 0, tmp_path / "x")
    with pytest.raises(lt.LatentError, match="no frames"):
        lx.save_strip_png(np.zeros((0, 8, 8, 1)), tmp_path / "empty.png")


def test_points_generator_exports_csv_and_renders(tmp_path):
    pgen = KerasGenerator(tiny_points_model(), kind="points")
    files = write_samples(pgen, 10, tmp_path, seed=1)
    assert [f.name for f in files] == ["points.csv"]
    assert np.loadtxt(files[0], delimiter=",", skiprows=1).shape == (10, 2)
    pts = np.array([[-2.0, 10.0], [2.0, 30.0]])
    bounds = lx.points_bounds(pts, margin=0.0)
    np.testing.assert_allclose(bounds[0], [-2, 10])
    img = lx.render_points(pts, size=16, bounds=bounds, context=np.array([[0.0, 20.0]]))
    assert img.shape == (2, 16, 16, 1)
    assert img[0, 15, 0, 0] == 1 and img[1, 0, 15, 0] == 1  # lower left, upper right
    assert img[0, 8, 8, 0] == pytest.approx(0.35) and img[0, 0, 15, 0] == 0  # context only
    colors = lx.points_as_colors(pts, bounds)
    np.testing.assert_allclose(colors[:, 0, 0, :2], [[0, 0], [1, 1]])
