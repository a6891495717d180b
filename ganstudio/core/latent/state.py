"""The latent explorer's current point, directions, map plane and keyframes.

Plain Python + NumPy (no Qt); owned and mutated by the explorer on the GUI thread.
The current latent is ``anchor + coeffs @ basis``: with coordinate axes the sliders
hold the latent's own first coordinates, with principal directions they hold offsets
from the point where the directions were chosen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ganstudio.core.latent import space as lt

MAX_DIRECTIONS = 8


class LatentState:
    """Current point, basis, map settings and keyframes of one explorer."""

    def __init__(self) -> None:
        self.latent_dim = 0
        self.num_classes = 0
        self.label: int | None = None
        self.basis = np.zeros((0, 0), np.float32)
        self.absolute = True
        self.anchor = np.zeros(0, np.float32)
        self.coeffs = np.zeros(0, np.float32)
        self.map_axes = (0, 1)
        self.extent = 3.0
        self.cells = 20
        self.keyframes: list[tuple[np.ndarray, int | None]] = []

    def configure(self, latent_dim: int, num_classes: int) -> None:
        self.latent_dim, self.num_classes = int(latent_dim), int(num_classes)
        self.label = 0 if self.num_classes else None
        self.basis = lt.axis_directions(self.latent_dim, MAX_DIRECTIONS)
        self.absolute = True
        self.anchor = np.zeros(self.latent_dim, np.float32)
        self.coeffs = np.zeros(len(self.basis), np.float32)
        self.map_axes = (0, 1) if len(self.basis) > 1 else (0, 0)
        self.keyframes = []

    def latent(self) -> np.ndarray:
        return lt.compose(self.anchor, self.coeffs, self.basis)

    def reseed(self, seed: int, truncation: float) -> None:
        """Move to the seed's latent (truncated), keeping the current basis."""
        z = lt.sample_latents(1, self.latent_dim, seed, truncation)[0]
        self.anchor, self.coeffs = lt.decompose(z, self.basis, self.absolute)

    def use_axes(self) -> None:
        z = self.latent()
        self.basis = lt.axis_directions(self.latent_dim, MAX_DIRECTIONS)
        self.absolute = True
        self.anchor, self.coeffs = lt.decompose(z, self.basis, True)

    def use_directions(self, vectors: np.ndarray) -> None:
        """Sliders now move along ``vectors`` (k, d), starting from the current point."""
        z = self.latent()
        self.basis = np.asarray(vectors, np.float32)[:MAX_DIRECTIONS]
        self.absolute = False
        self.anchor, self.coeffs = lt.decompose(z, self.basis, False)
        if max(self.map_axes) >= len(self.basis):
            self.map_axes = (0, 1)

    def slider_names(self) -> list[str]:
        prefix = "z" if self.absolute else "pc"
        return [f"{prefix}{i}" for i in range(len(self.basis))]

    def labels(self, n: int) -> np.ndarray | None:
        return None if self.label is None else np.full(n, self.label, np.int32)

    def map_latents(self) -> np.ndarray:
        """Latents of the cells x cells map over the two map directions."""
        if len(self.basis) < 2:  # a 1-D latent: the map's vertical axis is constant
            basis = np.concatenate([self.basis, np.zeros_like(self.basis)])
            coeffs = np.concatenate([self.coeffs, [0.0]]).astype(np.float32)
            return lt.plane_latents(self.anchor, coeffs, basis, (0, 1), self.extent, self.cells)
        return lt.plane_latents(
            self.anchor, self.coeffs, self.basis, self.map_axes, self.extent, self.cells
        )

    def path(self, mode: str, frames_per_segment: int) -> lt.LatentPath:
        keys = [z for z, _ in self.keyframes]
        labels = [int(lab) for _, lab in self.keyframes] if self.num_classes else None
        return lt.keyframe_path(keys, frames_per_segment, mode, labels)

    def keyframe_descriptions(self, info: Any) -> list[str]:
        out = []
        for i, (z, label) in enumerate(self.keyframes):
            head = ", ".join(f"{v:+.2f}" for v in z[:3])
            text = f"{i + 1}: |z| = {np.linalg.norm(z):.2f}, z = ({head}, …)"
            if label is not None and info is not None:
                text += f", class {info.class_names[label]}"
            out.append(text)
        return out
