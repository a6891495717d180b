"""Waveform and mel-spectrogram views of one sound, with a play cursor.

Both are matplotlib ``FigureCanvasQTAgg`` widgets fed with arrays computed on a worker
thread (see ``audio_panel``). A new sound redraws the figure once; moving the play cursor
only blits the cursor line over a cached background (``set_cursor``), so a cursor at
30 Hz costs little. GUI thread only.

The spectrogram's frequency axis is in Hz on a mel scale (Slaney's formula, as librosa
uses by default), so band heights match the data while the ticks read in Hz.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

_F_SP = 200.0 / 3.0
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0
_FREQ_TICKS = (0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000)


def _hz_label(value: float, _pos: int) -> str:
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney mel scale: linear below 1 kHz, logarithmic above (works on any array)."""
    f = np.asarray(hz, dtype=float)
    log_part = _MIN_LOG_MEL + np.log(np.maximum(f, _MIN_LOG_HZ) / _MIN_LOG_HZ) / _LOGSTEP
    return np.where(f >= _MIN_LOG_HZ, log_part, f / _F_SP)


def mel_to_hz(mel: np.ndarray) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`."""
    m = np.asarray(mel, dtype=float)
    log_part = _MIN_LOG_HZ * np.exp(_LOGSTEP * (np.clip(m, _MIN_LOG_MEL, 1e3) - _MIN_LOG_MEL))
    return np.where(m >= _MIN_LOG_MEL, log_part, m * _F_SP)


class _CursorCanvas(FigureCanvasQTAgg):
    """A canvas with vertical cursor lines drawn by blitting."""

    def __init__(self, height: float) -> None:
        super().__init__(Figure(figsize=(6, height), layout="constrained"))
        self.cursors: list = []
        self._background = None
        self.duration = 0.0
        self.mpl_connect("draw_event", self._on_draw)

    def _add_cursor(self, ax) -> None:
        line = ax.axvline(0.0, color="#d62728", linewidth=1.2, animated=True, visible=False)
        self.cursors.append(line)

    def set_cursor(self, seconds: float | None) -> None:
        """Move the play cursor to ``seconds`` (None hides it)."""
        for line in self.cursors:
            line.set_visible(seconds is not None)
            if seconds is not None:
                line.set_xdata([seconds, seconds])
        if self._background is None:
            self.draw_idle()
            return
        self.restore_region(self._background)
        for line in self.cursors:
            if line.get_visible():
                line.axes.draw_artist(line)
        self.blit(self.figure.bbox)

    @property
    def cursor_position(self) -> float | None:
        """Where the cursor is (seconds), or None when hidden."""
        if not self.cursors or not self.cursors[0].get_visible():
            return None
        return float(self.cursors[0].get_xdata()[0])

    def _on_draw(self, _event) -> None:
        self._background = self.copy_from_bbox(self.figure.bbox)
        for line in self.cursors:
            if line.get_visible():
                line.axes.draw_artist(line)

    def _reset(self, message: str) -> None:
        self.figure.clear()
        self.cursors = []
        self._background = None
        if message:
            self.figure.text(0.5, 0.5, message, ha="center", va="center", color="0.4")

    def resizeEvent(self, event) -> None:
        self._background = None
        super().resizeEvent(event)


class WaveformView(_CursorCanvas):
    """The sound's waveform as a min/max envelope (one pair per pixel column)."""

    def __init__(self) -> None:
        super().__init__(2.0)
        self.ax = None
        self.upper = self.lower = None
        self.clear_view("Select a sound")

    def clear_view(self, message: str = "") -> None:
        self._reset(message)
        self.ax = self.upper = self.lower = None
        self.draw_idle()

    def show_envelope(self, mins: np.ndarray, maxs: np.ndarray, duration: float) -> None:
        """Draw the envelope ``mins``/``maxs`` (width,) spread over ``duration`` seconds."""
        self._reset("")
        self.duration = float(duration)
        ax = self.ax = self.figure.add_subplot()
        t = np.linspace(0.0, self.duration, len(maxs))
        ax.fill_between(t, mins, maxs, color="#1f77b4", linewidth=0)
        (self.upper,) = ax.plot(t, maxs, color="#1f77b4", linewidth=0.6)
        (self.lower,) = ax.plot(t, mins, color="#1f77b4", linewidth=0.6)
        ax.set_xlim(0.0, self.duration)
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlabel("Time (s)")
        ax.set_ylabel("Amplitude")
        ax.margins(x=0)
        self._add_cursor(ax)
        self.draw_idle()


class MelSpectrogramView(_CursorCanvas):
    """The sound's mel spectrogram in dB, time in seconds, frequency in Hz, a colour bar."""

    def __init__(self) -> None:
        super().__init__(3.0)
        self.ax = self.mesh = self.colorbar = None
        self.clear_view("")

    def clear_view(self, message: str = "") -> None:
        self._reset(message)
        self.ax = self.mesh = self.colorbar = None
        self.draw_idle()

    def show_spectrogram(
        self, s_db: np.ndarray, times: np.ndarray, freqs: np.ndarray, duration: float
    ) -> None:
        """Draw ``s_db`` (n_mels, frames) with frame centres ``times`` (s) and band centres
        ``freqs`` (Hz, lowest first) over ``duration`` seconds."""
        self._reset("")
        self.duration = float(duration)
        n_mels = s_db.shape[0]
        step = float(times[1] - times[0]) if len(times) > 1 else self.duration
        t_edges = np.concatenate([times - step / 2, [times[-1] + step / 2]])
        t_edges = np.clip(t_edges, 0.0, max(self.duration, float(t_edges[0])))
        lo, hi = float(freqs[0]), float(freqs[-1])
        f_edges = mel_to_hz(np.linspace(hz_to_mel(lo), hz_to_mel(hi), n_mels + 1))
        ax = self.ax = self.figure.add_subplot()
        ax.set_yscale("function", functions=(hz_to_mel, mel_to_hz))
        self.mesh = ax.pcolormesh(
            t_edges, f_edges, s_db, shading="flat", cmap="magma", rasterized=True
        )
        self.colorbar = self.figure.colorbar(self.mesh, ax=ax, format="%+.0f dB", pad=0.01)
        self.colorbar.set_label("dB")
        ax.set_xlim(0.0, self.duration)
        ax.set_ylim(lo, hi)
        ticks = [f for f in _FREQ_TICKS if lo <= f <= hi]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_formatter(FuncFormatter(_hz_label))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("Time (s)")
        ax.set_ylabel("Frequency (Hz)")
        self._add_cursor(ax)
        self.draw_idle()
