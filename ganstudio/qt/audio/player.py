"""Sound output for the GUI: :class:`AudioPlayback` wraps the engine's ``AudioPlayer`` as a
QObject, and :class:`SpectrogramPlayer` turns generated spectrograms into sound off the GUI
thread and plays them.

Threading contract: both objects live in the GUI thread and are called from it.
``AudioPlayback`` never blocks on the sound (PortAudio plays on its own thread); a QTimer
polls the player's position while it plays, so signals are emitted in the GUI thread.
``SpectrogramPlayer`` runs the Griffin-Lim inversion on a :class:`JobRunner` thread (newest
request wins) and only NumPy arrays cross back. Device problems become ``error(str)``
signals with a readable text, never exceptions or crashes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ganstudio.core.audio.playback import AudioPlayer, PlaybackError
from ganstudio.core.sound.run_sound import spectrogram_audio
from ganstudio.core.sound.stand_in import VocoderCache, run_spectrogram_sound
from ganstudio.qt.common.jobs import JobRunner


class AudioPlayback(QObject):
    """Play / stop / loop one sound at a time; reports the play position ~30 times a second.

    Signals: ``started()``, ``finished()`` (ended or stopped), ``error(str)`` (no device, a
    failing device, bad samples) and ``position_changed(float)`` (seconds into the clip).
    """

    started = Signal()
    finished = Signal()
    error = Signal(str)
    position_changed = Signal(float)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        device: int | str | None = None,
        interval_ms: int = 33,
    ) -> None:
        super().__init__(parent)
        self._device = device
        self._player: Any = None
        self._active = False
        self.last_error = ""
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._poll)

    @property
    def is_playing(self) -> bool:
        return self._active and self._player is not None and self._player.is_playing

    @property
    def position(self) -> float:
        return self._player.position if self._player is not None else 0.0

    @property
    def duration(self) -> float:
        return self._player.duration if self._player is not None else 0.0

    def set_loop(self, loop: bool) -> None:
        """Loop (or stop looping) the sound now playing."""
        if self._player is not None:
            self._player.set_loop(loop)

    def play(self, samples: np.ndarray, sample_rate: int, loop: bool = False) -> bool:
        """Start playing ``samples`` ((n,) or (n, channels) floats) from the start, replacing
        whatever plays. Returns False (and emits ``error``) if the sound cannot be played."""

        self.stop()
        if self._player is None:
            self._player = AudioPlayer(device=self._device)
        try:
            self._player.play(samples, int(sample_rate), loop=bool(loop))
        except PlaybackError as exc:
            self.last_error = str(exc)
            self.error.emit(self.last_error)
            return False
        self._active = True
        self._timer.start()
        self.started.emit()
        self.position_changed.emit(0.0)
        return True

    def stop(self) -> None:
        """Stop playing (no-op when idle); emits ``finished`` if something was playing."""
        if self._player is not None:
            self._player.stop()
        self._end()

    close = stop

    @Slot()
    def _poll(self) -> None:
        if self._player is None:
            return
        if self._player.is_playing:
            self.position_changed.emit(self._player.position)
        else:
            self.position_changed.emit(self._player.position)
            self._end()

    def _end(self) -> None:
        self._timer.stop()
        if self._active:
            self._active = False
            self.finished.emit()


class SpectrogramPlayer(QObject):
    """Plays generated spectrograms: ``play_spectrogram(spec01, stats, meta)`` inverts on a
    worker thread (the newest request wins) and plays. Signals ``error(str)``, ``started()``,
    ``finished()``. Call :meth:`shutdown` before the application exits."""

    error = Signal(str)
    started = Signal()
    finished = Signal()

    def __init__(
        self, parent: QObject | None = None, *, playback: AudioPlayback | None = None
    ) -> None:
        super().__init__(parent)
        self.playback = playback or AudioPlayback(self)
        self._runner = JobRunner("spectrogram player", self)
        self._runner.done.connect(self._on_audio)
        self._runner.failed.connect(self._on_failed)
        self._mine = False
        self.playback.started.connect(self._on_started)
        self.playback.finished.connect(self._on_finished)
        self.playback.error.connect(self._on_play_error)
        self.last_audio: tuple[np.ndarray, int] | None = None
        self.vocoder_path = ""  # a melgan run standing in for phase reconstruction
        self._vocoders = VocoderCache()  # used only by the runner's thread

    def set_vocoder(self, path: str) -> None:
        """Play run spectrograms through the vocoder at ``path`` where its mel settings
        match ("" for phase reconstruction)."""
        self.vocoder_path = str(path)

    def play_spectrogram(
        self, spec01: np.ndarray, stats: dict[str, np.ndarray], meta: dict[str, Any]
    ) -> None:
        """Invert ``spec01`` (generator output in [0, 1]) off the GUI thread, then play it."""
        self._runner.submit("invert", spectrogram_audio, np.array(spec01), dict(stats), dict(meta))

    def play_from_run(self, spec01: np.ndarray, run: str) -> None:
        """Like :meth:`play_spectrogram`, reading the statistics of the run folder ``run``
        (e.g. the latent explorer's ``GenInfo.source``) on the worker thread."""
        self._runner.submit(
            "invert",
            run_spectrogram_sound,
            np.array(spec01),
            str(run),
            self.vocoder_path,
            self._vocoders,
        )

    def stop(self) -> None:
        self._runner.cancel("invert")
        if self._mine:
            self.playback.stop()

    def shutdown(self) -> None:
        """Stop the sound and the worker thread (waits for a running inversion)."""
        self.stop()
        self._runner.shutdown()

    @Slot(int, str, object)
    def _on_audio(self, _token: int, _lane: str, result: object) -> None:
        samples, sr = result  # type: ignore[misc]
        self.last_audio = (samples, sr)
        self._mine = True
        if not self.playback.play(samples, sr):
            self._mine = False

    @Slot(int, str, str)
    def _on_failed(self, _token: int, _lane: str, message: str) -> None:
        self.error.emit(message)

    @Slot()
    def _on_started(self) -> None:
        if self._mine:
            self.started.emit()

    @Slot()
    def _on_finished(self) -> None:
        if self._mine:
            self._mine = False
            self.finished.emit()

    @Slot(str)
    def _on_play_error(self, message: str) -> None:
        if self._mine:
            self.error.emit(message)
