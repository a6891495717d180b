"""FastGenerator gives exactly what LoadedGenerator.generate gives, for every kind."""

import numpy as np
import pytest

from ganstudio.core.config import TrainConfig
from ganstudio.core.generator import LoadedGenerator
from ganstudio.core.latent.render import FastGenerator
from ganstudio.core.latent.space import LatentError, sample_latents
from ganstudio.core.models import build_networks, model_spec, output_range
from tests.latent_support import tiny_points_model


def project_generator(model: str, latent_dim: int = 8) -> LoadedGenerator:
    config = TrainConfig(model=model, latent_dim=latent_dim)
    classes = 10 if model == "cgan" else 0
    net, _ = build_networks(config, model_spec(config, (28, 28, 1), "images", classes))
    info = dict(
        latent_dim=latent_dim,
        num_classes=classes,
        class_names=[str(i) for i in range(classes)],
        output_shape=[28, 28, 1],
        kind="images",
        output_range=list(output_range(config, "images")),
    )
    return LoadedGenerator.from_model(net, info)


@pytest.mark.parametrize("model", ["dcgan", "cgan", "mlp"])
def test_fast_generator_matches_loaded_generator(model):
    gen = project_generator(model)
    fast = FastGenerator(gen)
    for n in (1, 7, 400):  # one trace serves every batch size
        z = sample_latents(n, 8, n)
        labels = (np.arange(n) % 10).astype(np.int32) if gen.num_classes else None
        np.testing.assert_allclose(fast.generate(z, labels), gen.generate(z, labels), atol=1e-5)
    assert fast.traced
    if gen.num_classes:
        with pytest.raises(ValueError, match="class labels"):
            fast.generate(sample_latents(1, 8, 0), [12])
    with pytest.raises(LatentError, match="shape"):
        fast.generate(np.zeros((2, 3)))


def test_points_stay_in_data_coordinates():
    info = dict(latent_dim=2, num_classes=0, output_shape=[2], kind="points")
    gen = LoadedGenerator.from_model(tiny_points_model(), info)
    z = sample_latents(5, 2, 1)
    np.testing.assert_allclose(FastGenerator(gen).generate(z), gen.generate(z), atol=1e-6)


def test_generators_without_a_model_pass_through():
    class Plain:
        latent_dim, num_classes, kind, output_shape = 2, 0, "points", (2,)

        def generate(self, z, labels=None):
            return np.asarray(z) * 2

    np.testing.assert_allclose(FastGenerator(Plain()).generate([[1.0, 2.0]]), [[2.0, 4.0]])
