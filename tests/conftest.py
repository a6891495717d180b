"""Shared test settings: where the read-only test data lives."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _default_shared() -> Path:
    """``../shared`` beside the project; for a clone made elsewhere (``git clone . /tmp/x``),
    ``shared`` beside the local repository it was cloned from."""
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        url = subprocess.run(
            ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        url = ""
    if url and "://" not in url and not url.startswith("git@"):
        origin = Path(url.removeprefix("file:")).expanduser()
        origin = origin.parent if origin.name == ".git" else origin
        if (origin.parent / "shared").is_dir():
            return origin.parent / "shared"
    return beside


SHARED = Path(os.environ.get("GANSTUDIO_SHARED") or _default_shared()).resolve()
os.environ.setdefault("GANSTUDIO_SHARED", str(SHARED))  # for the programs tests start


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the project (override with GANSTUDIO_SHARED; see
    :func:`_default_shared` for a clone made elsewhere)."""
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
