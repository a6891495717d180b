"""Generator and discriminator factories for every model GAN Studio trains."""

from __future__ import annotations

from typing import Any

from ganstudio.config import TrainConfig
from ganstudio.core.models.spec import ModelSpec

__all__ = ["OUTPUT_RANGES", "ModelSpec", "build_networks", "model_spec", "output_range"]

# The range each model's generator outputs; data are mapped from [0, 1] to it.
OUTPUT_RANGES: dict[str, tuple[float, float]] = {
    "mlp": (0.0, 1.0),
    "dcgan": (-1.0, 1.0),
    "wgan-gp": (-1.0, 1.0),
    "cgan": (-1.0, 1.0),
    "specgan": (-1.0, 1.0),
}


def model_spec(
    config: TrainConfig, example_shape: tuple[int, ...], kind: str, num_classes: int
) -> ModelSpec:
    """The :class:`ModelSpec` for ``config`` on data of the given shape."""
    conditional = config.model == "cgan"
    if conditional and num_classes < 2:
        raise ValueError("the conditional GAN needs a labelled dataset with at least two classes")
    if kind == "points" and config.model != "mlp":
        raise ValueError("2-D point sets train with the MLP GAN (choose model 'mlp')")
    if config.model == "specgan" and kind != "audio":
        raise ValueError("the spectrogram GAN trains on audio: use a dataset 'audio:FOLDER'")
    return ModelSpec(
        latent_dim=config.latent_dim,
        example_shape=tuple(example_shape),
        num_classes=num_classes if conditional else 0,
        kind=kind,
    )


def build_networks(config: TrainConfig, spec: ModelSpec) -> tuple[Any, Any]:
    """Build (generator, discriminator) Keras models for ``config.model``."""
    if config.model == "mlp":
        from ganstudio.core.models.mlp import mlp_discriminator, mlp_generator

        return mlp_generator(spec), mlp_discriminator(spec)
    if config.model in ("dcgan", "cgan"):
        from ganstudio.core.models.dcgan import dcgan_discriminator, dcgan_generator

        return dcgan_generator(spec), dcgan_discriminator(spec)
    if config.model == "wgan-gp":
        from ganstudio.core.models.dcgan import dcgan_discriminator, dcgan_generator

        return dcgan_generator(spec), dcgan_discriminator(spec, batch_norm=False)
    if config.model == "specgan":
        from ganstudio.core.models.specgan import specgan_discriminator, specgan_generator

        return (
            specgan_generator(spec.latent_dim, spec.example_shape),
            specgan_discriminator(spec.example_shape),
        )
    raise ValueError(f"unknown model {config.model!r}")


def output_range(config: TrainConfig, kind: str) -> tuple[float, float] | None:
    """The generator's output range, or None for point data (no scaling)."""
    return None if kind == "points" else OUTPUT_RANGES[config.model]
