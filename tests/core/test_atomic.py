"""The one atomic write: whole files or none, a temporary name beside the target."""

from __future__ import annotations

import pytest

from ganstudio.core.atomic import (
    atomic_file,
    atomic_path,
    atomic_write_text,
    target_name,
    temporary_path,
)


def test_a_failing_writer_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "state.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_file(target) as f:
        f.write(b"half")
        raise RuntimeError("writer failed")
    with pytest.raises(KeyboardInterrupt), atomic_path(target, ".keras") as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    assert target.read_text() == "old"


def test_a_path_writer_replaces_the_target_when_it_succeeds(tmp_path):
    target = tmp_path / "generator.keras"
    with atomic_path(target, ".keras") as tmp:
        assert tmp.parent == tmp_path and tmp.name.endswith(".tmp.keras")
        tmp.write_bytes(b"model")
    assert [p.name for p in tmp_path.iterdir()] == ["generator.keras"]


def test_a_temporary_name_tells_its_target(tmp_path):
    for name in ("state.json", "step_0000020.npz", "generator.keras"):
        tmp = temporary_path(tmp_path / name)
        assert tmp.name.startswith(".") and tmp != temporary_path(tmp_path / name)
        assert target_name(tmp) == name
    assert target_name(temporary_path(tmp_path / "generator.keras", ".keras")) == "generator.keras"
    assert target_name("state.json") is None and target_name(".tmp") is None
