"""Keyframe, interpolation, export and playback actions of the latent explorer.

A mixin for :class:`~ganstudio.qt.latent.explorer.LatentExplorer` (GUI thread only): it
uses the explorer's ``state``, ``keyframes`` panel, ``controls``, and its
``_request`` (a job on the explorer's runner). Strip and GIF exports write the frames already shown;
"N images to a folder" generates on the worker and ends with ``exported``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog

from ganstudio.core.latent import export as lx
from ganstudio.core.latent import space as lt
from ganstudio.qt.kinds import kind_view
from ganstudio.qt.latent.worker import LatentJob


class KeyframeActions:
    """Keyframes, interpolation, exports and "play" for the explorer (mixin)."""

    # -------------------------------------------------------------- keyframes
    def add_keyframe(self) -> None:
        if self.info is None:
            return
        self.state.keyframes.append((self.current_latent(), self.state.label))
        self.keyframes.set_keyframes(self.state.keyframe_descriptions(self.info))

    def clear_keyframes(self) -> None:
        self.state.keyframes.clear()
        self._path = None
        self._shown["strip"] = None
        self.keyframes.set_keyframes([])
        self.keyframes.set_frames(None)

    def interpolate(self) -> int | None:
        """Render the path through the keyframes; returns the request's stamp."""
        try:
            path = self.state.path(self.keyframes.mode_value(), self.keyframes.frames.value())
        except lt.LatentError as exc:
            self._report(str(exc))
            return None
        self._path = path
        return self._request(LatentJob("strip", path.z, path.label_from, path.label_to, path.mix))

    # ---------------------------------------------------------------- exports
    def export_strip_png(self, path: str | Path | None = None) -> Path | None:
        frames = self.keyframes.frames_shown()
        if frames is None:
            return None
        if not path:
            path = QFileDialog.getSaveFileName(self, "Save strip", "strip.png", "PNG (*.png)")[0]
        return self._write(lx.save_strip_png, frames, path) if path else None

    def export_gif(self, path: str | Path | None = None) -> Path | None:
        frames = self.keyframes.frames_shown()
        if frames is None:
            return None
        if not path:
            path = QFileDialog.getSaveFileName(self, "Save GIF", "path.gif", "GIF (*.gif)")[0]
        return self._write(lx.save_animation_gif, frames, path) if path else None

    def _write(self, save, frames: np.ndarray, path: str | Path) -> Path | None:
        try:
            written = save(frames, path)
        except (OSError, ValueError) as exc:
            self._report(f"cannot write {path}: {exc}")
            return None
        self.keyframes.status.setText(f"wrote {written}")
        return written

    def _report(self, message: str) -> None:
        self.keyframes.status.setText(message)
        self.error.emit(message)

    def export_images(self, folder: str | Path | None = None, n: int | None = None) -> int | None:
        """Generate ``n`` images (seed, truncation and class as set) into ``folder``."""
        folder = folder or QFileDialog.getExistingDirectory(self, "Generate images into")
        if not folder:
            return None
        params = dict(
            out=str(folder),
            n=int(n or self.keyframes.count.value()),
            seed=self.controls.seed.value(),
            truncation=self.controls.truncation_value(),
            label=self.state.label,
        )
        return self._request(LatentJob("export", params=params))

    def play_current(self) -> None:
        """Emit the shown spectrogram (h, w) for the audio panel to play."""
        image = self.shown_image()
        if image is not None and self.info is not None and kind_view(self.info.kind).playable:
            spec = np.asarray(image, np.float32)
            self.sound_requested.emit(spec[..., 0] if spec.ndim == 3 else spec)
