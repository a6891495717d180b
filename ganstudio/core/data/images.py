"""Image sets from a folder: searched recursively; class sub-folders become labels.

Every image is centre-cropped to a square, resized and turned grayscale or RGB.
Unreadable files and files that are not images are skipped and listed with the reason.
Blocking file I/O: call from a worker thread for large folders.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ganstudio.core.control import raise_if_cancelled
from ganstudio.core.data.dataset import DataError
from ganstudio.core.data.transform import fit_square, subset_indices

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif"}


def list_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(image files, other files) under ``folder``, recursively, in sorted order."""
    images, others = [], []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue  # hidden files (.DS_Store, ...) are not data
            path = Path(root) / name
            (images if path.suffix.lower() in IMAGE_SUFFIXES else others).append(path)
    return images, others


def class_of(path: Path, folder: Path) -> str | None:
    """The first-level sub-folder of ``folder`` that holds ``path`` (None at the top)."""
    parts = path.relative_to(folder).parts
    return parts[0] if len(parts) > 1 else None


def read_image(path: Path, size: int, channels: int) -> np.ndarray:
    """One image as uint8 (size, size, channels); raises OSError/ValueError if unreadable."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as img:
            img.seek(0)  # first frame of an animation
            img.load()
            if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
                arr = np.asarray(img, dtype=np.float64)
                top = 65535.0 if arr.max() > 255 else 255.0
                img = Image.fromarray(np.clip(arr * 255.0 / top, 0, 255).astype(np.uint8))
            if img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info:
                rgba = img.convert("RGBA")
                img = Image.new("RGB", rgba.size, (0, 0, 0))
                img.paste(rgba, mask=rgba.getchannel("A"))
            img = img.convert("L" if channels == 1 else "RGB")
            arr = np.asarray(fit_square(img, size))
    return arr[..., None] if channels == 1 else arr


def load_image_folder(
    folder: str | Path,
    *,
    image_size: int,
    channels: int,
    limit: int | None = None,
    seed: int = 0,
    cancel: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray | None, list[str], list[tuple[str, str]], dict]:
    """uint8 images (N, s, s, c), labels or None, class names, skipped files, meta.

    Labels come from class sub-folders when every image sits in one (sorted names give
    the label order); images at the top level make the set unlabelled. ``limit`` takes a
    seeded random subset of the files before they are read. ``cancel`` is asked before
    each file; when it answers True, :class:`~ganstudio.core.control.Cancelled` is raised.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise DataError(f"no such folder: {folder}")
    paths, others = list_files(folder)
    skipped = [(str(p), f"not an image file ({p.suffix or 'no extension'})") for p in others]
    classes = [class_of(p, folder) for p in paths]
    labelled = bool(paths) and all(c is not None for c in classes)
    # Class names come from every image file, so labels do not depend on ``limit``.
    class_names = sorted(set(classes)) if labelled else []
    pick = subset_indices(len(paths), limit, seed)
    if pick is not None:
        paths, classes = [paths[i] for i in pick], [classes[i] for i in pick]
    images, kept = [], []
    for path, cls in zip(paths, classes, strict=True):
        raise_if_cancelled(cancel)
        try:
            images.append(read_image(path, image_size, channels))
            kept.append(cls)
        except Exception as exc:  # any decoder failure means: skip this file, keep going
            reason = str(exc) or type(exc).__name__
            if isinstance(exc, UnidentifiedImageError):
                reason = "not a readable image (damaged or unsupported format)"
            skipped.append((str(path), reason))
    if not images:
        audio = sum(p.suffix.lower() in AUDIO_SUFFIXES for p in others)
        hint = f"; it holds {audio} audio files — use audio:{folder}" if audio else ""
        bad = len(skipped)
        detail = f" ({bad} files skipped, e.g. {skipped[0][0]}: {skipped[0][1]})" if bad else ""
        raise DataError(f"no readable images found in {folder}{detail}{hint}")
    x = np.stack(images)
    y = None
    if labelled:
        index = {name: i for i, name in enumerate(class_names)}
        y = np.array([index[c] for c in kept], np.int32)
    meta = {"source": f"image folder {folder}", "files": len(images)}
    return x, y, class_names, skipped, meta
