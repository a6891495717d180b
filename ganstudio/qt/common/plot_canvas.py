"""A matplotlib canvas that redraws cheaply: blit the changing artists over a cached background.

A full draw (axes, ticks, labels, legend) happens only on ``draw_idle`` — after a resize,
or when the caller changes limits or scales. Between full draws :meth:`BlitCanvas.update_artists`
restores the cached background and draws just the animated artists (lines, scatters, the
heat map), which keeps the GUI thread's event loop responsive. GUI thread only.
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt


class BlitCanvas(FigureCanvasQTAgg):
    """FigureCanvasQTAgg with a blitting fast path for its ``animated`` artists."""

    def __init__(self, figure: Figure | None = None) -> None:
        super().__init__(figure or Figure(figsize=(5, 3), layout="constrained"))
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click on a plot focuses its view
        self._animated: list[Artist] = []
        self._background = None
        self._full_pending = True
        self.full_draws = 0
        self.blits = 0
        self.mpl_connect("draw_event", self._on_draw)

    def add_animated(self, artist: Artist) -> Artist:
        """Register an artist that changes often; it is drawn only by blitting."""
        artist.set_animated(True)
        self._animated.append(artist)
        return artist

    @property
    def full_draw_pending(self) -> bool:
        return self._full_pending

    def request_full_draw(self) -> None:
        """Limits, scales or text changed: schedule one complete redraw."""
        self._full_pending = True
        self._background = None
        self.draw_idle()

    def update_artists(self) -> None:
        """Redraw the animated artists (a full draw happens instead if one is due)."""
        if self._background is None or self._full_pending:
            self.request_full_draw()
            return
        self.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible() and artist.axes is not None:
                artist.axes.draw_artist(artist)
        self.blit(self.figure.bbox)
        self.blits += 1

    def _on_draw(self, _event) -> None:
        # Called after every full draw (ours or Qt's resize): cache the background without
        # the animated artists, then paint those on top.
        self.full_draws += 1
        self._full_pending = False
        self._background = self.copy_from_bbox(self.figure.bbox)
        for artist in self._animated:
            if artist.get_visible() and artist.axes is not None:
                artist.axes.draw_artist(artist)
