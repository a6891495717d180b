"""Image grids, strips and animations from float images in [0, 1] (no Qt, no TensorFlow)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from ganstudio.core.atomic import atomic_write_bytes


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Map float images in [0, 1] to uint8, clipping out-of-range values."""
    return (np.clip(np.asarray(images, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def grid_shape(n: int, cols: int | None = None) -> tuple[int, int]:
    """(rows, cols) for ``n`` tiles, as square as possible unless ``cols`` is given."""
    if n < 1:
        raise ValueError("a grid needs at least one image")
    cols = cols or math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def tile_grid(
    images: np.ndarray, cols: int | None = None, pad: int = 1, pad_value: float = 0.0
) -> np.ndarray:
    """Tile (n, h, w, c) or (n, h, w) images into one (H, W, c) float image."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(f"expected (n, h, w[, c]) images, got shape {images.shape}")
    n, h, w, c = images.shape
    rows, cols = grid_shape(n, cols)
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), pad_value, np.float32)
    for i in range(n):
        r, k = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + k * (w + pad)
        out[y : y + h, x : x + w] = images[i]
    return out


def _pil(image: np.ndarray) -> Image.Image:
    arr = to_uint8(image)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    return Image.fromarray(arr)


def save_png(image: np.ndarray, path: str | Path, scale: int = 1) -> Path:
    """Save one float image in [0, 1] ((h, w) or (h, w, c)) as PNG, optionally enlarged."""
    import io

    img = _pil(image)
    if scale > 1:
        img = img.resize((img.width * scale, img.height * scale), Image.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    atomic_write_bytes(path, buf.getvalue())
    return Path(path)


def save_gif(
    frames: Sequence[np.ndarray],
    path: str | Path,
    fps: float = 10.0,
    scale: int = 1,
    loop: bool = True,
) -> Path:
    """Save float frames in [0, 1] as an animated GIF."""
    if len(frames) == 0:
        raise ValueError("an animation needs at least one frame")
    import io

    pils = [_pil(f) for f in frames]
    if scale > 1:
        pils = [p.resize((p.width * scale, p.height * scale), Image.NEAREST) for p in pils]
    pils = [p.convert("P", palette=Image.ADAPTIVE) if p.mode == "RGB" else p for p in pils]
    buf = io.BytesIO()
    pils[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=pils[1:],
        duration=max(20, int(1000 / fps)),
        loop=0 if loop else 1,
    )
    atomic_write_bytes(path, buf.getvalue())
    return Path(path)


def load_png(path: str | Path) -> np.ndarray:
    """Read a PNG back as float32 (h, w, c) in [0, 1]."""
    arr = np.asarray(Image.open(path)).astype(np.float32) / 255.0
    return arr[..., None] if arr.ndim == 2 else arr
