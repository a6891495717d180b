"""The resource helper finds the icon in a checkout, a wheel's layout and a frozen app's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ganstudio.resources as res
from tests.conftest import ROOT


def test_checkout_finds_every_icon_size():
    paths = res.icon_paths()
    assert [p.name for p in paths] == [f"ganstudio-{s}.png" for s in res.ICON_SIZES]
    for size, path in zip(res.ICON_SIZES, paths, strict=True):
        assert path.is_relative_to(ROOT / "ganstudio" / "resources")
        with Image.open(path) as image:
            assert image.size == (size, size)
            alpha = np.asarray(image.convert("RGBA"))[..., 3]
        assert alpha[0, 0] == 0 and alpha[size // 2, size // 2] == 255  # round tile, opaque


def test_missing_resource_names_the_folder():
    with pytest.raises(FileNotFoundError, match=r"no-such\.png.*resources"):
        res.resource_path("icons/no-such.png")


def test_installed_wheel_layout(tmp_path):
    """A site-packages tree as a wheel installs it (package data beside the module)."""
    site = tmp_path / "site-packages"
    shutil.copytree(
        ROOT / "ganstudio" / "resources",
        site / "ganstudio" / "resources",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy(ROOT / "ganstudio" / "__init__.py", site / "ganstudio" / "__init__.py")
    code = (
        "import ganstudio.resources as r; print(r.__file__); "
        "print(r.resource_path('icons/ganstudio-48.png'))"
    )
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    module, icon = (Path(line) for line in out.stdout.split())
    assert module.is_relative_to(site) and icon.is_relative_to(site)
    assert icon.is_file()


def test_frozen_layout(tmp_path, monkeypatch):
    """PyInstaller's bundle: sys.frozen and sys._MEIPASS point at the collected data."""
    bundle = tmp_path / "_internal"
    icons = bundle / "ganstudio" / "resources" / "icons"
    icons.mkdir(parents=True)
    shutil.copy(ROOT / "ganstudio" / "resources" / "icons" / "ganstudio-16.png", icons)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert res.resource_path("icons/ganstudio-16.png") == icons / "ganstudio-16.png"
    with pytest.raises(FileNotFoundError, match="_internal"):
        res.resource_path("icons/ganstudio-512.png")  # not in this bundle: no checkout fallback
