"""What a model builder needs to know about the data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelSpec:
    """Shapes and ranges shared by a generator and its discriminator."""

    latent_dim: int
    example_shape: tuple[int, ...]  # (h, w, c) for images/spectrograms, (2,) for points
    num_classes: int = 0  # > 0 makes the networks class-conditional
    kind: str = "images"  # images | points | audio

    @property
    def conditional(self) -> bool:
        return self.num_classes > 0
