"""What the frozen app leaves out: one table, read by the spec and by measure_exclusions.py.

Each :class:`Exclusion` names Python modules (for PyInstaller's ``excludes``) and/or file
patterns (``fnmatch`` on the bundle-relative destination path, '/'-separated) that are
dropped from the collected binaries and data. Every entry says why GAN Studio never needs
it; ``packaging/smoke_test.sh`` runs the built app to prove it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch

#: stands in for the TensorFlow profiler plugin (see rthooks/pyi_rth_ganstudio.py)
PROFILER_PLUGIN = "tensorflow.python.profiler.internal._pywrap_profiler_plugin"


@dataclass(frozen=True)
class Exclusion:
    name: str
    why: str
    modules: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()

    def drops(self, dest: str) -> bool:
        dest = dest.replace("\\", "/")
        return any(fnmatch(dest, pattern) for pattern in self.paths)


EXCLUSIONS: tuple[Exclusion, ...] = (
    Exclusion(
        "tensorflow-headers",
        "C++ headers and XLA AOT sources for building TensorFlow ops",
        paths=("tensorflow/include/*", "tensorflow/xla_aot_runtime_src/*"),
    ),
    Exclusion(
        "tensorflow-profiler-plugin",
        "TensorBoard's profiler client (tf.profiler.experimental.client); GAN Studio writes "
        "plain event files. A stub module keeps `import tensorflow` working",
        paths=("tensorflow/python/profiler/internal/_pywrap_profiler_plugin*",),
    ),
    Exclusion(
        "tensorflow-xla-stablehlo",
        "XLA op kernels and the StableHLO extension: loaded only for jit_compile and "
        "StableHLO export, which GAN Studio never uses",
        paths=(
            "tensorflow/compiler/tf2xla/ops/_xla_ops.so",
            "tensorflow/compiler/mlir/stablehlo/stablehlo_extension*",
        ),
    ),
    Exclusion(
        "grpc",
        "gRPC: TensorFlow's distributed runtime and TPU clients only",
        modules=("grpc",),
        paths=("grpc/*",),
    ),
    Exclusion(
        "scikit-learn",
        "only Keras' scikit-learn wrappers and librosa.decompose/segment import it, optionally",
        modules=("sklearn",),
        paths=("sklearn/*", "scikit_learn.libs/*", "libgomp-*.so*"),
    ),
    Exclusion(
        "qt-outside-essentials",
        "Qt modules beyond QtCore/QtGui/QtWidgets (the window's only modules), Qt's "
        "translations (the app is in English) and platform plugins for embedded displays",
        modules=(
            "PySide6.QtNetwork",
            "PySide6.QtQml",
            "PySide6.QtQuick",
            "PySide6.QtOpenGL",
            "PySide6.QtOpenGLWidgets",
            "PySide6.QtSql",
            "PySide6.QtTest",
            "PySide6.QtPrintSupport",
            "PySide6.QtDesigner",
            "PySide6.QtHelp",
            "PySide6.QtUiTools",
            "PySide6.QtWebEngineCore",
            "PySide6.QtMultimedia",
            "PySide6.Qt3DCore",
            "PySide6.QtCharts",
        ),
        paths=(
            "PySide6/Qt/translations/*",
            "PySide6/Qt/qml/*",
            "PySide6/Qt/plugins/tls/*",
            "PySide6/Qt/plugins/networkinformation/*",
            "PySide6/Qt/plugins/platforms/libqeglfs.so",
            "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
            "PySide6/Qt/plugins/platforms/libqvnc.so",
            "PySide6/Qt/plugins/platforms/libqminimalegl.so",
            "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
            "PySide6/Qt/plugins/egldeviceintegrations/*",
            "PySide6/Qt/lib/libQt6EglFS*",
            "libQt6EglFS*",
        ),
    ),
    Exclusion(
        "other-qt-bindings",
        "qtpy (superqt's Qt layer) names every binding in try blocks; the app uses PySide6 "
        "(QT_API=pyside6 is set in ganstudio.qt), so another one on the build machine is "
        "not collected",
        modules=("PyQt5", "PyQt6", "PySide2"),
    ),
    Exclusion(
        "gtk-platform-theme",
        "Qt's GTK 3 theme plugin and the libraries only it needs (ATK, cairo, pango, "
        "HarfBuzz, ...): copies from the build machine that would meet the user's own GTK; "
        "without the plugin Qt draws its own dialogs",
        paths=(
            "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
            "libatk-1.0.so*",
            "libcairo.so*",
            "libcairo-gobject.so*",
            "libgdk_pixbuf-2.0.so*",
            "libpango-1.0.so*",
            "libpangocairo-1.0.so*",
            "libpangoft2-1.0.so*",
            "libharfbuzz.so*",
            "libfribidi.so*",
            "libthai.so*",
            "libdatrie.so*",
            "libgraphite2.so*",
            "libpixman-1.so*",
            "libXrender.so*",
            "libXext.so*",
        ),
    ),
    Exclusion(
        "glibc-parts",
        "libmvec belongs to the C library (Debian package libc6); a bundled copy from the "
        "build machine would mix two glibc versions",
        paths=("libmvec.so*",),
    ),
    Exclusion(
        "test-suites",
        "test folders of every dependency (scipy, numba, h5py, ...); only folders named "
        "'tests': TensorFlow imports its own `_api.v2.__internal__.test` at start-up",
        paths=("*/tests/*",),
    ),
    Exclusion(
        "unused-stdlib-and-backends",
        "Tk and matplotlib's other GUI backends, IPython, pytest, Pillow's AVIF codec",
        modules=("tkinter", "_tkinter", "IPython", "pytest", "_pytest", "PIL._avif"),
        paths=("_tcl_data/*", "_tk_data/*", "tcl*/*", "tk*/*", "libavif*"),
    ),
)


def excluded_modules() -> list[str]:
    return [m for e in EXCLUSIONS for m in e.modules]


def is_test_module(name: str) -> bool:
    """True for a module inside a ``tests`` package of any dependency."""
    return "tests" in name.split(".")[1:]


def keep(entry: tuple) -> bool:
    """False for a PyInstaller TOC entry (dest, source, kind) that an exclusion drops."""
    return not any(e.drops(entry[0]) for e in EXCLUSIONS)
