"""Sound output through sounddevice (PortAudio), without Qt.

Threading contract: create an :class:`AudioPlayer` and call ``play``/``stop``/``close``
from one thread (the GUI thread is fine: they return at once, nothing blocks on the
sound). PortAudio calls the player's callback on its own audio thread; that callback
touches only the sample buffer and the play position, under a lock. ``position`` and
``is_playing`` may be read from any thread (e.g. a QTimer moving a cursor). The optional
``on_finished`` hook runs on the audio thread when a clip ends or is stopped: keep it
tiny (set a flag or emit a queued Qt signal). sounddevice is imported on first use; a
missing PortAudio library, no output device, or a device that fails to open gives
:class:`PlaybackError`, never a crash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np


class PlaybackError(RuntimeError):
    """Sound cannot be played; the message says why in words a person can act on."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio is missing
        raise PlaybackError(
            f"sound output is unavailable: the PortAudio library was not found ({exc}); "
            "install it (Debian/Ubuntu: apt install libportaudio2)"
        ) from exc
    except ImportError as exc:
        raise PlaybackError(f"sound output is unavailable: sounddevice is missing ({exc})") from exc
    return sounddevice


class AudioPlayer:
    """Plays float audio on the default (or a chosen) output device, optionally looped."""

    def __init__(
        self, device: int | str | None = None, on_finished: Callable[[], None] | None = None
    ) -> None:
        self.device = device
        self.on_finished = on_finished
        self._lock = threading.Lock()
        self._stream: Any = None
        self._data = np.zeros((0, 1), np.float32)
        self._pos = 0
        self._sr = 1
        self._loop = False
        self._done = threading.Event()
        self._done.set()
        self._generation = 0  # which stream's end _finished reports

    # -- public API (one controlling thread) --------------------------------------------
    def play(self, samples: np.ndarray, sr: int, loop: bool = False) -> None:
        """Start playing (n,) or (n, channels) samples at ``sr`` Hz from the start,
        replacing whatever was playing. Returns immediately."""
        data = np.asarray(samples, dtype=np.float32)
        if data.ndim == 1:
            data = data[:, None]
        if data.ndim != 2 or data.shape[0] == 0 or not 1 <= data.shape[1] <= 8:
            raise PlaybackError(
                f"nothing to play: expected (n,) or (n, channels) samples, got {np.shape(samples)}"
            )
        if not np.isfinite(data).all():
            raise PlaybackError("cannot play NaN or infinite samples")
        if int(sr) <= 0:
            raise PlaybackError(f"invalid sample rate {sr}")
        sd = _sounddevice()
        self.stop()
        with self._lock:
            self._data = np.ascontiguousarray(np.clip(data, -1.0, 1.0))
            self._pos, self._sr, self._loop = 0, int(sr), bool(loop)
        self._done.clear()
        self._generation += 1
        generation = self._generation
        try:
            stream = sd.OutputStream(
                samplerate=int(sr),
                channels=data.shape[1],
                dtype="float32",
                device=self.device,
                callback=self._callback,
                finished_callback=lambda: self._finished(generation),
            )
            stream.start()
        except (sd.PortAudioError, ValueError, OSError) as exc:
            self._done.set()
            raise PlaybackError(f"cannot open the sound output: {_describe(exc)}") from exc
        self._stream = stream

    def stop(self) -> None:
        """Stop playing (no-op when idle). Do not call from ``on_finished``."""
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception:  # the device may already be gone; stopping must not fail
                pass
        self._done.set()

    close = stop

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends (never, when looping, unless stopped); True if it
        ended within ``timeout`` seconds. For scripts and tests, not the GUI thread."""
        return self._done.wait(timeout)

    @property
    def is_playing(self) -> bool:
        return self._stream is not None and not self._done.is_set()

    @property
    def position(self) -> float:
        """Seconds into the clip of the next block handed to the device."""
        with self._lock:
            return self._pos / self._sr

    @property
    def duration(self) -> float:
        with self._lock:
            return len(self._data) / self._sr

    def __enter__(self) -> AudioPlayer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_loop(self, loop: bool) -> None:
        """Turn looping on or off, also while a sound is playing."""
        with self._lock:
            self._loop = bool(loop)

    # -- PortAudio's audio thread ----------------------------------------------------------
    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        with self._lock:
            data, pos, n = self._data, self._pos, len(self._data)
            filled = 0
            while filled < frames:
                take = min(frames - filled, n - pos)
                outdata[filled : filled + take] = data[pos : pos + take]
                filled += take
                pos += take
                if pos >= n:
                    if not self._loop:
                        break
                    pos = 0
            self._pos = pos
        if filled < frames:
            outdata[filled:] = 0.0
            raise _sounddevice().CallbackStop

    def _finished(self, generation: int) -> None:
        if generation != self._generation:
            return  # a replaced stream ending late must not end the current one
        try:
            if self.on_finished is not None:
                self.on_finished()
        finally:
            self._done.set()  # after the hook, so wait() returning means it has run


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if "-1" in text and "device" in text.lower():
        return f"no sound output device is available ({text})"
    return text
