"""Load TensorFlow in the background after the window is up and report the device.

Threading contract: :class:`EngineProbe` runs one job on its
:class:`~ganstudio.qt.common.jobs.JobRunner` that imports TensorFlow (and Keras) and
lists the GPUs; ``ready(str)`` or ``failed(str)`` arrive in the GUI thread. An import
cannot be stopped: the bounded wait before exit is :func:`~ganstudio.qt.common.jobs.shutdown_all`'s.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from ganstudio.core.device import describe_device
from ganstudio.core.heap import freeze_engine_modules
from ganstudio.qt.common.engine_threads import configure_tf_threads
from ganstudio.qt.common.jobs import JobRunner


def probe_engine() -> str:
    """Import the engine with the window's thread counts; the device it will use."""
    configure_tf_threads()  # before anything starts TensorFlow's runtime
    freeze_engine_modules()  # warms the import for the first run, too
    return describe_device()


class EngineProbe(QObject):
    """Runs :func:`probe_engine` once; emits ``ready(device)`` or ``failed(message)``."""

    ready = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device: str | None = None
        self.jobs = JobRunner("ganstudio-engine-probe", self)
        self.jobs.done.connect(self._on_done)
        self.jobs.failed.connect(self._on_failed)

    def start(self) -> None:
        self.jobs.submit("probe", probe_engine)

    def running(self) -> bool:
        return self.jobs.is_busy()

    @Slot(int, str, object)
    def _on_done(self, _token: int, _lane: str, device: object) -> None:
        self.device = str(device)
        self.ready.emit(self.device)

    @Slot(int, str, str)
    def _on_failed(self, _token: int, _lane: str, message: str) -> None:
        self.failed.emit(message)
