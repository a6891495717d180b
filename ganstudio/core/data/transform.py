"""Bring image arrays from any source to the one layout every model expects.

Input: (N, H, W) or (N, H, W, C) (channels-first (N, C, H, W) is recognised too), uint8
0-255 or float 0-1. Output: float32 (N, size, size, channels) in [0, 1]. Work happens on
uint8 (8 bits are all an image set carries), so resizing and channel changes stay fast.
Pure functions; safe from any thread.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ganstudio.core.data.dataset import DataError

_LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def to_nhwc(x: np.ndarray, source: str) -> np.ndarray:
    """(N, H, W[, C]) with C in 1, 3 or 4; channels-first input is transposed."""
    x = np.asarray(x)
    if x.ndim == 3:
        return x[..., None]
    if x.ndim == 4:
        if x.shape[-1] in (1, 3, 4):
            return x
        if x.shape[1] in (1, 3, 4):
            return np.transpose(x, (0, 2, 3, 1))
    raise DataError(
        f"{source}: images must be shaped (N, H, W) or (N, H, W, C) with 1, 3 or 4 "
        f"channels, but the array is shaped {x.shape}"
    )


def to_uint8(x: np.ndarray, source: str) -> np.ndarray:
    """uint8 images from uint8 0-255, other integers 0-255, or floats 0-1 (or 0-255)."""
    if x.dtype == np.uint8:
        return x
    if x.size == 0:
        raise DataError(f"{source}: the image array is empty")
    if x.dtype == np.bool_:
        return x.astype(np.uint8) * 255
    if np.issubdtype(x.dtype, np.integer):
        lo, hi = int(x.min()), int(x.max())
        if lo < 0 or hi > 255:
            raise DataError(f"{source}: integer pixels must lie in 0-255, found {lo}..{hi}")
        return x.astype(np.uint8)
    if not np.issubdtype(x.dtype, np.floating):
        raise DataError(f"{source}: pixels must be numbers, not {x.dtype}")
    lo, hi = float(np.min(x)), float(np.max(x))
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise DataError(f"{source}: the images contain NaN or infinite values")
    if lo < 0.0 or hi > 255.0:
        raise DataError(
            f"{source}: float pixels must lie in 0-1 (or 0-255), found {lo:.3g}..{hi:.3g}"
        )
    scale = 255.0 if hi <= 1.0 else 1.0
    return np.clip(np.rint(x * scale), 0, 255).astype(np.uint8)


def convert_channels(x: np.ndarray, channels: int) -> np.ndarray:
    """uint8 NHWC images with ``channels`` 1 (luma) or 3 (gray repeated); alpha dropped."""
    if channels not in (1, 3):
        raise DataError(f"channels must be 1 or 3, not {channels}")
    if x.shape[-1] == 4:
        x = x[..., :3]
    have = x.shape[-1]
    if have == channels:
        return x
    if channels == 3:
        return np.repeat(x, 3, axis=-1)
    gray = np.tensordot(x.astype(np.float32), _LUMA, axes=([-1], [0]))
    return np.clip(np.rint(gray), 0, 255).astype(np.uint8)[..., None]


def fit_square(img: Image.Image, size: int) -> Image.Image:
    """Centre-crop ``img`` to a square and resize it to ``size`` × ``size``."""
    w, h = img.size
    if w != h:
        side = min(w, h)
        left, top = (w - side) // 2, (h - side) // 2
        img = img.crop((left, top, left + side, top + side))
    if img.size != (size, size):
        method = Image.LANCZOS if img.width > size else Image.BICUBIC
        img = img.resize((size, size), method)
    return img


def resize_uint8(x: np.ndarray, size: int) -> np.ndarray:
    """Centre-crop and resize uint8 NHWC images (C 1 or 3) to ``size`` × ``size``."""
    n, h, w, c = x.shape
    if h == w == size:
        return x
    out = np.empty((n, size, size, c), np.uint8)
    for i in range(n):
        img = Image.fromarray(x[i, :, :, 0] if c == 1 else x[i])
        arr = np.asarray(fit_square(img, size))
        out[i] = arr[..., None] if c == 1 else arr
    return out


def subset_indices(n: int, limit: int | None, seed: int) -> np.ndarray | None:
    """Sorted indices of a seeded random subset of ``limit`` of ``n`` examples, or None."""
    if limit is None or limit >= n:
        return None
    if limit < 1:
        raise DataError(f"limit must be at least 1, not {limit}")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=limit, replace=False))


def prepare_images(
    x: np.ndarray,
    *,
    image_size: int,
    channels: int,
    source: str,
) -> np.ndarray:
    """Any supported image array → float32 (N, image_size, image_size, channels) in [0, 1]."""
    if image_size < 1:
        raise DataError(f"image_size must be positive, not {image_size}")
    x = to_uint8(to_nhwc(x, source), source)
    if x.shape[-1] == 4:
        x = x[..., :3]
    if channels == 1:  # shrink channels before resizing, grow them after
        x = convert_channels(x, 1)
    x = convert_channels(resize_uint8(x, image_size), channels)
    out = x.astype(np.float32)
    out /= np.float32(255.0)
    return out
