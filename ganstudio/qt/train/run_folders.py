"""The Train tab's run-folder side: open a run folder or watch one that is still written.

:class:`RunFolders` is a mixin of :class:`~ganstudio.qt.train.view.TrainView`. Reading
happens on the view's :class:`~ganstudio.qt.common.jobs.JobRunner` (``self.jobs``) and
the :class:`RunWatcher`'s; the GUI thread only shows the plain data that comes back.
"""

from __future__ import annotations

from pathlib import Path

from ganstudio.qt.train.runs import RunSnapshot, RunWatcher, SampleBatch, read_run


class RunFolders:
    """Mixin: ``open_run`` / ``stop_watching`` and the views' updates from a run folder.

    A folder that another process writes (it holds the run's lock) is always opened to
    watch; ``run_writer`` then names that process, and the window trains nothing while so.
    """

    run_writer: str = ""  # "process PID on HOST" while the shown run is written by another

    def open_run(self, path: str, *, watch: bool = False) -> bool:
        """Read a run folder off the GUI thread, then show its plots and samples (``run_opened``
        follows, or an error message); ``watch`` then follows it as it grows."""
        if self.session is not None:
            self._error("Training is running", "stop the current run before opening another")
            return False
        self._open_watch = watch
        self.jobs.submit("open", read_run, str(path))
        self.status.emit(f"Opening {Path(path).name}…")
        return True

    def _on_job_done(self, _token: int, lane: str, result: object) -> None:
        if lane == "open" and self.session is None:
            self._show_run(result, self._open_watch)

    def _on_job_failed(self, _token: int, lane: str, message: str) -> None:
        if lane == "open":
            self._error("Cannot open run", message)

    def _show_run(self, snap: RunSnapshot, watch: bool) -> None:
        self.stop_watching()
        self.run_writer = str(snap.state.get("writer") or "")
        watch = watch or bool(self.run_writer)  # another process writes it: watch, never train
        total = int(snap.state.get("total_steps") or (snap.config.steps if snap.config else 0))
        self._clear_views(total)
        self.loss_plot.add_metrics(snap.metrics)
        self._show_records(snap.metrics)
        self.toy_view.dataset = snap.config.dataset if snap.config is not None else ""
        layout = snap.layout
        self.grid_view.set_source(snap.path, layout.cols, layout.kind)
        self.show_batch(snap.samples)
        if snap.config is not None:
            self.panel.set_config(snap.config)
        self.current_run = snap.path
        step = int(snap.state.get("step") or (snap.metrics[-1]["step"] if snap.metrics else 0))
        self.controls.reset(step, total)
        status = snap.state.get("status", "unknown")
        if self.run_writer:
            self.controls.set_message(
                f"Watching run: written by {self.run_writer} ({status} at step {step}/{total})"
            )
        else:
            self.controls.set_message(f"Opened run: {status} at step {step}/{total}")
        if watch:
            self.watcher = RunWatcher(
                snap.path,
                offset=snap.metrics_offset,
                seen_steps=snap.samples.steps,
                layout=snap.layout,
                parent=self,
            )
            self.watcher.metrics.connect(self._on_watched_metrics)
            self.watcher.metrics_reset.connect(self._on_watched_reset)
            self.watcher.samples.connect(self.show_batch)
            self.watcher.state_changed.connect(self._on_watched_state)
            self.watcher.start()
        verb = "Watching" if watch else "Opened"
        self.status.emit(f"{verb} run {Path(snap.path).name} ({status}, step {step})")
        self.run_opened.emit(snap.path)
        self.state_changed.emit()

    def show_batch(self, batch: SampleBatch) -> None:
        """Show sample grids read from a run folder (already tiled on a worker)."""
        if not batch.steps:
            return
        for step, points in batch.points:
            self.samples.setCurrentWidget(self.toy_view)
            self.toy_view.show_points(step, points)
        if not batch.points:
            self.samples.setCurrentWidget(self.grid_view)
            self.grid_view.add_batch(batch.steps, batch.grids)
        self.sample_received.emit(batch.steps[-1])

    def stop_watching(self) -> None:
        self.run_writer = ""
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
            self.state_changed.emit()

    def _on_watched_reset(self) -> None:
        self.loss_plot.clear(self.controls.total)

    def _on_watched_metrics(self, records: list) -> None:
        self.loss_plot.add_metrics(records)  # resume markers cut the curve back
        self._show_records(records)
        steps = [r for r in records if "step" in r and r.get("type", "train") == "train"]
        if not steps:
            return
        last = steps[-1]
        self.controls.update_progress(
            int(last.get("step", 0)),
            float(last.get("epoch", 0.0)),
            float(last.get("steps_per_sec", 0.0)),
            f"watching: written by {self.run_writer}" if self.run_writer else "",
        )

    def _on_watched_state(self, state: dict) -> None:
        writer = str(state.get("writer") or "")
        if writer != self.run_writer:
            self.run_writer = writer  # its writer ended (or another took the folder)
            self.state_changed.emit()
        total = int(state.get("total_steps") or 0)
        if total and total != self.controls.total:
            self.controls.reset(int(state.get("step", 0)), total)
            self.loss_plot.set_total_steps(total)
        self.status.emit(f"Watching: {state.get('status', '?')} at step {state.get('step', '?')}")
