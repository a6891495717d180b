"""The latent explorer panel: map, large view, sliders, classes, keyframes and exports.

Threading contract: all widgets live in the GUI thread; generation runs in a
:class:`~ganstudio.qt.latent.worker.LatentRenderer` as jobs on this panel's
:class:`~ganstudio.qt.common.jobs.JobRunner`, one lane per channel: only the newest
request per channel is rendered and shown. The map is debounced with superqt's
``qdebounced``. Call :meth:`LatentExplorer.shutdown` (closeEvent does) to stop and wait
for the thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QVBoxLayout, QWidget
from superqt.utils import qdebounced

from ganstudio.core.latent import space as lt
from ganstudio.core.latent.state import LatentState
from ganstudio.core.rundir import find_run, is_run_folder
from ganstudio.qt.common.jobs import JobRunner
from ganstudio.qt.latent.actions import KeyframeActions
from ganstudio.qt.latent.controls import LatentControls
from ganstudio.qt.latent.display import DisplayMapper
from ganstudio.qt.latent.keyframes import KeyframePanel
from ganstudio.qt.latent.view_panel import ViewPanel
from ganstudio.qt.latent.worker import GenInfo, LatentJob, LatentRenderer

MAP_DEBOUNCE_MS = 60
#: the render lanes: a new generator makes what is pending or running on them stale
RENDER_LANES = ("view", "map", "strip", "directions")


def default_cells(output_shape: tuple[int, ...]) -> int:
    """20 x 20 map cells for small outputs, fewer for large images or spectrograms."""
    pixels = int(np.prod(output_shape[:2])) if len(output_shape) >= 3 else 1
    return 20 if pixels <= 64 * 64 else 10


class LatentExplorer(KeyframeActions, QWidget):
    """Explore a generator's latent space (see the module docstring for threading)."""

    sound_requested = Signal(object)  # np.ndarray (h, w) spectrogram in [0, 1]
    generator_ready = Signal(object)  # GenInfo
    generator_updated = Signal(int)  # the step of the weights now explored (set_weights)
    image_shown = Signal(int)  # stamp of the view request now shown
    map_shown = Signal(int)
    strip_shown = Signal(int)
    directions_ready = Signal(str)
    exported = Signal(str, int)  # folder, number of files
    error = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = LatentState()
        self.info: GenInfo | None = None
        self.display = DisplayMapper()
        self.controls = LatentControls()
        self.view = ViewPanel()
        self.map_view = self.view.map_view
        self.keyframes = KeyframePanel()
        top = QHBoxLayout()
        top.addWidget(self.view, 3)
        top.addWidget(self.controls, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(top, 3)
        outer.addWidget(self.keyframes, 2)
        self._shown: dict[str, Any] = {"image": None, "z": None, "label": None}
        self._path: lt.LatentPath | None = None
        self._run: str | None = None  # the run folder shown (its latest or best generator)
        # the map (400 images) waits until a drag rests, so it never delays the large view
        self._map_later = qdebounced(self.request_map, timeout=MAP_DEBOUNCE_MS, parent=self)

        self.renderer = LatentRenderer()  # used only by the runner's thread
        self.jobs = JobRunner("latent-worker", self)
        self.jobs.done.connect(self._on_result)
        self.jobs.failed.connect(self._on_failed)
        self._sent: dict[str, LatentJob] = {}  # the newest job of each render lane
        self._exports = 0
        app = QCoreApplication.instance()
        if app is not None:  # a safety net: the owner should call shutdown() itself
            app.aboutToQuit.connect(self.shutdown)

        c = self.controls
        c.seed_changed.connect(lambda _s: self._reseed())
        c.truncation_changed.connect(lambda _t: self._reseed())
        c.class_changed.connect(self._on_class)
        c.basis_changed.connect(self._on_basis)
        c.coeff_changed.connect(self._on_coeff)
        c.open_requested.connect(self._ask_open)
        c.snapshot_changed.connect(self._on_snapshot)
        self.map_view.point_picked.connect(self._on_map_point)
        self.view.axes_changed.connect(self._on_axes)
        self.view.extent_changed.connect(self._on_extent)
        self.view.cells_changed.connect(self._on_cells)
        self.view.play_button.clicked.connect(self.play_current)
        k = self.keyframes
        k.add_requested.connect(self.add_keyframe)
        k.clear_requested.connect(self.clear_keyframes)
        k.interpolate_requested.connect(self.interpolate)
        k.export_png_requested.connect(lambda: self.export_strip_png())
        k.export_gif_requested.connect(lambda: self.export_gif())
        k.export_folder_requested.connect(lambda: self.export_images())

    # -------------------------------------------------------------- generator
    def set_generator(self, gen: Any, source: str = "") -> None:
        """Explore ``gen`` (a LoadedGenerator); from now on only the worker calls it."""
        info = GenInfo.of(gen, source)
        self.jobs.submit("generator", self.renderer.install, gen)
        self._configure(info)

    def load_path(self, path: str | Path) -> None:
        """Load a run folder or exported generator on the worker; emits generator_ready.

        For a run folder the Generator choice decides: its latest generator, or the best
        checkpoint's (``generator/best``) when the run keeps one."""
        run = find_run(path) if is_run_folder(path) else None
        self._run = str(run.path) if run is not None else None
        best = run.generator_dir / "best" if run is not None else None
        has_best = best is not None and (best / "generator.keras").is_file()
        snap = self.controls.snapshot
        snap.blockSignals(True)
        snap.setEnabled(has_best)
        if not has_best:
            snap.setCurrentIndex(0)
        snap.blockSignals(False)
        use_best = has_best and snap.currentData() == "best"
        self.jobs.submit("generator", self.renderer.load, str(best if use_best else path))

    def _on_snapshot(self, _choice: str) -> None:
        if self._run:
            self.load_path(self._run)

    def set_weights(self, source: str | Path, snapshot: Any) -> None:
        """Explore the generator of run folder ``source`` with ``snapshot``'s weights (a
        GeneratorWeights, e.g. from a live sample grid). The model is built once per
        architecture; later weights only refresh the images, keeping the sliders where they
        are. Emits ``generator_updated(step)``."""
        self.jobs.submit("generator", self.renderer.update_weights, str(source), snapshot)

    def _on_weights_applied(self, info: GenInfo, step: int, built: bool) -> None:
        if built or info != self.info:
            self._configure(info)
        else:
            self._after_move(map_too=True)  # same point, new weights
        self.generator_updated.emit(step)

    def _ask_open(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a run folder or generator folder")
        if path:
            self.load_path(path)

    def _configure(self, info: GenInfo) -> None:
        for lane in RENDER_LANES:  # nothing rendered for the previous generator is shown
            self.jobs.cancel(lane)
        self.info = info
        self.display = DisplayMapper(info.kind)
        self._shown.update(image=None, z=None, label=None, strip=None)
        self.state.configure(info.latent_dim, info.num_classes)
        self.state.cells = default_cells(info.output_shape)
        self.controls.configure(info)
        self.view.configure(info, self.state.slider_names(), self.state.cells)
        self.clear_keyframes()
        self._reseed()
        self.generator_ready.emit(info)

    # ------------------------------------------------------------------ state
    def current_latent(self) -> np.ndarray:
        """The latent of the current point, (latent_dim,) float32."""
        return self.state.latent()

    def current_label(self) -> int | None:
        return self.state.label

    def shown_image(self) -> np.ndarray | None:
        """The generator output shown large now (float32 in [0, 1], one sample)."""
        return self._shown["image"]

    def shown_latent(self) -> np.ndarray | None:
        return self._shown["z"]

    def shown_label(self) -> int | None:
        return self._shown["label"]

    def strip_frames(self) -> np.ndarray | None:
        """Raw generator outputs of the last interpolation (n, ...)."""
        return self._shown.get("strip")

    def last_path(self) -> lt.LatentPath | None:
        return self._path

    def _reseed(self) -> None:
        if self.info is None:
            return
        self.state.reseed(self.controls.seed.value(), self.controls.truncation_value())
        self._after_move(map_too=True)

    def _on_class(self, index: int) -> None:
        self.state.label = index if self.state.num_classes else None
        self._after_move(map_too=True)

    def _on_basis(self, kind: str) -> None:
        if kind == "axes":
            self.state.use_axes()
            self.controls.set_slider_count(len(self.state.basis), "z")
            self.view.set_slider_names(self.state.slider_names())
            self._after_move(map_too=True)
            return
        layer = None if kind == "pca:output" else kind.split(":", 1)[1]
        k = min(self.state.latent_dim, 8)
        self.view.set_status("computing principal directions…")
        self._request(LatentJob("directions", params=dict(k=k, layer=layer)))

    def _on_coeff(self, i: int, value: float) -> None:
        self.state.coeffs[i] = value
        self._after_move(map_too=i not in self.state.map_axes)

    def _on_map_point(self, x: float, y: float) -> None:
        a, b = self.state.map_axes
        self.state.coeffs[a] = x
        if b != a:
            self.state.coeffs[b] = y
        self._after_move(map_too=False)

    def _on_axes(self, a: int, b: int) -> None:
        self.state.map_axes = (a, b)
        self._after_move(map_too=True)

    def _on_extent(self, extent: float) -> None:
        self.state.extent = extent
        self._after_move(map_too=True)

    def _on_cells(self, cells: int) -> None:
        self.state.cells = cells
        self._after_move(map_too=True)

    def _after_move(self, map_too: bool) -> None:
        self.controls.set_coeffs(self.state.coeffs)
        a, b = self.state.map_axes
        self.map_view.set_marker(self.state.coeffs[a], self.state.coeffs[b])
        self.request_view()
        if map_too:
            self._map_later()

    # --------------------------------------------------------------- requests
    def _request(self, job: LatentJob) -> int:
        """Render ``job`` on the runner (newest of its channel wins; every export runs);
        returns its stamp (the runner's token), or 0 once the window has shut the runner
        down (a debounced map request may still fire while it closes)."""
        if self.jobs.closed:
            return 0
        lane = job.channel
        if lane == "export":
            self._exports += 1
            lane = f"export:{self._exports}"
        self._sent[lane] = job
        return self.jobs.submit(lane, self.renderer.render, job)

    def request_view(self) -> int:
        """Ask for the current point's image; returns the request's stamp."""
        z = self.current_latent()[None]
        return self._request(LatentJob("view", z, self.state.labels(1)))

    def request_map(self) -> int:
        """Ask for the map (cells x cells images over the two map directions) now."""
        self._map_later.cancel()
        zs = self.state.map_latents()
        return self._request(LatentJob("map", zs, self.state.labels(len(zs))))

    def _on_result(self, stamp: int, lane: str, payload: Any) -> None:
        if lane == "generator":
            if isinstance(payload, GenInfo):  # loaded
                self._configure(payload)
            elif payload is not None:  # weights applied
                self._on_weights_applied(*payload)
            return
        job = self._sent.pop(lane, None)
        if job is None or self.info is None:
            return
        channel = job.channel
        if channel == "view":
            self._shown.update(image=payload[0], z=job.z[0].copy(), label=self.state.label)
            self.view.show_image(self.display.images(payload)[0])
            self.image_shown.emit(stamp)
            if self.view.autoplay.isChecked():
                self.play_current()
        elif channel == "map":
            mosaic = self.display.mosaic(payload, self.state.cells)
            self.map_view.set_mosaic(mosaic, self.state.extent)
            if self.display.plane and self._shown["image"] is not None:
                self.view.show_image(self.display.images(self._shown["image"][None])[0])
            self.map_shown.emit(stamp)
        elif channel == "strip":
            self._shown["strip"] = payload
            self.keyframes.set_frames(self.display.images(payload))
            self.strip_shown.emit(stamp)
        elif channel == "directions":
            if payload.vectors.shape[1] != self.state.latent_dim:
                return
            self.state.use_directions(payload.vectors)
            self.controls.set_slider_count(len(self.state.basis), "pc")
            self.view.set_slider_names(self.state.slider_names())
            shares = ", ".join(f"{100 * e:.0f}%" for e in payload.explained[:4])
            self.view.set_status(f"principal directions of {payload.source}: {shares} …")
            self._after_move(map_too=True)
            self.directions_ready.emit(payload.source)
        elif channel == "export":
            self.keyframes.status.setText(f"wrote {len(payload)} files")
            self.exported.emit(job.params["out"], len(payload))

    def _on_failed(self, _stamp: int, lane: str, message: str) -> None:
        self._sent.pop(lane, None)
        channel = "load" if lane == "generator" else lane.split(":")[0]
        self.view.set_status(f"{channel}: {message}")
        self.error.emit(message)

    # --------------------------------------------------------------- shutdown
    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the animation and the worker thread, waiting at most ``timeout_ms`` for a
        job in progress (a thread still busy then is parked until it ends). Idempotent;
        True when the thread has ended."""
        self.keyframes.stop()
        self._map_later.cancel()
        return self.jobs.shutdown(timeout_ms)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
