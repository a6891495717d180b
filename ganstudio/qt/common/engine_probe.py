"""Load TensorFlow in the background after the window is up and report the device.

Threading contract: :class:`EngineProbe` starts a QThread whose worker imports
TensorFlow (and Keras) and lists the GPUs; ``ready(str)`` or ``failed(str)`` arrive in
the GUI thread. Call :meth:`EngineProbe.wait` before exit (an import cannot be aborted,
so the wait is bounded and the caller decides what to do if it is still running).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ganstudio.core.device import describe_device
from ganstudio.core.heap import freeze_engine_modules
from ganstudio.qt.common.engine_threads import configure_tf_threads


class _ProbeWorker(QObject):
    ready = Signal(str)
    failed = Signal(str)

    @Slot()
    def run(self) -> None:
        try:
            configure_tf_threads()  # before anything starts TensorFlow's runtime
            freeze_engine_modules()  # warms the import for the first run, too

            self.ready.emit(describe_device())
        except Exception as exc:  # an engine that cannot load must not take the window down
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.thread().quit()


class EngineProbe(QObject):
    """Owns the probe thread; emits ``ready(device)`` or ``failed(message)``."""

    ready = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device: str | None = None
        self._thread = QThread()
        self._thread.setObjectName("ganstudio-engine-probe")
        self._worker = _ProbeWorker()
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.ready.connect(self._on_ready)
        self._worker.failed.connect(self.failed)

    def start(self) -> None:
        self._thread.start()

    def running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Wait up to ``timeout_ms`` for the probe; True when its thread is not running."""
        return self._thread.wait(timeout_ms)

    @Slot(str)
    def _on_ready(self, device: str) -> None:
        self.device = device
        self.ready.emit(device)
