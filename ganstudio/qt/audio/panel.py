"""The audio panel: open sounds, see their waveform and mel spectrogram, play them, and
play a trained audio generator on sound pads.

Threading contract: :class:`AudioPanel` lives in the GUI thread. librosa's warm-up,
folder scans and decoding + feature work run on the panel's :class:`JobRunner` thread
(newest selection wins); results arrive as frozen dataclasses of NumPy arrays. Sound plays
through :class:`AudioPlayback` (PortAudio's own thread). Call :meth:`shutdown` before the
application exits; it stops the sound and waits for every worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ganstudio.qt.audio.files import (
    AudioFileList,
    ScanResult,
    SoundView,
    load_for_display,
    scan_paths,
    warm_up_job,
)
from ganstudio.qt.audio.pads import SoundPadBank
from ganstudio.qt.audio.player import AudioPlayback
from ganstudio.qt.audio.resynth_dialog import ResynthDialog
from ganstudio.qt.audio.views import MelSpectrogramView, WaveformView
from ganstudio.qt.audio.vocoder_choice import VocoderChooser
from ganstudio.qt.common.jobs import JobRunner


class AudioPanel(QWidget):
    """Sound files, their views, playback and the sound pads (``self.pads``).

    Public API: :meth:`open_paths` (files and/or folders), :meth:`select_file`,
    :meth:`play`, :meth:`stop`, ``loop_box``, :meth:`load_audio_model`,
    :meth:`resynthesize` (the shown sound through ``vocoder``'s choice, in
    ``resynth_dialog``), :meth:`shutdown`.
    Signals: ``file_shown(str)``, ``message_changed(str)``, ``files_opened(int, int)``
    (sounds added, problems found). ``open_summary`` keeps the last opening's summary;
    ``message_label`` / ``last_message`` the latest status or error.
    """

    file_shown = Signal(str)
    message_changed = Signal(str)
    files_opened = Signal(int, int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        warm_up: bool = True,
        playback: AudioPlayback | None = None,
    ) -> None:
        """``playback`` shares a sound output with other players (one sound at a time)."""
        super().__init__(parent)
        self.current: SoundView | None = None
        self.last_message = ""
        self._file_playing = False
        self._scans = 0
        self._shown_path: str | None = None
        self.playback = playback or AudioPlayback(self)
        self.runner = JobRunner("audio panel", self)
        self.runner.done.connect(self._on_done)
        self.runner.failed.connect(self._on_failed)

        self.open_files_button = QPushButton("Open files…")
        self.open_folder_button = QPushButton("Open folder…")
        self.play_button = QPushButton("Play")
        self.stop_button = QPushButton("Stop")
        self.loop_box = QCheckBox("Loop")
        self.load_model_button = QPushButton("Load audio model…")
        self.resynth_button = QPushButton("Resynthesize with model…")
        self.vocoder = VocoderChooser()
        self.resynth_dialog: ResynthDialog | None = None
        self.message_label = QLabel("Open sound files or a folder, or drop them here.")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_summary = QLabel("")
        self.open_summary.setWordWrap(True)
        self.open_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.files = AudioFileList()
        self.problems = QListWidget()
        self.problems.setToolTip("Files that could not be read, with the reason")
        self.waveform = WaveformView()
        self.spectrogram = MelSpectrogramView()
        self.pads = SoundPadBank(self, playback=self.playback)

        tools = QHBoxLayout()
        for w in (self.open_files_button, self.open_folder_button, self.play_button):
            tools.addWidget(w)
        tools.addWidget(self.stop_button)
        tools.addWidget(self.loop_box)
        self.loop_box.toggled.connect(lambda on: self.playback.set_loop(on))
        tools.addStretch(1)
        tools.addWidget(self.resynth_button)
        tools.addWidget(self.vocoder)
        tools.addWidget(self.load_model_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.open_summary)
        left_layout.addWidget(self.files, 3)
        left_layout.addWidget(QLabel("Could not open:"))
        left_layout.addWidget(self.problems, 1)
        views = QSplitter(Qt.Orientation.Vertical)
        views.addWidget(self.waveform)
        views.addWidget(self.spectrogram)
        views.setSizes([150, 250])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(views)
        split.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.message_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.pads)

        self.open_files_button.clicked.connect(self._ask_files)
        self.open_folder_button.clicked.connect(self._ask_folder)
        self.play_button.clicked.connect(self.play)
        self.stop_button.clicked.connect(self.stop)
        self.load_model_button.clicked.connect(self._ask_model)
        self.resynth_button.clicked.connect(lambda: self.resynthesize())
        self.vocoder.changed.connect(self.pads.set_vocoder)
        self.files.file_selected.connect(self.select_file)
        self.playback.position_changed.connect(self._on_position)
        self.playback.finished.connect(self._on_play_finished)
        self.playback.error.connect(self._on_play_error)
        self.pads.message.connect(self._set_message)
        self.setAcceptDrops(True)
        self.play_button.setEnabled(False)
        self.resynth_button.setEnabled(False)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # a safety net; owners should call it
        if warm_up:
            self.runner.submit("warmup", warm_up_job)

    # -- opening ---------------------------------------------------------------------------
    def open_paths(self, paths: Iterable[str | Path]) -> None:
        """Add sound files and folders (searched recursively) to the list, off the GUI thread;
        ends with ``files_opened``."""
        paths = [str(p) for p in paths]
        if not paths:
            return
        self._scans += 1
        self.runner.submit(f"scan{self._scans}", scan_paths, paths)
        self._set_message(f"Opening {paths[0]}{' and more' if len(paths) > 1 else ''}…")

    def select_file(self, path: str) -> None:
        """Decode and show ``path`` (newest selection wins); ends with ``file_shown`` or a
        message. Selects the row too when it is listed."""
        if self.files.current_path() != path and self.files.select_path(path):
            return  # select_path emitted file_selected, which called us again
        self._shown_path = path
        self.runner.submit("show", load_for_display, path)
        self._set_message(f"Reading {Path(path).name}…")

    def load_audio_model(self, path: str | Path) -> None:
        """Load a run folder's audio generator into the pads (off the GUI thread)."""
        self.pads.load_run(path)

    # -- playback --------------------------------------------------------------------------
    def play(self) -> bool:
        """Play the shown sound (looping if ``loop_box`` is ticked); False if it cannot."""
        if self.current is None:
            self._set_message("Select a sound first.")
            return False
        ok = self.playback.play(
            self.current.samples, self.current.sample_rate, loop=self.loop_box.isChecked()
        )
        self._file_playing = ok
        return ok

    def stop(self) -> None:
        self.playback.stop()

    def resynthesize(self, model_path: str | None = None) -> ResynthDialog | None:
        """Open the resynthesis of the shown sound with ``model_path`` (default: the chosen
        vocoder; asked for when phase reconstruction is chosen)."""
        if self.current is None:
            self._set_message("Select a sound first.")
            return None
        path = model_path or self.vocoder.current_path() or self.vocoder.ask()
        if not path:
            return None
        if self.resynth_dialog is None:
            self.resynth_dialog = ResynthDialog(self.playback, self)
        self.resynth_dialog.start(path, self.current.path)
        self.resynth_dialog.show()
        return self.resynth_dialog

    def shutdown(self) -> None:
        """Stop the sound and wait for the panel's, the pads' and the resynthesis' threads."""
        self.playback.stop()
        self.pads.shutdown()
        if self.resynth_dialog is not None:
            self.resynth_dialog.shutdown()
        self.runner.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- drag and drop ---------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # -- results ---------------------------------------------------------------------------
    @Slot(int, str, object)
    def _on_done(self, _token: int, lane: str, result: object) -> None:
        if lane == "warmup":
            if result:
                self._set_message(str(result))
        elif lane.startswith("scan"):
            self._add_scan(result)  # type: ignore[arg-type]
        elif lane == "show" and isinstance(result, SoundView):
            self._show_sound(result)

    @Slot(int, str, str)
    def _on_failed(self, _token: int, lane: str, message: str) -> None:
        if lane == "show" and self._shown_path is not None:
            name = Path(self._shown_path).name
            self._add_problem(self._shown_path, message.removeprefix(f"{self._shown_path}: "))
            self.current = None
            self.play_button.setEnabled(False)
            self.resynth_button.setEnabled(False)
            self.waveform.clear_view(f"Cannot show {name}")
            self.spectrogram.clear_view("")
            self._set_message(f"Cannot show {name}: {message}")
        else:
            self._set_message(message)

    def _add_scan(self, result: ScanResult) -> None:
        first_new = len(self.files.paths())
        added = self.files.add_infos(result.infos)
        for path, reason in result.problems:
            self._add_problem(path, reason)
        summary = result.summary(added)
        self.open_summary.setText(summary)
        self._set_message(summary)
        self.files_opened.emit(added, len(result.problems))
        if added and self.files.current_path() is None:
            self.files.select_path(self.files.paths()[first_new])

    def _add_problem(self, path: str, reason: str) -> None:
        item = QListWidgetItem(f"{Path(path).name} — {reason}")
        item.setToolTip(f"{path}\n{reason}")
        self.problems.addItem(item)

    def _show_sound(self, view: SoundView) -> None:
        if self._file_playing:
            self.stop()  # the old file's sound; a pad keeps playing
        self.current = view
        self.waveform.show_envelope(view.env_min, view.env_max, view.duration)
        self.spectrogram.show_spectrogram(view.s_db, view.times, view.freqs, view.duration)
        self.play_button.setEnabled(True)
        self.resynth_button.setEnabled(True)
        cut = f" (showing the first {view.duration:.0f} s)" if view.truncated else ""
        self._set_message(
            f"{Path(view.path).name}: {view.duration:.3f} s at {view.sample_rate} Hz{cut}."
        )
        self.file_shown.emit(view.path)

    # -- playback feedback -----------------------------------------------------------------
    @Slot(float)
    def _on_position(self, seconds: float) -> None:
        if self._file_playing:
            self.waveform.set_cursor(seconds)
            self.spectrogram.set_cursor(seconds)

    @Slot()
    def _on_play_finished(self) -> None:
        if self._file_playing:
            self._file_playing = False
            self.waveform.set_cursor(None)
            self.spectrogram.set_cursor(None)

    @Slot(str)
    def _on_play_error(self, message: str) -> None:
        self._set_message(f"Cannot play: {message}")

    def _set_message(self, text: str) -> None:
        self.last_message = text
        self.message_label.setText(text)
        self.message_changed.emit(text)

    # -- dialogs ---------------------------------------------------------------------------
    def _ask_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Open sounds", "", "Sounds (*.wav *.flac *.ogg *.mp3 *.aif *.aiff);;All (*)"
        )
        self.open_paths(paths)

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of sounds")
        if folder:
            self.open_paths([folder])

    def _ask_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a run folder of an audio model")
        if folder:
            self.load_audio_model(folder)
