"""The main window: tabs of panels, menus and shortcuts, status line, drag and drop, settings.

The "Train" tab is a :class:`TrainView`; other panels are added with :meth:`add_panel`.
Space and Esc pause and stop only on the Train tab (:mod:`ganstudio.qt.train.run_keys`).
Closing while training asks first, then stops the run (the trainer saves a checkpoint)
and closes once its thread has ended, with the event loop running all along
(:mod:`ganstudio.qt.train.stop_on_close`). GUI thread only.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from ganstudio.core.data.source_table import describe_spec, spec_for_path, spec_help
from ganstudio.core.rundir import RunDir, is_run_folder
from ganstudio.qt.audio.player import AudioPlayback, SpectrogramPlayer
from ganstudio.qt.common.about import add_help_menu
from ganstudio.qt.common.dialogs import show_error
from ganstudio.qt.common.jobs import shutdown_all
from ganstudio.qt.common.lazy_panel import LazyPanel
from ganstudio.qt.common.settings import AppSettings
from ganstudio.qt.kinds import kind_view
from ganstudio.qt.latent.explorer import LatentExplorer
from ganstudio.qt.model_files import ModelFiles
from ganstudio.qt.train.run_keys import RunKeys
from ganstudio.qt.train.stop_on_close import StopOnClose
from ganstudio.qt.train.view import TrainView

CLOSE_WAIT_MS = 1000  # the window's workers, in all, when it closes


def _action(parent: QWidget, text: str, shortcuts: list, slot, tip: str = "") -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(s) for s in shortcuts])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


class MainWindow(QMainWindow):
    """GAN Studio's window. ``settings`` defaults to the application's QSettings."""

    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("GAN Studio")
        self.setAcceptDrops(True)
        self.settings = settings or AppSettings()
        self.engine_device: str | None = None
        self.compare_dialog = None  # a CompareDialog, built when first asked for (matplotlib)
        self._make_actions()
        self.train_view = TrainView(
            [self.start_action, self.pause_action, self.stop_action, self.step_action]
        )
        self.run_keys = RunKeys(self.train_view, self.pause_action, self.stop_action)
        self.stop_on_close = StopOnClose(self, self.train_view)
        self._shut_down = False
        self.train_view.status.connect(self.show_status)
        self.train_view.state_changed.connect(self._update_actions)
        self.train_view.run_opened.connect(self._remember_run)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("panels")
        self.setCentralWidget(self.tabs)
        self.add_panel("Train", self.train_view)
        self._make_panels()
        self._make_menus()
        self.engine_label = QLabel("Engine loading…")
        self.statusBar().addPermanentWidget(self.engine_label)
        self._restore()
        self._update_actions()

    # -- building ---------------------------------------------------------------------------
    def _make_actions(self) -> None:
        tv = lambda: self.train_view  # noqa: E731  (the view is created after the actions)
        self.start_action = _action(
            self,
            "Start",
            ["Ctrl+Return", "Ctrl+Enter"],
            self.start_training,
            "Start training (Ctrl+Return)",
        )
        self.pause_action = _action(  # Space, on the Train tab only: see RunKeys
            self, "Pause", [], lambda: tv().toggle_pause(), "Pause or resume (Space)"
        )
        self.stop_action = _action(  # and Esc on the Train tab: see RunKeys
            self,
            "Stop",
            ["Ctrl+."],
            lambda: tv().stop(),
            "Stop and save a checkpoint (Esc, Ctrl+.)",
        )
        self.step_action = _action(
            self, "Step", ["Ctrl+Right"], lambda: tv().step_once(), "Train one step (Ctrl+Right)"
        )
        self.resume_run_action = _action(
            self,
            "Resume run",
            ["Ctrl+R"],
            self.resume_run,
            "Continue the opened run from its last checkpoint",
        )
        self.open_run_action = _action(self, "Open run…", ["Ctrl+O"], self.ask_open_run)
        self.open_generator_action = _action(
            self,
            "Open generator file…",
            ["Ctrl+G"],
            self.ask_open_generator,
            "Open a generator: a run, an export, or a .keras / .h5 file from anyone",
        )
        self.watch_action = _action(self, "Watch run folder…", ["Ctrl+Shift+O"], self.ask_watch_run)
        self.unwatch_action = _action(self, "Stop watching", [], lambda: tv().stop_watching())
        self.compare_action = _action(
            self,
            "Compare runs…",
            ["Ctrl+Shift+C"],
            self.open_compare,
            "Overlay the curves and grids of two or more runs",
        )
        self.quit_action = _action(self, "Quit", ["Ctrl+Q"], self.close)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_run_action)
        file_menu.addAction(self.open_generator_action)
        self.recent_menu = QMenu("Recent runs", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.watch_action)
        file_menu.addAction(self.unwatch_action)
        file_menu.addAction(self.compare_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        train_menu = bar.addMenu("&Training")
        for action in (
            self.start_action,
            self.pause_action,
            self.stop_action,
            self.step_action,
            self.resume_run_action,
        ):
            train_menu.addAction(action)
        self._rebuild_recent(self.settings.recent_runs())
        add_help_menu(self)

    def _make_panels(self) -> None:
        """The latent explorer and the audio panel (built when first shown), wired to the
        training view; both play sound through one output."""
        self.explorer = LatentExplorer()
        self.playback = AudioPlayback(self)
        self.sound = SpectrogramPlayer(self, playback=self.playback)
        self.audio_page = LazyPanel(self._make_audio_panel)
        self.add_panel("Explore", self.explorer)
        self.add_panel("Audio", self.audio_page)
        self._explored: tuple[str, int] | None = None  # (run folder, sample step) shown there
        self.tabs.currentChanged.connect(self._on_tab)
        self.train_view.sample_received.connect(self._on_sample_step)
        self.explorer.sound_requested.connect(self._play_explored)
        self.explorer.error.connect(self.show_status)
        self.train_view.grid_view.tile_clicked.connect(self._play_tile)
        self.train_view.grid_view.sound_clicked.connect(self.playback.play)
        self.models = ModelFiles(self)
        self.sound.error.connect(self.show_status)

    def _make_audio_panel(self) -> QWidget:
        # deferred: matplotlib: the Audio tab is built after the window appears
        from ganstudio.qt.audio.panel import AudioPanel  # matplotlib and librosa: not at start

        panel = AudioPanel(playback=self.playback)
        panel.message_changed.connect(self.show_status)
        panel.vocoder.changed.connect(self.sound.set_vocoder)
        return panel

    @property
    def audio_panel(self):
        """The Audio tab's :class:`~ganstudio.qt.audio.panel.AudioPanel` (built on demand)."""
        return self.audio_page.panel()

    def _on_sample_step(self, _step: int) -> None:
        if self.tabs.currentWidget() is self.explorer:
            self._refresh_explorer()

    def _on_tab(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.explorer:
            self._refresh_explorer()

    def _refresh_explorer(self) -> None:
        """Show the current run's generator in the explorer: while training, the newest
        sample grid's weights (in memory); otherwise the run folder's exported generator."""
        tv = self.train_view
        run = tv.current_run
        if not run:
            return
        if kind_view(RunDir(run).read_generator_info().get("kind")).explorer is None:
            return  # nothing to explore (a vocoder turns sounds into sounds: Audio tab)
        live = tv.live_generator
        if live is not None and live[0] == run:
            key = (str(run), int(live[1].info.get("step", 0)))
            if key != self._explored:
                self._explored = key
                self.explorer.set_weights(run, live[1])
            return
        key = (str(run), (tv.grid_view.steps or [0])[-1])
        if key != self._explored and RunDir(run).generator_model_path.is_file():
            self._explored = key
            self.explorer.load_path(run)

    def _play_explored(self, spec) -> None:
        source = getattr(self.explorer.info, "source", "") or self.train_view.current_run
        if self.models.play_explored(spec, str(source)):
            return
        if source:
            self.sound.play_from_run(spec, str(source))

    def _play_tile(self, spec) -> None:
        if self.train_view.current_run:
            self.sound.play_from_run(
                spec[..., 0] if spec.ndim == 3 else spec, str(self.train_view.current_run)
            )

    def add_panel(self, title: str, widget: QWidget) -> int:
        """Add a panel as a tab; returns its index."""
        return self.tabs.addTab(widget, title)

    def _refuse_held(self, what: str) -> bool:
        """True (and a message naming the writer) while the shown run is another's."""
        writer = self.train_view.run_writer
        if not writer:
            return False
        self.train_view._error(
            f"Cannot {what}",
            f"{self.train_view.current_run} is being written by {writer}: one run folder has "
            "one writer, and this window only watches it. Stop watching (File menu) to "
            "start a new run, or wait until that run stops to resume it.",
        )
        return True

    def resume_run(self) -> bool:
        """Continue the opened run from its last checkpoint (refused while another writes it)."""
        if self._refuse_held("resume the run"):
            return False
        return self.train_view.resume_run()

    def start_training(self) -> bool:
        """Start a run with the form's settings and remember them as the last settings."""
        if self._refuse_held("start training"):
            return False
        started = self.train_view.start()
        if started:
            with contextlib.suppress(ValueError):
                self.settings.save_config(self.train_view.panel.config())
        return started

    # -- status --------------------------------------------------------------------------------
    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def set_engine_ready(self, device: str) -> None:
        self.engine_device = device
        self.engine_label.setText(f"Engine ready — {device}")
        self.show_status(f"Engine ready — {device}")

    def set_engine_failed(self, message: str) -> None:
        self.engine_label.setText("Engine failed to load")
        show_error(self, "The training engine could not load", message)

    def _update_actions(self) -> None:
        tv = self.train_view
        running, watching = tv.running, tv.watching
        self.start_action.setEnabled(not running)
        self.pause_action.setEnabled(running)
        self.pause_action.setText("Resume" if tv.paused else "Pause")
        self.stop_action.setEnabled(running)
        self.step_action.setEnabled(not watching)
        self.resume_run_action.setEnabled(not running and not watching and bool(tv.current_run))
        held = f"Written by {tv.run_writer}: this window only watches it" if tv.run_writer else ""
        self.start_action.setToolTip(held or "Start training (Ctrl+Return)")
        self.open_run_action.setEnabled(not running)
        self.watch_action.setEnabled(not running)
        self.unwatch_action.setEnabled(watching)
        self.recent_menu.setEnabled(not running)
        self.train_view.panel.setEnabled(not running)

    # -- runs ------------------------------------------------------------------------------------
    def open_compare(self, paths: list[str] | None = None):
        """Show the compare dialog (the current run first, then ``paths``)."""
        if self.compare_dialog is None:
            # deferred: matplotlib: the compare dialog is built when asked for
            from ganstudio.qt.compare.dialog import CompareDialog  # matplotlib: not at start

            current = [self.train_view.current_run] if self.train_view.current_run else []
            self.compare_dialog = CompareDialog(current, parent=self)
        for path in paths or []:
            self.compare_dialog.add_run(path)
        self.compare_dialog.show()
        self.compare_dialog.raise_()
        return self.compare_dialog

    def ask_open_run(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a run folder")
        if path:
            self.train_view.open_run(path)

    def ask_open_generator(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open a generator file",
            "",
            "Generators (*.keras *.h5 *.hdf5 config.json generator.json);;All files (*)",
        )
        if path:
            self.models.open(path)

    def ask_watch_run(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Watch a run folder")
        if path:
            self.train_view.open_run(path, watch=True)

    def _remember_run(self, path: str) -> None:
        self._rebuild_recent(self.settings.add_recent_run(path))
        self.setWindowTitle(f"GAN Studio — {Path(path).name}")
        self._update_actions()

    def _rebuild_recent(self, runs: list[str]) -> None:
        self.recent_menu.clear()
        for path in runs:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        self.recent_menu.setEnabled(bool(runs))

    def _open_recent(self, path: str) -> None:
        if not Path(path).is_dir():
            self._rebuild_recent(self.settings.remove_recent_run(path))
            show_error(self, "Run not found", f"{path} no longer exists; removed from the list")
            return
        self.train_view.open_run(path)

    # -- drag and drop -------------------------------------------------------------------------
    @staticmethod
    def _dropped_path(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        if len(paths) != 1:
            return None
        p = paths[0]
        return p if is_run_folder(p) or spec_for_path(p) is not None else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.train_view.running and self._dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_path(event)
        if path is None or self.train_view.running:
            event.ignore()
            return
        self.open_path(path)
        event.acceptProposedAction()

    def open_path(self, path: str | Path) -> None:
        """A run folder opens the run; a path a data source claims (an image or audio
        folder, a .npz file, ...) becomes the dataset."""
        p = Path(path)
        spec = None if is_run_folder(p) else spec_for_path(p)
        if is_run_folder(p):
            self.train_view.open_run(str(p))
        elif spec is not None:
            self.train_view.panel.set_dataset(spec)
            self.show_status(f"Dataset: {describe_spec(spec)}")
        else:
            show_error(
                self, "Cannot open", f"{p} is not a run folder nor a dataset ({spec_help()})"
            )

    # -- settings and closing --------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        config = self.settings.last_config()
        if config is not None:
            self.train_view.panel.set_config(config)

    def save_settings(self) -> None:
        self.settings.save_window(self.saveGeometry(), self.saveState())
        with contextlib.suppress(ValueError):  # invalid form values are not worth keeping
            self.settings.save_config(self.train_view.panel.config())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.stop_on_close.request():  # training: stopping, closes when it has ended
            if self.stop_on_close.waiting:
                self.show_status("Stopping: saving a checkpoint…")
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop every worker of every panel (one bound for all: ``CLOSE_WAIT_MS``) and save
        the settings. A training run still saving its checkpoint is parked and left to
        ``run_app``. Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self.train_view.stop_watching()
        self.playback.stop()
        shutdown_all(CLOSE_WAIT_MS)
        self.save_settings()
