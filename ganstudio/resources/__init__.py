"""Files GAN Studio ships beside its code (the icon sizes), found in every way it runs.

``resource_path(name)`` resolves ``name`` (a relative path such as ``icons/ganstudio-64.png``)
in one of three layouts:

* a checkout or an installed wheel: the files are package data next to this module;
* a frozen app (PyInstaller sets ``sys.frozen`` and ``sys._MEIPASS``): the spec collects
  them to ``ganstudio/resources`` under the bundle's data folder.

The sources (the SVG, the script rendering the sizes, the desktop entry) live in
``resources/`` at the top of the repository. Imports no Qt.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: the application's id: desktop entry, AppStream metainfo, icon name in the icon theme
APP_ID = "io.github.ganstudio.ganstudio"
#: the PNG sizes rendered from resources/ganstudio.svg
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resource_root() -> Path:
    """The folder that holds the resources in the running layout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "ganstudio" / "resources"
    return Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """The file ``name`` (relative, '/'-separated); FileNotFoundError names the folder searched."""
    root = resource_root()
    path = root.joinpath(*name.split("/"))
    if not path.is_file():
        raise FileNotFoundError(f"GAN Studio resource {name!r} is missing from {root}")
    return path


def icon_paths() -> list[Path]:
    """The application icon's PNG files, smallest first."""
    return [resource_path(f"icons/ganstudio-{size}.png") for size in ICON_SIZES]
