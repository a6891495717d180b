"""*File → Open generator file…*: open any generator (a GAN Studio run or export, or a
``.keras``/``.h5`` file from anyone) off the GUI thread, asking what its shapes cannot
tell in a form, and hand it to whoever uses it.

Threading contract: :class:`GeneratorOpener` lives in the GUI thread; the file is checked
and loaded (Keras safe mode) on its :class:`JobRunner` thread. The opened generator is
handed over through ``opened`` and from then on used by one thread at a time (the
explorer's worker). Call :meth:`shutdown` before the application exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from ganstudio.core.foreign.opening import NeedsAnswers, open_model
from ganstudio.qt.common.answers_dialog import AnswersDialog
from ganstudio.qt.common.jobs import JobRunner


@dataclass(frozen=True)
class _Asked:
    path: str
    summary: str
    answers: dict
    questions: tuple


def open_job(path: str, answers: dict) -> Any:
    """Worker-thread job: an OpenedModel, or the questions still open."""

    try:
        return open_model(path, answers or None)
    except NeedsAnswers as need:
        return _Asked(need.path, need.summary, need.answers, tuple(need.questions))


class GeneratorOpener(QObject):
    """Signals: ``opened(object)`` (an OpenedModel), ``failed(str)``, ``asked(object)``
    (the questions, before the form shows; tests answer through :meth:`answer`)."""

    opened = Signal(object)
    failed = Signal(str)
    asked = Signal(object)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.ask_in_form = True
        self._runner = JobRunner("generator opener", self)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(lambda _t, _l, message: self.failed.emit(message))

    def open(self, path: str | Path, answers: dict | None = None) -> None:
        self._runner.submit("open", open_job, str(path), dict(answers or {}))

    def answer(self, asked: Any, answers: dict) -> None:
        """Open ``asked.path`` again with ``answers`` over those known."""
        self.open(asked.path, {**asked.answers, **answers})

    def shutdown(self) -> None:
        self._runner.shutdown()

    @Slot(int, str, object)
    def _on_done(self, _token: int, _lane: str, result: object) -> None:
        if not isinstance(result, _Asked):
            self.opened.emit(result)
            return
        self.asked.emit(result)
        if not self.ask_in_form:
            return
        form = AnswersDialog(
            Path(result.path).name, result.summary, list(result.questions), self.parent_widget
        )
        if form.exec() == QDialog.DialogCode.Accepted:
            self.answer(result, form.answers())
        else:
            self.failed.emit(f"{Path(result.path).name} was not opened: questions not answered")
