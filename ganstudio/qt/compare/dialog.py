"""Compare runs: pick two or more run folders and see them side by side.

Their loss and quality-metric curves overlaid (by step or wall time), their newest sample
grids next to each other, and a table of the settings in which they differ, each run
named by its folder and drawn in its own colour. Non-modal; GUI thread only (run folders
are small to read: metrics lines and one sample array each).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.compare import RunData, differing_settings, read_run_data
from ganstudio.qt.common.dialogs import show_error
from ganstudio.qt.common.images import ImageView
from ganstudio.qt.compare.curves import CompareCurves, run_colour
from ganstudio.qt.train.grid_history import grid_to_uint8


def points_image(points: np.ndarray, size: int = 160) -> np.ndarray:
    """A (size, size, 1) float picture of 2-D points (white dots on black)."""
    pts = np.asarray(points, np.float32).reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    image = np.zeros((size, size, 1), np.float32)
    if len(pts):
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        span = float(max(hi - lo)) or 1.0
        ij = ((pts - lo) / span * (size - 1)).astype(int)
        image[size - 1 - ij[:, 1], ij[:, 0], 0] = 1.0
    return image


class CompareDialog(QDialog):
    """Runs listed on the left; settings, curves and grids on the right."""

    def __init__(self, paths: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare runs")
        self.resize(1100, 760)
        self.runs: list[RunData] = []
        self.run_list = QListWidget()
        add = QPushButton("Add run folder…")
        add.clicked.connect(self._ask_add)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_selected)
        left = QVBoxLayout()
        left.addWidget(QLabel("Runs"))
        left.addWidget(self.run_list, 1)
        left.addWidget(add)
        left.addWidget(remove)
        self.settings = QTableWidget()
        self.settings.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.curves = CompareCurves()
        self.grids = QWidget()
        self.grid_layout = QGridLayout(self.grids)
        grid_scroll = QScrollArea()
        grid_scroll.setWidgetResizable(True)
        grid_scroll.setWidget(self.grids)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.settings)
        right.addWidget(self.curves)
        right.addWidget(grid_scroll)
        right.setStretchFactor(1, 3)
        right.setStretchFactor(2, 2)
        outer = QHBoxLayout(self)
        left_box = QWidget()
        left_box.setLayout(left)
        outer.addWidget(left_box, 1)
        outer.addWidget(right, 4)
        self.grid_views: list[ImageView] = []
        for path in paths or []:
            self.add_run(path)

    # -- runs -----------------------------------------------------------------------------
    def add_run(self, path: str) -> bool:
        """Read a run folder and add it (False, with a message, if it cannot be read)."""
        try:
            data = read_run_data(path)
        except (ValueError, OSError) as exc:
            show_error(self, "Cannot compare this folder", str(exc))
            return False
        self.runs = [r for r in self.runs if r.path != data.path] + [data]
        self._refresh()
        return True

    def remove_run(self, index: int) -> None:
        if 0 <= index < len(self.runs):
            del self.runs[index]
            self._refresh()

    def _ask_add(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a run folder to compare")
        if path:
            self.add_run(path)

    def _remove_selected(self) -> None:
        self.remove_run(self.run_list.currentRow())

    # -- views ----------------------------------------------------------------------------
    def _refresh(self) -> None:
        self.run_list.clear()
        for i, run in enumerate(self.runs):
            self.run_list.addItem(f"■ {run.name} ({run.status})")
            self.run_list.item(i).setForeground(_qcolour(i))
        self._fill_settings()
        self.curves.set_runs(self.runs)
        self._fill_grids()

    def _fill_settings(self) -> None:
        rows = differing_settings([r.config for r in self.runs]) if len(self.runs) > 1 else []
        self.settings.clear()
        self.settings.setColumnCount(len(self.runs))
        self.settings.setRowCount(len(rows))
        self.settings.setHorizontalHeaderLabels([r.name for r in self.runs])
        self.settings.setVerticalHeaderLabels([key for key, _ in rows])
        for row, (_, values) in enumerate(rows):
            for col, value in enumerate(values):
                self.settings.setItem(row, col, QTableWidgetItem(str(value)))
        self.settings.resizeColumnsToContents()

    def _fill_grids(self) -> None:
        while self.grid_layout.count():
            item = self.grid_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.grid_views = []
        for i, run in enumerate(self.runs):
            caption = QLabel(f"{run.name}\nstep {run.grid_step}" if run.grid_step else run.name)
            caption.setStyleSheet(f"color: {_qcolour(i).name()};")
            view = ImageView(min_size=140)
            if run.grid is None:
                view.clear_image("no samples")
            elif run.grid.ndim == 2:
                view.set_array(points_image(run.grid))
            else:
                view.set_array(grid_to_uint8(run.grid).astype(np.float32) / 255.0)
            self.grid_layout.addWidget(caption, 0, i)
            self.grid_layout.addWidget(view, 1, i)
            self.grid_views.append(view)


def _qcolour(index: int) -> QColor:
    return QColor(to_hex(run_colour(index)))
