"""A full disk: every atomic write cleans up after itself, and the message fits the state."""

from __future__ import annotations

import builtins
import errno
import os
import subprocess
import uuid
from pathlib import Path

import numpy as np
import pytest

from ganstudio.core import atomic
from ganstudio.core.atomic import atomic_write_bytes
from ganstudio.core.checkpoints import checkpoint_step, checkpoint_steps, list_checkpoints
from ganstudio.core.data import cache
from ganstudio.core.generator import export_generator
from ganstudio.core.trainer import Trainer
from tests.core.helpers import tiny_config


def _enospc() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _litter(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".tmp" in p.name)


def test_atomic_writes_remove_their_temporary_file_when_the_disk_is_full(tmp_path, monkeypatch):
    def full(fd):
        raise _enospc()

    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as err:
        atomic_write_bytes(target, b"new" * 1000)
    assert err.value.errno == errno.ENOSPC
    with pytest.raises(OSError):
        cache.save_arrays(tmp_path / "digits.npz", {"x": np.zeros(1000)})
    assert _litter(tmp_path) == [] and target.read_bytes() == b"old"

    class HalfSaved:  # a Keras model whose save runs out of space half way
        def save(self, path):
            Path(path).write_bytes(b"PK" * 1000)
            raise _enospc()

    with pytest.raises(OSError):
        export_generator(HalfSaved(), tmp_path / "generator", {"latent_dim": 2})
    assert _litter(tmp_path) == [] and not list((tmp_path / "generator").iterdir())


def _checkpoints_fail_from(monkeypatch, step: int) -> None:
    """Writing the checkpoint of ``step`` (and later ones) runs out of space half way."""
    real_open = builtins.open

    class FullFile:
        def __init__(self, f):
            self._f = f

        def write(self, data):
            self._f.write(data[: len(data) // 2])
            raise _enospc()

        def __getattr__(self, name):
            return getattr(self._f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

    def fake_open(path, mode="r", *args, **kwargs):
        f = real_open(path, mode, *args, **kwargs)
        written = checkpoint_step(atomic.target_name(path) or "")
        if written is not None and written >= step:
            return FullFile(f)
        return f

    monkeypatch.setattr(atomic, "open", fake_open, raising=False)


def test_disk_full_at_the_first_checkpoint_says_nothing_was_saved(mnist_npz, tmp_path, monkeypatch):
    _checkpoints_fail_from(monkeypatch, step=4)
    config = tiny_config(mnist_npz, "dcgan", steps=8, checkpoint_every=4, sample_every=100)
    final = Trainer(config, run_dir=tmp_path / "run").run()
    assert type(final).__name__ == "Failed" and final.step == 4
    assert "disk is full" in final.message
    assert "nothing was saved: free some space and start the run again" in final.message
    assert "resume" not in final.message
    assert _litter(tmp_path) == []


def test_disk_full_at_a_later_checkpoint_keeps_the_earlier_one_and_says_resume(
    mnist_npz, tmp_path, monkeypatch
):
    _checkpoints_fail_from(monkeypatch, step=8)
    config = tiny_config(mnist_npz, "dcgan", steps=12, checkpoint_every=4, sample_every=100)
    final = Trainer(config, run_dir=tmp_path / "run").run()
    assert type(final).__name__ == "Failed" and final.step == 8
    assert "Free some space and resume the run" in final.message
    assert checkpoint_steps(tmp_path / "run" / "checkpoints") == [4]
    assert _litter(tmp_path) == []


@pytest.fixture
def tiny_filesystem(tmp_path):
    """A real 4 MB file system (tmpfs); skipped where mounting is not permitted."""
    mount_point = tmp_path / f"small-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a 4 MB tmpfs here: {mounted.stderr.strip() or 'not root'}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_run_on_a_real_full_file_system_fails_cleanly(mnist_npz, tiny_filesystem):
    run = tiny_filesystem / "run"
    config = tiny_config(
        mnist_npz, "dcgan", steps=300, latent_dim=100, checkpoint_every=25, sample_every=25
    )
    final = Trainer(config, run_dir=run).run()
    assert type(final).__name__ == "Failed" and "disk is full" in final.message
    assert _litter(tiny_filesystem) == []
    if list_checkpoints(run / "checkpoints"):
        assert "resume the run" in final.message
    else:
        assert "nothing was saved: free some space and start the run again" in final.message
