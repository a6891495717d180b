"""Small configs and event recorders shared by the engine tests."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest

from ganstudio.core.config import TrainConfig


def small_config(model: str, **values) -> TrainConfig:
    """``model``'s defaults with ``values`` set on top, validated."""
    config = TrainConfig(model=model).with_model_defaults()
    for key, value in values.items():
        setattr(config, key, value)
    return config.validate()


def tiny_config(mnist_npz: Path, model: str = "dcgan", **overrides) -> TrainConfig:
    """A config that trains in seconds on a slice of real MNIST."""
    values = dict(
        dataset=f"npz:{mnist_npz}",
        steps=4,
        batch_size=16,
        dataset_limit=512,
        sample_every=2,
        checkpoint_every=2,
        log_every=1,
        num_samples=16,
        latent_dim=min(TrainConfig(model=model).with_model_defaults().latent_dim, 16),
    )
    values.update(overrides)
    return small_config(model, **values)


class Recorder:
    """An event sink that keeps every event and can run a hook on each."""

    def __init__(self, hook=None) -> None:
        self.events: list = []
        self.hook = hook
        self.lock = threading.Lock()

    def __call__(self, event) -> None:
        with self.lock:
            self.events.append(event)
        if self.hook is not None:
            self.hook(event)

    def of(self, name: str) -> list:
        with self.lock:
            return [e for e in self.events if type(e).__name__ == name]


def finish(proc: subprocess.Popen, timeout: float) -> tuple[int, str]:
    """Wait for ``proc`` (a hang guard of ``timeout`` s, not a timing check); its exit
    status and what it wrote (stdout, then stderr, of those it was given pipes for)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"still running after {timeout} s:\n{((out or '') + (err or ''))[-3000:]}")
    return proc.returncode, (out or "") + (err or "")
