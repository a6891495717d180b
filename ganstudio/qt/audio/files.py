"""Finding and describing sound files for the audio panel, and the list that shows them.

:func:`scan_paths` and :func:`load_for_display` are blocking worker-thread jobs that return
frozen dataclasses of plain data; :class:`AudioFileList` is a GUI-thread widget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from ganstudio.core.audio.io import (
    AUDIO_EXTENSIONS,
    AudioError,
    describe_audio,
    find_audio_files,
    load_audio,
)

#: envelope columns computed for the waveform view (more than any screen is wide)
ENVELOPE_WIDTH = 2000
#: longest stretch of one file that is shown and played
MAX_SECONDS = 600.0
#: most spectrogram columns drawn (longer sounds are max-pooled over time)
MAX_FRAMES = 1500


@dataclass(frozen=True)
class ScanResult:
    """What opening some files/folders found: readable sounds, problems, ignored files."""

    infos: tuple  # AudioInfo of every readable sound, sorted by path
    problems: tuple  # (path, reason) of audio files that cannot be read
    ignored: int  # non-audio files skipped (other extensions)

    def summary(self, added: int) -> str:
        """One line for a person, e.g. ``Opened 3 sounds; could not read x.wav: ...``."""
        parts = [f"Opened {added} sound{'s' if added != 1 else ''}"]
        if self.problems:
            path, reason = self.problems[0]
            extra = len(self.problems) - 1
            more = f" (and {extra} more, listed)" if extra else ""
            parts.append(f"could not read {Path(path).name}: {reason}{more}")
        if self.ignored:
            parts.append(f"skipped {self.ignored} non-audio file(s)")
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class SoundView:
    """One decoded sound, ready to draw and play."""

    path: str
    samples: np.ndarray  # (n,) or (n, channels) float32
    sample_rate: int
    duration: float
    env_min: np.ndarray  # (ENVELOPE_WIDTH,)
    env_max: np.ndarray
    s_db: np.ndarray  # (n_mels, frames) dB, max 0
    times: np.ndarray  # (frames,) seconds
    freqs: np.ndarray  # (n_mels,) Hz
    truncated: bool


def scan_paths(paths: Iterable[str | Path]) -> ScanResult:
    """Describe every audio file among ``paths`` (files, or folders searched recursively).
    Files with other extensions are counted as ignored; unreadable audio files, files with
    no audio frames and missing paths are returned as problems with the reason."""

    candidates: list[Path] = []
    problems: list[tuple[str, str]] = []
    ignored = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = find_audio_files(path)
            ignored += sum(1 for p in path.rglob("*") if p.is_file()) - len(found)
            candidates.extend(found)
        elif not path.exists():
            problems.append((str(path), "no such file or folder"))
        elif path.suffix.lower() in AUDIO_EXTENSIONS:
            candidates.append(path)
        else:
            ignored += 1
    infos = []
    seen: set[str] = set()
    for path in candidates:
        if str(path) in seen:
            continue
        seen.add(str(path))
        try:
            info = describe_audio(path)
        except AudioError as exc:
            problems.append((str(path), str(exc).removeprefix(f"{path}: ")))
            continue
        if info.frames == 0:
            problems.append((str(path), "the file has a valid header but holds no audio frames"))
            continue
        infos.append(info)
    infos.sort(key=lambda i: i.path)
    return ScanResult(tuple(infos), tuple(sorted(problems)), ignored)


def display_hop(n_samples: int, frames: int = 128) -> int:
    """A power-of-two hop (64..512) giving short sounds about ``frames`` columns."""
    hop = 1 << max(0, int(np.floor(np.log2(max(n_samples, 1) / frames))))
    return int(min(512, max(64, hop)))


def pool_frames(
    s_db: np.ndarray, times: np.ndarray, max_frames: int
) -> tuple[np.ndarray, np.ndarray]:
    """Max-pool a (bands, frames) spectrogram over time to at most ``max_frames`` columns
    (so a long file draws fast); ``times`` become the centres of the pooled columns."""
    frames = s_db.shape[1]
    k = -(-frames // max_frames)
    if k <= 1:
        return s_db, times
    usable = frames // k * k
    pooled = s_db[:, :usable].reshape(s_db.shape[0], -1, k).max(axis=2)
    centres = times[:usable].reshape(-1, k).mean(axis=1)
    return np.ascontiguousarray(pooled), centres.astype(np.float32)


def load_for_display(path: str) -> SoundView:
    """Decode ``path`` and compute its waveform envelope and mel spectrogram (dB).
    Raises AudioError (a ValueError) with a readable text for files that cannot be read."""
    # deferred: scipy (audio features)
    from ganstudio.core.audio.features import mel_spectrogram_db, waveform_envelope

    info = describe_audio(path)
    samples, sr = load_audio(path, max_seconds=MAX_SECONDS)
    env_min, env_max = waveform_envelope(samples, ENVELOPE_WIDTH)
    s_db, times, freqs = mel_spectrogram_db(samples, sr, hop_length=display_hop(len(samples)))
    s_db, times = pool_frames(s_db, times, MAX_FRAMES)
    return SoundView(
        path=str(path),
        samples=samples,
        sample_rate=sr,
        duration=len(samples) / sr,
        env_min=env_min,
        env_max=env_max,
        s_db=s_db,
        times=times,
        freqs=freqs,
        truncated=info.frames > len(samples),
    )


def warm_up_job() -> str:
    """Worker-thread job: compile librosa's paths and initialise PortAudio once."""
    # deferred: scipy and numba (the kernels it compiles)
    from ganstudio.core.audio.warmup import warm_up

    warm_up()
    try:
        import sounddevice  # noqa: F401  (PortAudio initialises here, off the GUI thread)
    except (OSError, ImportError) as exc:
        return f"sound output is unavailable ({exc}); files can still be viewed"
    return ""


class AudioFileList(QTreeWidget):
    """Readable sounds with name, duration, rate, channels and format; emits
    ``file_selected(path)`` when the current row changes. GUI thread only."""

    file_selected = Signal(str)
    COLUMNS = ("Name", "Duration (s)", "Rate (Hz)", "Channels", "Format")

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.currentItemChanged.connect(self._on_current)

    def add_infos(self, infos: Iterable) -> int:
        """Append sounds not listed yet; returns how many were added."""
        known = set(self.paths())
        added = 0
        for info in infos:
            if info.path in known:
                continue
            known.add(info.path)
            depth = f"{info.bit_depth}-bit" if info.bit_depth else info.subtype
            item = QTreeWidgetItem(
                [
                    Path(info.path).name,
                    f"{info.duration:.3f}",
                    str(info.sample_rate),
                    str(info.channels),
                    f"{info.format} {depth}",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, info.path)
            item.setToolTip(0, f"{info.path}\n{info.summary()}")
            for col in (1, 2, 3):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            self.addTopLevelItem(item)
            added += 1
        if added:
            self.resizeColumnToContents(0)
        return added

    def paths(self) -> list[str]:
        return [
            self.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
            for i in range(self.topLevelItemCount())
        ]

    def select_path(self, path: str | Path) -> bool:
        """Make ``path`` the current row (emits ``file_selected``); False if not listed."""
        for i, known in enumerate(self.paths()):
            if known == str(path):
                self.setCurrentItem(self.topLevelItem(i))
                return True
        return False

    def current_path(self) -> str | None:
        item = self.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.file_selected.emit(current.data(0, Qt.ItemDataRole.UserRole))
