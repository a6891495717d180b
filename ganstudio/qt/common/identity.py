"""The application's identity for the desktop: names, icon and desktop entry id.

GUI thread only; call :func:`apply_identity` once the QApplication exists and before any
window is created, so every window and dialog inherits the icon.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QIcon

from ganstudio.resources import APP_ID, icon_paths

APP_NAME = "GAN Studio"


def application_icon() -> QIcon:
    """GAN Studio's icon with every rendered size (16-512 px)."""
    icon = QIcon()
    for path in icon_paths():
        icon.addFile(str(path))
    return icon


def apply_identity(app: QGuiApplication) -> None:
    """Names (QSettings uses them), window icon and desktop entry id (Wayland uses it to
    find the menu entry and its icon)."""
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(application_icon())
