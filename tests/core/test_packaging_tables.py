"""The frozen app's exclusion and strip tables, and the glibc floor reader."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "packaging"))
sys.path.insert(0, str(ROOT / "packaging" / "linux"))

import exclusions
import glibc_floor
import stripping


def _kept(dest: str) -> bool:
    return exclusions.keep((dest, "/src/" + dest, "BINARY"))


@pytest.mark.parametrize(
    "dest",
    [
        "tensorflow/include/tensorflow/core/framework/tensor.h",
        "tensorflow/python/profiler/internal/_pywrap_profiler_plugin.so",
        "tensorflow/compiler/tf2xla/ops/_xla_ops.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libpangocairo-1.0.so.0",
        "sklearn/utils/_isfinite.cpython-311-x86_64-linux-gnu.so",
        "scipy/io/tests/data/test.mat",
        "libmvec.so.1",
    ],
)
def test_unused_parts_are_dropped(dest):
    assert not _kept(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "tensorflow/libtensorflow_cc.so.2",
        "tensorflow/python/profiler/internal/_pywrap_profiler.so",  # imported by TensorFlow
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "numpy/testing/__init__.py",
        "llvmlite/binding/libllvmlite.so",
        "ganstudio/resources/icons/ganstudio-64.png",
        "pillow.libs/libharfbuzz-fb49c9fc.so.0.61450.0",  # Pillow's own, not the system's
        "libglib-2.0.so.0",  # QtCore needs it
    ],
)
def test_what_the_app_uses_is_kept(dest):
    assert _kept(dest)


def test_test_packages_are_left_out_of_the_archive():
    assert exclusions.is_test_module("scipy.linalg.tests.test_basic")
    assert exclusions.is_test_module("numba.tests")
    assert not exclusions.is_test_module("numpy.testing")
    assert not exclusions.is_test_module("tests")  # a top-level package of that name is no dep
    assert not exclusions.is_test_module("tensorflow._api.v2.__internal__.test")  # imported


def test_every_exclusion_says_why():
    names = [e.name for e in exclusions.EXCLUSIONS]
    assert len(names) == len(set(names))
    assert all(len(e.why) > 20 and (e.modules or e.paths) for e in exclusions.EXCLUSIONS)


@pytest.mark.skipif(shutil.which("strip") is None, reason="needs binutils")
def test_only_listed_elf_files_are_stripped(tmp_path):
    lib = tmp_path / "src" / "libx.so"
    lib.parent.mkdir()
    shutil.copy(sys.executable, lib)  # any ELF file with a symbol table will do
    entry = stripping.stripped(("tensorflow/libx.so", str(lib), "BINARY"), tmp_path / "cache")
    copy = Path(entry[1])
    assert copy.is_relative_to(tmp_path / "cache") and copy.name == "libx.so"
    assert copy.stat().st_size < lib.stat().st_size
    # the same library collected to the top level (from TensorFlow's CPU build) shares it
    overlay = tmp_path / "build" / "tensorflow" / "libx.so"
    overlay.parent.mkdir(parents=True)
    shutil.copy(lib, overlay)
    top = stripping.stripped(("libx.so", str(overlay), "BINARY"), tmp_path / "cache")
    assert Path(top[1]).is_relative_to(tmp_path / "cache")
    untouched = ("scipy.libs/libx.so", str(lib), "BINARY")  # patchelf'd: must stay as is
    assert stripping.stripped(untouched, tmp_path / "cache") == untouched


def test_a_library_collected_twice_becomes_a_link():
    toc = [
        ("libtf.so", "/x/tensorflow/libtf.so", "BINARY"),
        ("tensorflow/libtf.so", "/x/tensorflow/libtf.so", "BINARY"),
        ("libz.so.1", "/usr/lib/libz.so.1", "BINARY"),
    ]
    assert stripping.link_duplicates(toc) == [
        ("libtf.so", "tensorflow/libtf.so", "SYMLINK"),
        ("tensorflow/libtf.so", "/x/tensorflow/libtf.so", "BINARY"),
        ("libz.so.1", "/usr/lib/libz.so.1", "BINARY"),
    ]


@pytest.mark.skipif(shutil.which("objdump") is None, reason="needs binutils")
def test_glibc_floor_reads_symbol_versions(tmp_path):
    shutil.copy(sys.executable, tmp_path / "python")
    (tmp_path / "notes.txt").write_text("not an ELF file")
    out = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "linux" / "glibc_floor.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    floor = tuple(int(p) for p in out.stdout.strip().split("."))
    system = tuple(int(p) for p in os.confstr("CS_GNU_LIBC_VERSION").split()[1].split("."))
    assert (2, 2) <= floor <= system
    assert glibc_floor.elf_files(tmp_path) == [tmp_path / "python"]


def test_superqt_and_its_qt_layer_are_kept_and_pick_pyside6():
    """superqt (the window's debounce/throttle) imports Qt through qtpy: neither may be
    excluded, and qtpy must choose PySide6 (ganstudio.qt sets QT_API) in a fresh process."""
    excluded = exclusions.excluded_modules()
    for module in ("superqt", "superqt.utils", "qtpy", "qtpy.QtCore", "PySide6.QtCore"):
        assert not any(module == m or module.startswith(m + ".") for m in excluded), module
    assert {"PyQt5", "PyQt6", "PySide2"} <= set(excluded)
    code = "import ganstudio.qt, superqt.utils, qtpy; print(qtpy.API_NAME)"
    env = {k: v for k, v in os.environ.items() if k != "QT_API"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "PySide6"
