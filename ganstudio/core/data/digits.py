"""The built-in digit set: labelled digits drawn from bundled fonts, generated offline.

Every example is a glyph for a digit — from one of matplotlib's bundled fonts (40 %) or
from jittered pen-stroke skeletons (60 %, :mod:`strokes`, closer to handwriting) — with
its stroke made thinner or bolder, then rotated, sheared (leaning right on average),
scaled, narrowed and shifted at random; white on black with the centre of mass where
MNIST puts it. The set is deterministic for (count, image size, seed) and cached under
``$GANSTUDIO_HOME/cache`` after the first generation (~2 s for 24 000 digits at 28×28).
Pure functions; safe to call from a worker thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import numpy as np
from PIL import Image

from ganstudio.core.control import raise_if_cancelled
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
ROTATION_DEG = 10.0
SHEAR_MEAN, SHEAR_SD, SHEAR_RANGE = -0.15, 0.12, (-0.45, 0.15)  # < 0 leans right
SCALE = (0.8, 1.0)
LOG_ASPECT_RANGE = (-0.2, 0.1)  # handwriting runs narrower than type
SHIFT_SD = 0.5
SHIFT_MAX = 1.5
STROKE_PX = (1.7, 3.0)
PEN_SHARE = 0.6  # share of digits drawn with pen strokes
CANCEL_EVERY = 500  # digits drawn between two looks at ``cancel`` (~40 ms)


def _supersampling(image_size: int) -> int:
    """Draw small images at twice the size and shrink them, for smooth edges."""
    return 2 if image_size <= 32 else 1


def _affine_params(rng: np.random.Generator, n: int, canvas: int) -> dict[str, np.ndarray]:
    unit = canvas / 28.0
    return {
        "rot": np.deg2rad(rng.uniform(-ROTATION_DEG, ROTATION_DEG, n)),
        "shear": np.clip(rng.normal(SHEAR_MEAN, SHEAR_SD, n), *SHEAR_RANGE),
        "scale": rng.uniform(*SCALE, n),
        "aspect": np.exp(rng.uniform(*LOG_ASPECT_RANGE, n)),
        "shift": np.clip(rng.normal(0.0, SHIFT_SD, (n, 2)), -SHIFT_MAX, SHIFT_MAX) * unit,
        "stroke": rng.uniform(*STROKE_PX, n) * unit,
    }


def _pick_fonts(rng: np.random.Generator, n: int, bank: GlyphBank) -> np.ndarray:
    """Font indices: a share ``PEN_SHARE`` from the pen-stroke sets, the rest from fonts."""
    pens = sum(name.startswith("pen-") for name in bank.fonts)
    fonts = len(bank.fonts) - pens
    from_font = rng.integers(0, max(fonts, 1), n)
    from_pen = fonts + rng.integers(0, max(pens, 1), n)
    use_pen = rng.random(n) < (PEN_SHARE if pens and fonts else float(fonts == 0))
    return np.where(use_pen, from_pen, from_font)


def _inverse_affines(p: dict[str, np.ndarray], glyph_c: np.ndarray, out_c: np.ndarray):
    """PIL AFFINE coefficients (n, 6) mapping output pixels back into each glyph.

    Forward map: ``p_out = out_c + R(rot) · Shear(shear) · diag(sx, sy) · (p_glyph - glyph_c)``.
    """
    c, s = np.cos(p["rot"]), np.sin(p["rot"])
    k, sx, sy = p["shear"], p["sx"], p["sy"]
    # A = [[c, -s], [s, c]] @ [[1, k], [0, 1]] @ diag(sx, sy), inverted in closed form.
    a00, a01 = c * sx, (c * k - s) * sy
    a10, a11 = s * sx, (s * k + c) * sy
    det = a00 * a11 - a01 * a10
    i00, i01, i10, i11 = a11 / det, -a01 / det, -a10 / det, a00 / det
    b0 = glyph_c[:, 0] - (i00 * out_c[:, 0] + i01 * out_c[:, 1])
    b1 = glyph_c[:, 1] - (i10 * out_c[:, 0] + i11 * out_c[:, 1])
    return np.stack([i00, i01, b0, i10, i11, b1], axis=1)


def generate_digits(
    count: int,
    image_size: int = 28,
    seed: int = 0,
    bank: GlyphBank | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``count`` digits; returns ``x`` uint8 (n, s, s), ``y`` uint8 (n,), ``font`` (n,).

    Labels are balanced (each digit ``count // 10`` or one more times) in shuffled order.
    ``cancel`` is asked every ``CANCEL_EVERY`` digits (see :func:`raise_if_cancelled`).
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
    font = _pick_fonts(rng, count, bank)
    p = _affine_params(rng, count, canvas)
    # Pick the stroke variant whose scaled thickness is nearest the drawn target.
    scaled = bank.thickness[font] * p["scale"][:, None]
    variant = np.abs(scaled - p["stroke"][:, None]).argmin(axis=1)
    glyphs = [bank.images[f][d][v] for f, d, v in zip(font, y, variant, strict=True)]
    widths = np.array([g.width for g in glyphs], np.float64)
    p["sy"] = p["scale"]
    p["sx"] = np.minimum(p["scale"] * p["aspect"], 0.9 * canvas / widths)
    centre = canvas / 2.0 + 0.5 * canvas / 28.0  # MNIST puts the centre of mass at 14.0
    coeffs = _inverse_affines(p, bank.centres[font, y, variant], centre + p["shift"])
    out = np.empty((count, image_size, image_size), np.uint8)
    for i, glyph in enumerate(glyphs):
        if i % CANCEL_EVERY == 0:
            raise_if_cancelled(cancel)
        data = tuple(coeffs[i].tolist())
        img = glyph.transform((canvas, canvas), Image.AFFINE, data, resample=Image.BILINEAR)
        if factor > 1:
            img = img.reduce(factor)
        out[i] = np.asarray(img)
    return out, y, font.astype(np.uint8)


def load_digits(
    count: int = DEFAULT_COUNT,
    image_size: int = 28,
    seed: int = 0,
    cancel: Callable[[], bool] | None = None,
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
        x, y, _ = generate_digits(count, image_size, seed, cancel=cancel)
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
