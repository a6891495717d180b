"""The built-in digit set: labelled digits drawn from bundled fonts, generated offline.

Every example is one font's glyph for a digit, with its stroke made thinner or bolder
and then rotated, sheared, scaled, stretched and shifted at random; white on black and
centred like MNIST. The set is deterministic for (count, image size, seed) and is cached
under ``$GANSTUDIO_HOME/cache`` after the first generation (~2 s for 24 000 digits at
28×28). Pure functions; safe to call from a worker thread.
"""

from __future__ import annotations

import contextlib

import numpy as np
from PIL import Image

from ganstudio.core.data import cache
from ganstudio.core.data.dataset import DataError
from ganstudio.core.data.glyphs import (
    GlyphBank,
    available_fonts,
    build_glyph_bank,
    fonts_fingerprint,
)

VERSION = 1
DEFAULT_COUNT = 24_000
CLASS_NAMES = [str(d) for d in range(10)]

# Random ranges (in 28×28 pixels where a length is meant).
ROTATION_DEG = 15.0
SHEAR = 0.3
SCALE = (0.85, 1.1)
LOG_ASPECT = 0.15
SHIFT_SD = 1.0
SHIFT_MAX = 2.0
STROKE_PX = (2.0, 3.6)


def _supersampling(image_size: int) -> int:
    """Draw small images at twice the size and shrink them, for smooth edges."""
    return 2 if image_size <= 32 else 1


def _affine_params(rng: np.random.Generator, n: int, canvas: int) -> dict[str, np.ndarray]:
    unit = canvas / 28.0
    return {
        "rot": np.deg2rad(rng.uniform(-ROTATION_DEG, ROTATION_DEG, n)),
        "shear": rng.uniform(-SHEAR, SHEAR, n),
        "scale": rng.uniform(*SCALE, n),
        "aspect": np.exp(rng.uniform(-LOG_ASPECT, LOG_ASPECT, n)),
        "shift": np.clip(rng.normal(0.0, SHIFT_SD, (n, 2)), -SHIFT_MAX, SHIFT_MAX) * unit,
        "stroke": rng.uniform(*STROKE_PX, n) * unit,
    }


def _inverse_affine(
    rot: float, shear: float, sx: float, sy: float, out_c: tuple[float, float], glyph_c
) -> tuple[float, ...]:
    """PIL AFFINE data mapping output pixels back into the glyph.

    Forward map: ``p_out = out_c + R(rot) · Shear(shear) · diag(sx, sy) · (p_glyph - glyph_c)``.
    """
    c, s = np.cos(rot), np.sin(rot)
    a = np.array([[c, -s], [s, c]]) @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([sx, sy])
    inv = np.linalg.inv(a)
    b = np.asarray(glyph_c) - inv @ np.asarray(out_c)
    return (inv[0, 0], inv[0, 1], b[0], inv[1, 0], inv[1, 1], b[1])


def generate_digits(
    count: int, image_size: int = 28, seed: int = 0, bank: GlyphBank | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``count`` digits; returns ``x`` uint8 (n, s, s), ``y`` uint8 (n,), ``font`` (n,).

    Labels are balanced (each digit ``count // 10`` or one more times) in shuffled order.
    """
    if count < 1:
        raise DataError(f"the digit set needs at least 1 example, not {count}")
    if image_size < 8:
        raise DataError(f"digits need an image size of at least 8 pixels, not {image_size}")
    factor = _supersampling(image_size)
    canvas = image_size * factor
    bank = bank or build_glyph_bank(round(canvas * 0.7))
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(count) % 10).astype(np.uint8)
    font = rng.integers(0, len(bank.fonts), count)
    p = _affine_params(rng, count, canvas)
    # Pick the stroke variant whose scaled thickness is nearest the drawn target.
    scaled = bank.thickness[font] * p["scale"][:, None]
    variant = np.abs(scaled - p["stroke"][:, None]).argmin(axis=1)
    out = np.empty((count, image_size, image_size), np.uint8)
    centre = canvas / 2.0
    for i in range(count):
        glyph = bank.images[font[i]][y[i]][variant[i]]
        sy = p["scale"][i]
        sx = min(sy * p["aspect"][i], 0.9 * canvas / glyph.width)
        data = _inverse_affine(
            p["rot"][i],
            p["shear"][i],
            sx,
            sy,
            (centre + p["shift"][i, 0], centre + p["shift"][i, 1]),
            (glyph.width / 2.0, glyph.height / 2.0),
        )
        img = glyph.transform((canvas, canvas), Image.AFFINE, data, resample=Image.BILINEAR)
        if factor > 1:
            img = img.reduce(factor)
        out[i] = np.asarray(img)
    return out, y, font.astype(np.uint8)


def load_digits(
    count: int = DEFAULT_COUNT, image_size: int = 28, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, dict]:
    """The digit set from the cache, generating and caching it on first use.

    Returns ``x`` uint8 (n, s, s), ``y`` uint8 (n,) and meta (cache file, fonts, version).
    """
    fonts = available_fonts()
    key = f"digits-v{VERSION}-n{count}-s{image_size}-seed{seed}-{fonts_fingerprint(fonts)}"
    path = cache.cache_dir() / f"{key}.npz"
    arrays = cache.load_arrays(path, ("x", "y"))
    cached = arrays is not None
    if arrays is None:
        x, y, _ = generate_digits(count, image_size, seed)
        arrays = {"x": x, "y": y}
        with contextlib.suppress(OSError):  # a read-only home only costs regenerating
            cache.save_arrays(path, arrays)
    meta = {
        "source": "built-in digits drawn from matplotlib's fonts",
        "fonts": [p.name for p in fonts],
        "version": VERSION,
        "cache_file": str(path),
        "from_cache": cached,
    }
    return arrays["x"], arrays["y"], meta
