"""The icon sizes come from the one SVG; the desktop entry and metainfo pass the validators."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from ganstudio.resources import APP_ID, ICON_SIZES
from tests.conftest import ROOT

RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / "linux" / f"{APP_ID}.desktop"
METAINFO = RESOURCES / "linux" / f"{APP_ID}.metainfo.xml"


def _make_icons_module():
    spec = importlib.util.spec_from_file_location("make_icons", RESOURCES / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"), dtype=np.int16)


def test_windows_and_macos_icons_hold_every_size():
    with Image.open(RESOURCES / "ganstudio.ico") as ico:
        assert ico.info["sizes"] == {(s, s) for s in ICON_SIZES if s <= 256}
    with Image.open(RESOURCES / "ganstudio.icns") as icns:
        assert icns.size == (1024, 1024)
        assert (16, 16, 2) in icns.info["sizes"] and (512, 512, 1) in icns.info["sizes"]


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
def test_committed_icons_are_rendered_from_the_svg(tmp_path):
    """Re-rendering the SVG gives the committed PNGs (a stale icon set fails)."""
    make_icons = _make_icons_module()
    make_icons.make_icons(png_dir=tmp_path / "png", box_dir=tmp_path)
    for size in ICON_SIZES:
        name = make_icons.png_name(size)
        fresh = _pixels(tmp_path / "png" / name)
        committed = _pixels(ROOT / "ganstudio" / "resources" / "icons" / name)
        assert fresh.shape == committed.shape
        assert np.abs(fresh - committed).mean() < 2.0, name  # rasteriser versions may differ


def test_desktop_entry_names_the_icon_and_command():
    text = DESKTOP.read_text()
    assert f"Icon={APP_ID}\n" in text and "Exec=ganstudio " in text
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in METAINFO.read_text()


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_entry_validates():
    out = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="needs appstream")
def test_metainfo_validates_pedantic():
    out = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Validation was successful." in out.stdout, out.stdout  # no infos, no pedantic notes
