"""Shared test settings: where the read-only test data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GANSTUDIO_SHARED", ROOT.parent / "shared")).resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the project (override with GANSTUDIO_SHARED)."""
    if not SHARED.is_dir():
        pytest.fail(f"test data folder {SHARED} is missing; set GANSTUDIO_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def mnist_npz(shared_dir: Path) -> Path:
    return shared_dir / "data" / "mnist.npz"


@pytest.fixture(scope="session")
def drums_dir(shared_dir: Path) -> Path:
    return shared_dir / "data" / "drums"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep runs, settings and caches of tests out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GANSTUDIO_HOME", str(home / "ganstudio"))
    yield
