"""The training core must import and run without Qt."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CORE_MODULES = [
    "ganstudio.core.config",
    "ganstudio.core.events",
    "ganstudio.core.control",
    "ganstudio.core.data",
]


def test_core_imports_with_qt_blocked():
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None\n"  # any 'import PySide6' now raises ImportError
        "import importlib, pkgutil, ganstudio.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'ganstudio.core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(k.startswith('PySide6') and sys.modules[k] for k in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


def test_import_linter_contract():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
