"""*Resynthesize with model…*: one sound through a vocoder, shown and played side by side.

The dialog shows the original and the resynthesis (waveform and mel spectrogram each),
plays either (A/B) through the panel's player, saves the result as a WAV, and shows the
progress of long files with a Cancel button. A model file from outside GAN Studio may need
answers first: a form asks them and the job runs again.

Threading contract: the dialog lives in the GUI thread; the vocoder is opened and run on
the dialog's own :class:`JobRunner` thread (:mod:`.resynth_jobs`). Cancel asks the
running job to stop (the runner's stop event, which the job checks between windows).
Call :meth:`shutdown` (done on close) before the dialog is destroyed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ganstudio.qt.audio.player import AudioPlayback
from ganstudio.qt.audio.resynth_jobs import (
    DisplayedSound,
    Questions,
    ResynthView,
    VocoderSlot,
    resynthesize_job,
    save_job,
)
from ganstudio.qt.audio.views import MelSpectrogramView, WaveformView
from ganstudio.qt.common.answers_dialog import AnswersDialog
from ganstudio.qt.common.jobs import JobRunner


class ResynthDialog(QDialog):
    """Public API: :meth:`start` (model path, sound path), :meth:`cancel`, :meth:`play_original`,
    :meth:`play_resynthesis`, :meth:`save_to`, :meth:`shutdown`. Signals: ``finished_job(str)``
    ("done", "cancelled" or the error), ``saved(str)``, ``questions_asked(object)``."""

    finished_job = Signal(str)
    saved = Signal(str)
    questions_asked = Signal(object)

    def __init__(self, playback: AudioPlayback, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resynthesize with model")
        self.resize(900, 600)
        self.playback = playback
        self.view: ResynthView | None = None
        self.model_path = ""
        self.sound_path = ""
        self.answers: dict[str, str] = {}
        self.ask_answers = True  # False in tests that answer through questions_asked
        self._cancelled = False
        self._slot = VocoderSlot()
        self._playing: str | None = None
        self.runner = JobRunner("resynthesis", self)
        self.runner.done.connect(self._on_done)
        self.runner.failed.connect(self._on_failed)
        self.runner.progress.connect(self._on_progress)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.play_a = QPushButton("Play original (A)")
        self.play_b = QPushButton("Play resynthesis (B)")
        self.stop_button = QPushButton("Stop")
        self.save_button = QPushButton("Save resynthesis…")
        self.views = {
            "original": (WaveformView(), MelSpectrogramView()),
            "output": (WaveformView(), MelSpectrogramView()),
        }
        grid = QGridLayout()
        grid.addWidget(QLabel("Original"), 0, 0)
        grid.addWidget(QLabel("Resynthesis"), 0, 1)
        for col, key in enumerate(("original", "output")):
            wave, mel = self.views[key]
            grid.addWidget(wave, 1, col)
            grid.addWidget(mel, 2, col)
        grid.setRowStretch(2, 1)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        buttons = QHBoxLayout()
        for b in (self.play_a, self.play_b, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(busy)
        layout.addLayout(grid, 1)
        layout.addLayout(buttons)

        self.cancel_button.clicked.connect(self.cancel)
        self.play_a.clicked.connect(self.play_original)
        self.play_b.clicked.connect(self.play_resynthesis)
        self.stop_button.clicked.connect(self.playback.stop)
        self.save_button.clicked.connect(self._ask_save)
        self.playback.position_changed.connect(self._on_position)
        self.playback.finished.connect(self._on_play_finished)
        self._set_ready(False)

    # -- jobs ---------------------------------------------------------------------------
    def start(self, model_path: str, sound_path: str, answers: dict | None = None) -> None:
        """Resynthesise ``sound_path`` with the vocoder at ``model_path`` (off the GUI thread)."""
        self.model_path, self.sound_path = str(model_path), str(sound_path)
        self.answers = dict(answers or {})
        self._cancelled = False
        self.view = None
        self._set_ready(False)
        for wave, mel in self.views.values():
            wave.clear_view("")
            mel.clear_view("")
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.status.setText(f"Resynthesising {Path(sound_path).name} with {Path(model_path).name}…")
        self.runner.submit(
            "run",
            resynthesize_job,
            self._slot,
            self.model_path,
            dict(self.answers),
            self.sound_path,
            with_progress=True,
            with_stop=True,
        )

    def cancel(self) -> None:
        """Stop the running resynthesis at the next window (nothing is kept)."""
        self._cancelled = True
        self.runner.request_stop("run")
        self.cancel_button.setEnabled(False)
        self.status.setText("Cancelling…")

    def save_to(self, path: str) -> None:
        """Write the resynthesis to ``path`` (off the GUI thread); ends with ``saved``."""
        if self.view is not None:
            self.runner.submit("save", save_job, self.view.result, str(path))

    def shutdown(self) -> None:
        if self._playing:
            self.playback.stop()
        self.runner.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- playback -----------------------------------------------------------------------
    def play_original(self) -> bool:
        if self.view is None:
            return False
        r = self.view.result
        return self._play("original", r.original, r.original_rate)

    def play_resynthesis(self) -> bool:
        if self.view is None:
            return False
        r = self.view.result
        return self._play("output", r.output, r.output_rate)

    def _play(self, which: str, samples, rate: int) -> bool:
        ok = self.playback.play(samples, rate)
        self._playing = which if ok else None
        return ok

    @Slot(float)
    def _on_position(self, seconds: float) -> None:
        if self._playing in self.views:
            for view in self.views[self._playing]:
                view.set_cursor(seconds)

    @Slot()
    def _on_play_finished(self) -> None:
        if self._playing in self.views:
            for view in self.views[self._playing]:
                view.set_cursor(None)
        self._playing = None

    # -- results ------------------------------------------------------------------------
    @Slot(int, str, object)
    def _on_progress(self, _token: int, lane: str, value: object) -> None:
        if lane == "run":
            done, total = value  # type: ignore[misc]
            self.progress.setRange(0, int(total))
            self.progress.setValue(int(done))

    @Slot(int, str, object)
    def _on_done(self, _token: int, lane: str, result: object) -> None:
        if lane == "save":
            self.status.setText(f"Saved {result}")
            self.saved.emit(str(result))
        elif isinstance(result, Questions):
            self._ask(result)
        elif isinstance(result, ResynthView):
            self._show(result)

    @Slot(int, str, str)
    def _on_failed(self, _token: int, lane: str, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(False)
        cancelled = lane == "run" and self._cancelled
        self.status.setText("Cancelled." if cancelled else f"Cannot resynthesise: {message}")
        if lane == "run":
            self.finished_job.emit("cancelled" if cancelled else message)

    def _ask(self, need: Questions) -> None:
        self.progress.setRange(0, 1)
        self.cancel_button.setEnabled(False)
        self.questions_asked.emit(need)
        if not self.ask_answers:
            return
        form = AnswersDialog(Path(need.path).name, need.summary, list(need.questions), self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.start(self.model_path, self.sound_path, {**need.answers, **form.answers()})
        else:
            self.status.setText("Not resynthesised: the model's questions were not answered.")
            self.finished_job.emit("not answered")

    def _show(self, view: ResynthView) -> None:
        self.view = view
        r = view.result
        for key, shown in (("original", view.original), ("output", view.output)):
            self._draw(key, shown)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        self._set_ready(True)
        self.status.setText(
            f"{Path(r.source).name}: {r.duration:.2f} s at {r.output_rate} Hz by {r.model}, "
            f"made in {r.seconds:.1f} s ({r.speed:.0f}× real time)."
        )
        self.finished_job.emit("done")

    def _draw(self, key: str, shown: DisplayedSound) -> None:
        wave, mel = self.views[key]
        wave.show_envelope(shown.env_min, shown.env_max, shown.duration)
        mel.show_spectrogram(shown.s_db, shown.times, shown.freqs, shown.duration)

    def _set_ready(self, ready: bool) -> None:
        for b in (self.play_a, self.play_b, self.save_button):
            b.setEnabled(ready)

    def _ask_save(self) -> None:
        if self.view is None:
            return
        default = str(Path(self.sound_path).with_name(Path(self.sound_path).stem + "-resynth.wav"))
        path, _ = QFileDialog.getSaveFileName(self, "Save resynthesis", default, "WAV (*.wav)")
        if path:
            self.save_to(path)
