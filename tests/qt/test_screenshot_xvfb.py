"""The real window under a real X server (Xvfb), training, saved as a screenshot PNG."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.config import TrainConfig
from tests.conftest import ROOT

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


@pytest.fixture
def xvfb_display():
    """Start ``Xvfb :N`` on a free display number; yield ``":N"``; stop it."""
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb); the real-window test needs it")
    for n in range(120, 160):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            break
    else:
        pytest.skip("no free X display number between 120 and 159")
    proc = subprocess.Popen(
        [exe, f":{n}", "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.skip(f"Xvfb did not start: {proc.stderr.read().decode(errors='replace')}")
        time.sleep(0.1)
    try:
        yield f":{n}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_window_screenshot_while_training(xvfb_display, mnist_npz, tmp_path):
    config = TrainConfig(
        dataset=f"npz:{mnist_npz}",
        model="dcgan",
        steps=400,
        batch_size=32,
        dataset_limit=2048,
        sample_every=25,
        checkpoint_every=400,
        log_every=1,
        num_samples=36,
        seed=1,
    )
    config_path = tmp_path / "config.json"
    config.to_json(config_path)
    shot = tmp_path / "window.png"
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.update(
        DISPLAY=xvfb_display,
        GANSTUDIO_SCREENSHOT=str(shot),
        GANSTUDIO_SCREENSHOT_AFTER="4",
        PYTHONPATH=str(ROOT),
    )
    code = "from ganstudio.qt.app import run_app; raise SystemExit(run_app())"
    result = subprocess.run(
        [sys.executable, "-c", code, "--config", str(config_path), "--start"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert shot.is_file(), result.stderr[-3000:]
    image = np.asarray(Image.open(shot).convert("RGB"), dtype=np.float32)
    assert image.shape[0] >= 500 and image.shape[1] >= 800
    assert image.std() > 20  # a real window, not a blank frame
    keep = os.environ.get("GANSTUDIO_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
