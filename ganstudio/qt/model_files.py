"""Where an opened generator file goes in the main window.

A generator of images or spectrograms goes to the Explore tab (a foreign spectrogram
generator brings its own sound settings, used when the explorer plays a sound); a
vocoder (a melgan run, or a foreign spectrogram -> waveform file) becomes the Audio tab's
vocoder, ready for *Resynthesize with model…*. GUI thread only; loading happens on the
:class:`GeneratorOpener`'s thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject

from ganstudio.qt.common.dialogs import show_error
from ganstudio.qt.common.generator_opener import GeneratorOpener
from ganstudio.qt.kinds import kind_view


class ModelFiles(QObject):
    """Opens model files for a :class:`~ganstudio.qt.main_window.MainWindow`."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.opener = GeneratorOpener(window)
        self.opener.opened.connect(self._on_opened)
        self.opener.failed.connect(self._on_failed)
        self.last_opened: Any = None
        self._sounds: dict[str, Any] = {}  # foreign spectrogram generator -> SoundParams

    def open(self, path: str | Path, answers: dict | None = None) -> None:
        self.window.show_status(f"Opening {Path(path).name}…")
        self.opener.open(path, answers)

    def play_explored(self, spec: np.ndarray, source: str) -> bool:
        """Play a foreign generator's spectrogram with its own settings (True if it was)."""
        sound = self._sounds.get(source)
        if sound is None:
            return False
        self.window.sound.play_spectrogram(spec, sound.stats, sound.meta)
        return True

    def shutdown(self) -> None:
        self.opener.shutdown()

    def _on_opened(self, opened: Any) -> None:
        w = self.window
        self.last_opened = opened
        notes = f" ({'; '.join(opened.notes)})" if opened.notes else ""
        if opened.is_vocoder:
            w.audio_panel.vocoder.add_vocoder(opened.path)
            w.tabs.setCurrentWidget(w.audio_page)
            w.show_status(
                f"Vocoder {opened.summary}: select a sound and use Resynthesize with model…{notes}"
            )
            return
        gen = opened.model
        if kind_view(gen.kind).explorer is None:
            w.show_status(
                f"{Path(opened.path).name} makes {gen.kind}s: nothing to explore "
                f"(use ganstudio sample to write them){notes}"
            )
            return
        if hasattr(gen, "sound_params") and kind_view(gen.kind).playable:
            self._sounds[opened.path] = gen.sound_params()
        steps = w.train_view.grid_view.steps or [0]
        w._explored = (str(w.train_view.current_run or ""), steps[-1])  # keep it shown
        w.explorer.set_generator(gen, opened.path)
        w.tabs.setCurrentWidget(w.explorer)
        w.show_status(f"Exploring {opened.summary}{notes}")

    def _on_failed(self, message: str) -> None:
        self.window.show_status(f"Cannot open the generator: {message}")
        show_error(self.window, "Cannot open the generator", message)
