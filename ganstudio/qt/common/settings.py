"""Persistent window settings (QSettings): geometry, last training settings, recent runs.

Settings use the organisation "GAN Studio". When ``GANSTUDIO_HOME`` is set (tests,
portable installs) they live in ``$GANSTUDIO_HOME/settings.ini`` instead of the
platform's usual place. GUI thread only.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ganstudio.core.config import ConfigError, TrainConfig
from ganstudio.paths import home_override

ORGANISATION = "GAN Studio"
APPLICATION = "GAN Studio"
MAX_RECENT = 10


def open_settings() -> QSettings:
    """The application's QSettings object."""
    home = home_override()
    if home is not None:
        home.mkdir(parents=True, exist_ok=True)
        return QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


class AppSettings:
    """Typed access to the few values the window keeps between sessions."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or open_settings()

    # -- window layout ---------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._s.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    # -- last training settings -------------------------------------------------
    def last_config(self) -> TrainConfig | None:
        """The settings of the last start, or None if missing or no longer valid."""
        text = self._s.value("train/last_config")
        if not isinstance(text, str) or not text:
            return None
        try:
            return TrainConfig.from_dict(json.loads(text)).validate()
        except (ValueError, TypeError, ConfigError):
            return None

    def save_config(self, config: TrainConfig) -> None:
        self._s.setValue("train/last_config", json.dumps(config.to_dict()))

    # -- recent runs -------------------------------------------------------------
    def recent_runs(self) -> list[str]:
        value = self._s.value("runs/recent")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if v]

    def add_recent_run(self, path: str) -> list[str]:
        """Put ``path`` first in the recent-runs list (at most ``MAX_RECENT``) and return it."""
        path = str(Path(path).resolve())
        runs = [path] + [r for r in self.recent_runs() if r != path]
        runs = runs[:MAX_RECENT]
        self._s.setValue("runs/recent", runs)
        return runs

    def remove_recent_run(self, path: str) -> list[str]:
        runs = [r for r in self.recent_runs() if r != path]
        self._s.setValue("runs/recent", runs)
        return runs

    # -- first start --------------------------------------------------------------
    def welcome_dismissed(self) -> bool:
        return self._s.value("welcome/dismissed", False, type=bool)

    def dismiss_welcome(self) -> None:
        self._s.setValue("welcome/dismissed", True)

    def sync(self) -> None:
        self._s.sync()
