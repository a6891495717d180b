"""Where GAN Studio keeps its own files: runs, caches, settings and logs.

``$GANSTUDIO_HOME`` moves all of them (tests, portable installs); unset or empty, they
live in ``~/GANStudio``. This is the only place that reads the variable.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "GANSTUDIO_HOME"


def home_override() -> Path | None:
    """``$GANSTUDIO_HOME`` when it is set to a non-empty value, else None."""
    value = os.environ.get(HOME_VARIABLE, "").strip()
    return Path(value).expanduser() if value else None


def app_home() -> Path:
    """GAN Studio's own folder: ``$GANSTUDIO_HOME``, default ``~/GANStudio``."""
    return home_override() or Path.home() / "GANStudio"
