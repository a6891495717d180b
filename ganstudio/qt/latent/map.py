"""The 2-D latent map: a mosaic of generated images laid over a latent plane.

The plane spans two latent directions from -extent to +extent (x to the right, y up).
Clicking or dragging picks a point and emits its plane coordinates; a marker shows the
current point. GUI thread only.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ganstudio.qt.common.images import array_to_qimage


class LatentMapView(QWidget):
    """Shows a mosaic over [-extent, extent]^2 and reports clicked plane coordinates."""

    point_picked = Signal(float, float)  # (x, y) in plane coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(200, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._mosaic: QImage | None = None
        self._mosaic_array: np.ndarray | None = None
        self._extent = 3.0
        self._marker: tuple[float, float] | None = None
        self._axis_names = ("x", "y")

    # ------------------------------------------------------------------ state
    def set_mosaic(self, mosaic: np.ndarray, extent: float) -> None:
        """Show ``mosaic`` (float (H, W, c) in [0, 1]) spanning [-extent, extent]^2."""
        self._mosaic_array = np.asarray(mosaic, np.float32)
        self._mosaic = array_to_qimage(self._mosaic_array)
        self._extent = float(extent)
        self.update()

    def mosaic(self) -> np.ndarray | None:
        """The mosaic shown now (None before the first one)."""
        return self._mosaic_array

    def set_extent(self, extent: float) -> None:
        self._extent = float(extent)
        self.update()

    def extent(self) -> float:
        return self._extent

    def set_marker(self, x: float, y: float) -> None:
        self._marker = (float(x), float(y))
        self.update()

    def set_axis_names(self, horizontal: str, vertical: str) -> None:
        self._axis_names = (horizontal, vertical)
        self.update()

    # ------------------------------------------------------------- geometry
    def plane_rect(self) -> QRectF:
        """The square, in widget pixels, that the plane occupies."""
        side = max(1.0, min(self.width(), self.height()) - 2.0)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def pixel_to_plane(self, pos: QPointF) -> tuple[float, float]:
        """Plane coordinates of a widget position, clamped to the plane."""
        r = self.plane_rect()
        fx = min(max((pos.x() - r.left()) / r.width(), 0.0), 1.0)
        fy = min(max((pos.y() - r.top()) / r.height(), 0.0), 1.0)
        e = self._extent
        return (-e + 2 * e * fx, e - 2 * e * fy)

    def plane_to_pixel(self, x: float, y: float) -> QPointF:
        r = self.plane_rect()
        e = self._extent
        return QPointF(
            r.left() + (x + e) / (2 * e) * r.width(), r.top() + (e - y) / (2 * e) * r.height()
        )

    # ------------------------------------------------------------------ events
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pick(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pick(event.position())

    def _pick(self, pos: QPointF) -> None:
        x, y = self.pixel_to_plane(pos)
        self.set_marker(x, y)
        self.point_picked.emit(x, y)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(32, 32, 32))
        r = self.plane_rect()
        if self._mosaic is not None:
            p.drawImage(r, self._mosaic)
        else:
            p.setPen(QColor(180, 180, 180))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "latent map")
        p.setPen(QPen(QColor(90, 90, 90), 1, Qt.PenStyle.DashLine))
        centre = self.plane_to_pixel(0.0, 0.0)
        p.drawLine(QPointF(r.left(), centre.y()), QPointF(r.right(), centre.y()))
        p.drawLine(QPointF(centre.x(), r.top()), QPointF(centre.x(), r.bottom()))
        p.setPen(QColor(200, 200, 200))
        inner = r.adjusted(4, 2, -4, -2)
        align = Qt.AlignmentFlag
        p.drawText(inner, align.AlignBottom | align.AlignRight, self._axis_names[0])
        p.drawText(inner, align.AlignTop | align.AlignLeft, self._axis_names[1])
        if self._marker is not None:
            m = self.plane_to_pixel(*self._marker)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(QColor(255, 60, 60), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(m, 6.0, 6.0)
            p.drawLine(QPointF(m.x() - 10, m.y()), QPointF(m.x() - 4, m.y()))
            p.drawLine(QPointF(m.x() + 4, m.y()), QPointF(m.x() + 10, m.y()))
        p.end()
