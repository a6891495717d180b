"""Turns generator outputs into the images the explorer shows (no Qt; GUI thread).

Images and spectrograms are shown as generated. 2-D points (data coordinates) are drawn
on a small plot whose bounds and dim background come from the latest latent map, so a
single point is seen against the distribution around it; map cells of a point
generator are coloured by their point (red = x, green = y).
"""

from __future__ import annotations

import numpy as np

from ganstudio.core import imaging
from ganstudio.core.latent import export as lx
from ganstudio.qt.kinds import kind_view


class DisplayMapper:
    """Display images for one generator kind; remembers the map's points for context."""

    def __init__(self, kind: str = "images") -> None:
        self.kind = kind
        self.plane = kind_view(kind).explorer == "plane"  # points, drawn in the plane
        self.bounds: tuple[np.ndarray, np.ndarray] | None = None
        self.context: np.ndarray | None = None

    def _options(self) -> dict:
        if not self.plane:
            return {}
        return dict(bounds=self.bounds, context=self.context)

    def images(self, outputs: np.ndarray) -> np.ndarray:
        """(n, h, w, c) display images for generator outputs (view, strip, animation)."""
        return lx.as_images(outputs, self.kind, **self._options())

    def mosaic(self, outputs: np.ndarray, cells: int) -> np.ndarray:
        """The map mosaic for ``cells`` x ``cells`` outputs (row-major, top row first)."""
        if self.plane:
            pts = np.asarray(outputs, np.float32).reshape(-1, 2)
            self.context = pts
            self.bounds = lx.points_bounds(pts)
            tiles = lx.points_as_colors(pts, self.bounds)
        else:
            tiles = lx.as_images(outputs, self.kind)
        return imaging.tile_grid(tiles, cols=cells, pad=0)
