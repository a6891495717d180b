"""Progress updates repaint the progress row only, not the rest of the Train tab."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from ganstudio.qt.common.jobs import live_runners


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            name = type(obj).__name__
            self.counts[name] = self.counts.get(name, 0) + 1
        return False


def test_progress_text_changes_repaint_neither_the_grid_nor_the_buttons(window, qtbot):
    tv = window.train_view
    tv.controls.reset(0, 600)
    tv.controls.update_progress(1, 0.0, 10.0)

    # the plots' canvases are made after the first frame: wait until both are there and
    # the loss plot has drawn once
    loss, metric = tv.loss_plot, tv.metric_plot
    qtbot.waitUntil(
        lambda: (
            loss.canvas is not None
            and not loss.canvas.full_draw_pending
            and metric._canvas is not None
        )
    )
    QApplication.processEvents()  # the paints their first draw posted
    counter = PaintCounter()
    for widget in QApplication.allWidgets():
        widget.installEventFilter(counter)
    # The window settles first: layout requests left from start-up (and the results of its
    # start-up jobs) lay the whole window out once more, which is not what is measured here.
    qtbot.waitUntil(lambda: not any(runner.is_busy() for runner in live_runners()))
    quiet = [0]

    def settled() -> bool:
        QApplication.processEvents()
        quiet[0] = 0 if counter.counts else quiet[0] + 1
        counter.counts.clear()
        return quiet[0] >= 5  # five passes of the event loop without a paint

    qtbot.waitUntil(settled)
    for i in range(1, 21):
        tv.controls.update_progress(i * 3, i * 0.05, 11.0 + (i % 7) * 0.37)
        QApplication.processEvents()
    assert tv.controls.label.text().startswith("step 60/600")
    assert counter.counts.get("StatusLine", 0) >= 10  # the text itself is repainted
    assert counter.counts.get("SampleGridView", 0) == 0
    assert counter.counts.get("QToolButton", 0) == 0
