"""Sound pads: eight latents of an audio generator to play, re-roll and save as WAV, and
"Generate N sounds to a folder…".

Threading contract: :class:`SoundPadBank` lives in the GUI thread. The generator is used
only on the bank's own :class:`JobRunner` thread (see ``audio_model_jobs``); latents go in
and sounds (NumPy arrays) come back through queued signals. Call :meth:`shutdown` before
the application exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.sound import sound_model as jobs
from ganstudio.core.sound.sound_model import ModelSummary, check_audio_generator
from ganstudio.qt.audio.player import AudioPlayback
from ganstudio.qt.common.jobs import JobRunner


class SoundPad(QFrame):
    """One pad: a big play button, Re-roll and Save…."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.play_button = QPushButton(f"Pad {index + 1}")
        self.play_button.setMinimumHeight(48)
        self.play_button.setCheckable(True)
        self.reroll_button = QPushButton("Re-roll")
        self.save_button = QPushButton("Save…")
        row = QHBoxLayout()
        row.addWidget(self.reroll_button)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.play_button)
        layout.addLayout(row)


class SoundPadBank(QWidget):
    """Pads for an audio generator. Public API: :meth:`set_generator`, :meth:`load_run`,
    :meth:`play_pad`, :meth:`reroll`, :meth:`save_pad`, :meth:`generate_to_folder`.

    Signals: ``model_ready(str)`` (a description), ``error(str)``, ``saved(str)``,
    ``generated(str folder, int count)``, ``message(str)`` (status text).
    """

    model_ready = Signal(str)
    error = Signal(str)
    saved = Signal(str)
    generated = Signal(str, int)
    message = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, playback: AudioPlayback | None = None,
        pads: int = 8, seed: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.playback = playback or AudioPlayback(self)
        self.summary: ModelSummary | None = None
        self._rng = np.random.default_rng(seed)
        self._latents: list[np.ndarray] = []
        self._sounds: list[tuple[np.ndarray, int] | None] = [None] * pads
        self._versions = [0] * pads
        self._pending_save: dict[int, str] = {}
        self._slot = jobs.ModelSlot()
        self._runner = JobRunner("sound pads", self)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._runner.progress.connect(self._on_progress)
        self.playback.finished.connect(self._unmark)

        self.status = QLabel("No audio model loaded: use 'Load audio model…'.")
        self.status.setWordWrap(True)
        grid = QGridLayout()
        self.pads = [SoundPad(i) for i in range(pads)]
        for i, pad in enumerate(self.pads):
            grid.addWidget(pad, i // 4, i % 4)
            pad.play_button.clicked.connect(lambda _c=False, i=i: self.play_pad(i))
            pad.reroll_button.clicked.connect(lambda _c=False, i=i: self.reroll(i))
            pad.save_button.clicked.connect(lambda _c=False, i=i: self._ask_save(i))
        self.count = QSpinBox()
        self.count.setRange(1, 10000)
        self.count.setValue(16)
        self.generate_button = QPushButton("Generate N sounds to a folder…")
        self.generate_button.clicked.connect(self._ask_generate)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("N ="))
        bottom.addWidget(self.count)
        bottom.addWidget(self.generate_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(grid)
        layout.addLayout(bottom)
        self._set_enabled(False)

    # -- model -----------------------------------------------------------------------------
    def set_generator(
        self, gen: Any, stats: dict[str, np.ndarray], meta: dict[str, Any], name: str = "model"
    ) -> None:
        """Use ``gen`` (a LoadedGenerator-like object with ``kind == "audio"``) with the run's
        ``stats`` (mel_mean, mel_std) and ``meta`` (``gen.info["data_meta"]``). Raises
        :class:`~ganstudio.core.sound.sound_model.AudioModelError` for a model that cannot
        make sound. From now on ``gen`` is called only on the bank's worker thread."""
        check_audio_generator(gen, stats, meta)
        self._runner.submit("model", jobs.install, self._slot, gen, dict(stats), dict(meta), name)
        self._show("Preparing the audio model…")

    def load_run(self, path: str | Path) -> None:
        """Load a run folder's exported audio generator off the GUI thread; ends with
        ``model_ready`` or ``error``."""
        self._runner.submit("model", jobs.load_run, self._slot, str(path))
        self._show(f"Loading the audio model from {path}…")

    def set_vocoder(self, path: str) -> None:
        """Make the sounds with the vocoder at ``path`` (a melgan run whose mel settings
        match the model's; "" for phase reconstruction), off the GUI thread."""
        self._runner.submit("vocoder", jobs.use_vocoder, self._slot, str(path))

    def latent(self, index: int) -> np.ndarray:
        return self._latents[index].copy()

    # -- pads ------------------------------------------------------------------------------
    def play_pad(self, index: int) -> None:
        """Play pad ``index`` (rendered on the worker thread the first time)."""
        if not self._ready():
            return
        sound = self._sounds[index]
        if sound is not None:
            self._play(index, *sound)
            return
        self._submit_render("play", index)
        self._show(f"Rendering pad {index + 1}…")

    def reroll(self, index: int) -> None:
        """Draw a new latent for pad ``index`` and play it."""
        if not self._ready():
            return
        self._latents[index] = self._draw(1)[0]
        self._sounds[index] = None
        self._versions[index] += 1
        self.play_pad(index)

    def save_pad(self, index: int, path: str | Path) -> None:
        """Write pad ``index``'s sound to ``path`` as a WAV file; ends with ``saved``/``error``."""
        if not self._ready():
            return
        sound = self._sounds[index]
        if sound is not None:
            self._runner.submit("save", jobs.save_sound, str(path), sound[0], sound[1])
        else:
            self._pending_save[index] = str(path)
            self._submit_render("render-save", index)

    def generate_to_folder(self, folder: str | Path, n: int) -> None:
        """Write ``n`` sounds from fresh latents to new WAV files in ``folder``."""
        if not self._ready():
            return
        if n < 1:
            self._fail("choose at least one sound to generate")
            return
        z = self._draw(int(n))
        self._runner.submit(
            "batch", jobs.write_folder, self._slot, z, str(folder), with_progress=True
        )
        self._show(f"Generating {n} sounds into {folder}…")

    def shutdown(self) -> None:
        """Stop the sound and the worker thread (waits for a running job)."""
        self.playback.stop()
        self._runner.shutdown()

    # -- internals -------------------------------------------------------------------------
    def _submit_render(self, lane: str, index: int) -> None:
        z = self._latents[index][None].copy()
        self._runner.submit(lane, jobs.render_pad, self._slot, index, self._versions[index], z)

    def _draw(self, n: int) -> np.ndarray:
        dim = self.summary.latent_dim if self.summary else 1
        return self._rng.standard_normal((n, dim)).astype(np.float32)

    def _ready(self) -> bool:
        if self.summary is None:
            self._fail("no audio model is loaded: use 'Load audio model…' first")
            return False
        return True

    def _play(self, index: int, samples: np.ndarray, sr: int) -> None:
        if self.playback.play(samples, sr):
            self._unmark()
            self.pads[index].play_button.setChecked(True)
            self._show(f"Playing pad {index + 1} ({len(samples) / sr:.2f} s at {sr} Hz)")
        else:
            self._unmark()
            self._fail(self.playback.last_error)

    @Slot()
    def _unmark(self) -> None:
        for pad in self.pads:
            pad.play_button.setChecked(False)

    def _set_enabled(self, on: bool) -> None:
        for pad in self.pads:
            pad.setEnabled(on)
        self.generate_button.setEnabled(on)

    def _show(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    def _fail(self, text: str) -> None:
        self._show(text)
        self.error.emit(text)

    @Slot(int, str, object)
    def _on_done(self, _token: int, lane: str, result: Any) -> None:
        if lane == "model":
            self.summary = result
            self._latents = list(self._draw(len(self.pads)))
            self._sounds = [None] * len(self.pads)
            self._versions = [v + 1 for v in self._versions]
            self._set_enabled(True)
            text = (
                f"Audio model '{result.name}': {result.output_shape[0]} mel bands, "
                f"{result.seconds:.2f} s at {result.sample_rate} Hz. Click a pad to play."
            )
            self._show(text)
            self.model_ready.emit(text)
        elif lane in ("play", "render-save"):
            index, version, samples, sr = result
            if version != self._versions[index]:
                return  # the pad was re-rolled meanwhile
            self._sounds[index] = (samples, sr)
            if lane == "play":
                self._play(index, samples, sr)
            elif index in self._pending_save:
                path = self._pending_save.pop(index)
                self._runner.submit("save", jobs.save_sound, path, samples, sr)
        elif lane == "vocoder":
            self._sounds = [None] * len(self.pads)  # made the other way: render again
            self._versions = [v + 1 for v in self._versions]
            self._show(str(result))
        elif lane == "save":
            self._show(f"Saved {result}")
            self.saved.emit(str(result))
        elif lane == "batch":
            folder = str(Path(result[0]).parent) if result else ""
            self._show(f"Wrote {len(result)} sounds to {folder}")
            self.generated.emit(folder, len(result))

    @Slot(int, str, str)
    def _on_failed(self, _token: int, lane: str, message: str) -> None:
        if lane == "render-save":
            self._pending_save.clear()
        if lane == "vocoder":
            self._sounds = [None] * len(self.pads)
            self._versions = [v + 1 for v in self._versions]
        self._fail(message)

    @Slot(int, str, object)
    def _on_progress(self, _token: int, _lane: str, value: Any) -> None:
        done, total = value
        self._show(f"Generated {done} of {total} sounds…")

    def _ask_save(self, index: int) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save sound as WAV", f"pad_{index + 1}.wav", "WAV files (*.wav)"
        )
        if path:
            self.save_pad(index, path if path.lower().endswith(".wav") else path + ".wav")

    def _ask_generate(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the generated sounds")
        if folder:
            self.generate_to_folder(folder, self.count.value())
