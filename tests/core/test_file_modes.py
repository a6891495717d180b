"""Files the program writes get the mode the user's umask gives, not mkstemp's private 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from ganstudio.core.audio.io import save_wav
from ganstudio.core.checkpoints import save_best, save_checkpoint
from ganstudio.core.data import cache
from ganstudio.core.generator import export_generator
from ganstudio.core.imaging import save_png


class _Var:
    def __init__(self, value: np.ndarray) -> None:
        self.value = value

    def numpy(self) -> np.ndarray:
        return self.value


def _fake_gan() -> SimpleNamespace:
    """Just enough of a GAN for :func:`save_checkpoint`: four groups of variables."""
    weights = [_Var(np.ones((2, 2), np.float32))]
    net = SimpleNamespace(weights=weights)
    opt = SimpleNamespace(variables=weights)
    return SimpleNamespace(generator=net, discriminator=net, g_optimizer=opt, d_optimizer=opt)


class _Saver:
    """A Keras model's ``save``: writes the file itself, by path."""

    def save(self, path) -> None:
        Path(path).write_bytes(b"PK model")


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_get_the_mode_the_umask_gives(tmp_path, umask):
    expected = 0o666 & ~umask  # 0644 under umask 022, 0640 under 027
    written = [
        save_png(np.zeros((4, 4)), tmp_path / "grid.png"),
        save_wav(tmp_path / "generated.wav", np.zeros(800, np.float32), 8000),
        save_checkpoint(_fake_gan(), tmp_path / "checkpoints", 5),
        save_best(tmp_path / "checkpoints", 5, [np.ones(3)], {"metric": "fd"}),
        cache.save_arrays(tmp_path / "cache" / "digits.npz", {"x": np.zeros(3)}),
        export_generator(_Saver(), tmp_path / "generator", {"latent_dim": 2}),
    ]
    assert {p.name: oct(_mode(p)) for p in written} == {p.name: oct(expected) for p in written}
    assert {oct(_mode(p)) for p in tmp_path.rglob("*") if p.is_file()} == {oct(expected)}
