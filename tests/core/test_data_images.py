"""Image folders: class sub-folders, unreadable files skipped and listed, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ganstudio.core.data import DataError, load_dataset


def _save(path: Path, colour, size=(40, 30), mode="RGB") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour).save(path)
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two classes in sub-folders with spaces, several formats, plus junk."""
    root = tmp_path / "my pictures"
    for i in range(3):
        _save(root / "red things" / f"r{i}.png", (200, 0, 0))
        _save(root / "blue things" / "deeper level" / f"b{i}.jpg", (0, 0, 200))
    _save(root / "red things" / "extra.bmp", (255, 0, 0))
    _save(root / "blue things" / "b.webp", (0, 0, 255))
    _save(root / "blue things" / "gray16.tif", 40000, mode="I;16")
    (root / "red things" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)
    (root / "blue things" / "notes.txt").write_text("not an image")
    return root


def test_class_subfolders_become_labels(folder):
    ds = load_dataset(f"images:{folder}", image_size=16, channels=3)
    assert ds.kind == "images" and ds.name == "my pictures"
    assert ds.class_names == ["blue things", "red things"]
    assert ds.x.shape == (9, 16, 16, 3) and ds.x.dtype == np.float32
    assert ds.x.min() >= 0.0 and ds.x.max() <= 1.0
    assert np.bincount(ds.y).tolist() == [5, 4]
    red = ds.x[ds.y == 1].mean(axis=(0, 1, 2))
    assert red[0] > 0.7 and red[2] < 0.1
    # A 16-bit image keeps its brightness (40000 / 65535).
    gray = ds.x[(ds.y == 0) & (ds.x[..., 2].mean(axis=(1, 2)) < 0.7)]
    assert len(gray) == 1 and abs(gray.mean() - 40000 / 65535) < 0.02


def test_unreadable_and_other_files_are_skipped_and_listed(folder):
    ds = load_dataset(str(folder), image_size=8)  # a plain folder path works too
    skipped = {Path(p).name: reason for p, reason in ds.skipped}
    assert set(skipped) == {"broken.png", "notes.txt"}
    assert "not an image file" in skipped["notes.txt"]
    assert skipped["broken.png"]
    assert ds.x.shape == (9, 8, 8, 1)


def test_grayscale_and_crop_to_square(tmp_path):
    root = tmp_path / "flat"
    img = np.zeros((20, 60), np.uint8)
    img[:, 20:40] = 255  # the centre square is white, the sides black
    root.mkdir()
    Image.fromarray(img).save(root / "wide.png")
    _save(root / "green.gif", (0, 255, 0))
    ds = load_dataset(f"images:{root}", image_size=10, channels=1)
    assert ds.y is None and ds.class_names == []  # images at the top: no labels
    wide = ds.x[list(sorted(p.name for p in root.iterdir())).index("wide.png")]
    assert wide.min() > 0.95  # only the white centre square is kept
    green = ds.x[0]
    assert abs(green.mean() - 0.587) < 0.01  # luma of pure green


def test_limit_takes_a_seeded_subset(folder):
    a = load_dataset(f"images:{folder}", image_size=8, limit=4, seed=1)
    b = load_dataset(f"images:{folder}", image_size=8, limit=4, seed=1)
    assert len(a) == 4
    np.testing.assert_array_equal(a.x, b.x)
    # Labels keep their meaning whichever files the subset holds.
    one = load_dataset(f"images:{folder}", image_size=8, limit=1, seed=3)
    assert one.class_names == ["blue things", "red things"]


def test_empty_folder_is_a_clear_error(tmp_path):
    empty = tmp_path / "nothing here"
    empty.mkdir()
    with pytest.raises(DataError, match=r"no readable images found in .*nothing here"):
        load_dataset(f"images:{empty}")
    (empty / "readme.txt").write_text("hello")
    (empty / "bad.jpg").write_bytes(b"not a jpeg")
    with pytest.raises(DataError, match="2 files skipped"):
        load_dataset(str(empty))


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="no such folder"):
        load_dataset(f"images:{tmp_path / 'gone'}")


def test_audio_folder_given_as_images_says_what_to_do(drums_dir):
    with pytest.raises(DataError, match="audio:"):
        load_dataset(f"images:{drums_dir}")
