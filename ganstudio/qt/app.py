"""Start the desktop app: check for a display, show the window, then load TensorFlow.

``run_app(argv)`` returns the exit code. Without a display it prints a plain message
pointing to ``ganstudio train`` and returns 2. TensorFlow is imported on a background
thread after the window is shown (see :mod:`ganstudio.qt.common.engine_probe`).

For automated screenshots, ``GANSTUDIO_SCREENSHOT=PATH`` saves a PNG of the window once
``GANSTUDIO_SCREENSHOT_AFTER`` sample grids (default 3) have arrived (or the run ended),
then stops the run and quits. ``GANSTUDIO_EXIT_WHEN_SHOWN=1`` prints when the window was
first shown and quits (the start-up benchmark).

Start-up also sets up the log file, the crash dialog for uncaught exceptions, the
application icon and, on a first start, the welcome banner.

Every wait at exit is bounded. Closing the window while training waits for the
checkpoint with the event loop running (see ``MainWindow.closeEvent``); if a thread is
still running after its bound, the process leaves with ``os._exit`` (settings are already
saved) instead of letting Qt abort on a running QThread.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from ganstudio.core.config import ConfigError, TrainConfig
from ganstudio.logs import setup_logging

log = logging.getLogger(__name__)

NO_DISPLAY_MESSAGE = (
    "GAN Studio cannot open its window: no display is available ({why}).\n"
    "Train from the command line instead, for example:\n"
    "    ganstudio train --dataset digits --model dcgan --steps 1500\n"
    "and open the run folder in the window later on a machine with a display."
)


EXIT_WAIT_MS = 60_000  # every worker, in all: a stopping run saves its checkpoint


def display_problem(environ: dict | None = None, platform: str = sys.platform) -> str | None:
    """Why no window can be shown on Linux/BSD, or None if a display looks available."""
    env = os.environ if environ is None else environ
    if not platform.startswith(("linux", "freebsd", "openbsd")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return "neither DISPLAY nor WAYLAND_DISPLAY is set"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ganstudio", description="GAN Studio window")
    parser.add_argument("path", nargs="?", help="a run folder to open, or a dataset (.npz/folder)")
    parser.add_argument("--config", help="load training settings from a config JSON file")
    parser.add_argument("--start", action="store_true", help="start training right away")
    parser.add_argument("--watch", action="store_true", help="follow the run folder in PATH")
    return parser.parse_args(argv)


def run_app(argv: list[str] | None = None) -> int:
    """Open the GAN Studio window and run the event loop; returns the exit code."""
    args = _parse(sys.argv[1:] if argv is None else argv)

    setup_logging("gui", echo=True)
    why = display_problem()
    if why:
        _tell(NO_DISPLAY_MESSAGE.format(why=why))
        return 2
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        try:
            app = _make_application()
        except RuntimeError as exc:
            _tell(NO_DISPLAY_MESSAGE.format(why=exc))
            return 2
    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.collector import GuiThreadCollector

    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.crash import install_crash_handler

    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.identity import apply_identity

    apply_identity(app)
    crash = install_crash_handler(app)
    collector = GuiThreadCollector(app)  # cyclic garbage with Qt objects dies on this thread
    try:
        return _run_window(app, args)
    finally:
        collector.stop()
        crash.uninstall()


def _tell(message: str) -> None:
    """A message for a person: in the log and, through its echo, on stderr."""
    log.error("%s", message)


def _run_window(app, args: argparse.Namespace) -> int:
    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.engine_probe import EngineProbe

    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.first_shown import FirstShown, exit_when_shown

    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.welcome import offer_welcome

    # deferred: Qt loads only after the display check
    from ganstudio.qt.main_window import MainWindow

    window = MainWindow()
    offer_welcome(window)
    first = FirstShown(window)
    probe = EngineProbe(window)
    probe.ready.connect(window.set_engine_ready)
    probe.failed.connect(window.set_engine_failed)
    if os.environ.get("GANSTUDIO_EXIT_WHEN_SHOWN"):
        exit_when_shown(first)
    else:
        first.shown.connect(probe.start)  # TensorFlow loads once the window is on screen
    window.show()
    if not _apply_args(window, args):
        return 1
    shot = os.environ.get("GANSTUDIO_SCREENSHOT")
    if shot:
        # deferred: Qt loads only after the display check
        from ganstudio.qt.common.screenshot import ScreenshotOnSamples

        ScreenshotOnSamples(window, shot, int(os.environ.get("GANSTUDIO_SCREENSHOT_AFTER", "3")))
    restore = _catch_stop_signals(window)
    try:
        code = app.exec()
    finally:
        restore()
    return _leave(window, code)


def _catch_stop_signals(window):
    """SIGTERM and SIGHUP stop a run with a checkpoint and close the window, as closing it
    does; returns a function that puts the previous handlers back. A timer lets Python run
    the handler while Qt's event loop waits."""
    import signal

    # deferred: Qt loads only after the display check
    from PySide6.QtCore import QTimer

    def on_signal(signum, _frame) -> None:
        log.info("%s: stopping and closing", signal.Signals(signum).name)
        QTimer.singleShot(0, window.stop_on_close.on_signal)

    wanted = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {s: signal.signal(s, on_signal) for s in wanted}
    tick = QTimer(window)
    tick.timeout.connect(lambda: None)
    tick.start(200)

    def restore() -> None:
        tick.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)

    return restore


def _leave(window, code: int) -> int:
    """Stop every worker within one bound; ``os._exit`` if a thread outlives it."""
    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.jobs import shutdown_all

    window.shutdown()  # e.g. after app.quit(): panels stop, settings are saved
    ended = shutdown_all(EXIT_WAIT_MS)  # every JobRunner and parked thread, training too
    if not ended:
        _tell("ganstudio: a background task did not end in time; leaving now")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _make_application():
    """QApplication, or RuntimeError when the platform plugin cannot start."""
    from PySide6.QtWidgets import QApplication

    # Qt aborts the process when no platform plugin can start; check first in a child
    # process so the user gets a message, not a core dump.
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        import subprocess

        probe = subprocess.run(
            [sys.executable, "-c", "from PySide6.QtGui import QGuiApplication as A; A([])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.returncode != 0:
            lines = [ln for ln in probe.stderr.splitlines() if ln.strip()]
            detail = lines[0] if lines else f"exit code {probe.returncode}"
            raise RuntimeError(f"the Qt platform plugin failed to start: {detail}")
    return QApplication(sys.argv[:1])


def _apply_args(window, args: argparse.Namespace) -> bool:
    from pathlib import Path

    # deferred: Qt loads only after the display check
    from ganstudio.qt.common.dialogs import show_error

    if args.config:
        try:
            window.train_view.panel.set_config(TrainConfig.from_json(args.config).validate())
        except ConfigError as exc:
            _tell(f"ganstudio: {exc}")
            return False
    if args.path:
        if args.watch:
            window.train_view.open_run(args.path, watch=True)
        elif Path(args.path).exists():
            window.open_path(args.path)
        else:
            show_error(window, "Cannot open", f"{args.path} does not exist")
    if args.start:
        window.train_view.start()
    return True


def main() -> int:
    return run_app()


if __name__ == "__main__":
    raise SystemExit(main())
