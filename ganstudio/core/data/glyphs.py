"""Digit glyphs rendered from the fonts that matplotlib ships, for the built-in digit set.

Each (font, digit) glyph is rasterised once, antialiased, cropped to its ink and scaled to
a fixed height; a few stroke-width variants (eroded / dilated) are made from it. Only
matplotlib's own bundled TrueType files (plus the pen-stroke digits of :mod:`strokes`) are
used, so the result is the same on every machine with the same matplotlib and Pillow.
Pure functions; a built bank is read-only and may be shared between threads.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ganstudio.core.data.dataset import DataError
from ganstudio.core.data.strokes import draw_digit

# Bundled faces whose digits 0-9 sit at the usual code points and look like digits.
FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf",
    "DejaVuSansMono-BoldOblique.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf",
    "STIXGeneral.ttf",
    "STIXGeneralBol.ttf",
    "STIXGeneralItalic.ttf",
    "STIXGeneralBolIta.ttf",
    "cmr10.ttf",
    "cmb10.ttf",
    "cmss10.ttf",
    "cmti10.ttf",
    "cmtt10.ttf",
)

PEN_SETS = 8  # jittered pen-stroke "fonts" added to the bundled ones

# Stroke variants: negative = erode, positive = dilate, by that many pixels per side.
STROKE_STEPS = (-1, 0, 1, 2, 3)
MIN_STROKE = 0.1  # thinnest stroke an eroded variant may have, relative to glyph height


@dataclass(frozen=True)
class GlyphBank:
    """Rasterised glyphs: ``images[font][digit][variant]`` (PIL "L" images, zero-padded).

    ``centres[font, digit, variant]`` is each glyph's centre of mass (x, y) in pixels;
    ``thickness[font, variant]`` is the mean stroke thickness in pixels of that font's
    digits in that variant (an estimate: twice the ink area over the outline length).
    """

    fonts: tuple[str, ...]
    height: int
    images: tuple[tuple[tuple[Image.Image, ...], ...], ...]
    centres: np.ndarray
    thickness: np.ndarray


def font_folder() -> Path:
    """The folder of TrueType files bundled with matplotlib (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
        if folder.is_dir():
            return folder
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def available_fonts() -> list[Path]:
    """The usable bundled font files; :class:`DataError` if none are found."""
    folder = font_folder()
    found = [folder / name for name in FONT_FILES if (folder / name).is_file()]
    if not found:
        raise DataError(
            f"no usable fonts found in {folder}; the built-in digit set needs the fonts "
            "that matplotlib ships (reinstall matplotlib) or choose another dataset"
        )
    return found


def fonts_fingerprint(fonts: list[Path]) -> str:
    """A short hash of the font files (names and sizes), for cache keys."""
    h = hashlib.sha1()
    for p in fonts:
        h.update(f"{p.name}:{p.stat().st_size};".encode())
    return h.hexdigest()[:10]


def _render(font: ImageFont.FreeTypeFont, ch: str, height: int) -> Image.Image:
    size = int(font.size * 3)
    canvas = Image.new("L", (size, size), 0)
    ImageDraw.Draw(canvas).text((size / 2, size / 2), ch, fill=255, font=font, anchor="mm")
    box = canvas.getbbox()
    if box is None:
        raise DataError(f"font {font.path} has no glyph for {ch!r}")
    glyph = canvas.crop(box)
    width = max(1, round(glyph.width * height / glyph.height))
    return glyph.resize((width, height), Image.LANCZOS)


def _stroke_variants(glyph: Image.Image) -> tuple[Image.Image, ...]:
    """The glyph eroded or dilated by each of :data:`STROKE_STEPS` pixels per side."""
    pad = max(abs(k) for k in STROKE_STEPS) + 1
    padded = Image.new("L", (glyph.width + 2 * pad, glyph.height + 2 * pad), 0)
    padded.paste(glyph, (pad, pad))
    grown = {0: padded}
    for k in range(1, max(STROKE_STEPS) + 1):  # repeated 3×3 filters: cheap, exact
        grown[k] = grown[k - 1].filter(ImageFilter.MaxFilter(3))
    for k in range(-1, min(STROKE_STEPS) - 1, -1):
        grown[k] = grown[k + 1].filter(ImageFilter.MinFilter(3))
    return tuple(grown[k] for k in STROKE_STEPS)


def centre_of_mass(glyph: Image.Image) -> tuple[float, float]:
    """(x, y) of the ink's centre of mass, in pixel coordinates (edges at 0 and width)."""
    ink = np.asarray(glyph, dtype=np.float64)
    total = ink.sum()
    if total <= 0:
        return glyph.width / 2.0, glyph.height / 2.0
    ys, xs = np.indices(ink.shape)
    return float((ink * (xs + 0.5)).sum() / total), float((ink * (ys + 0.5)).sum() / total)


def stroke_thickness(glyph: Image.Image) -> float:
    """Estimated stroke thickness in pixels: 2 × ink area / outline length."""
    ink = np.asarray(glyph) > 127
    inner = np.asarray(glyph.filter(ImageFilter.MinFilter(3))) > 127
    outline = int((ink & ~inner).sum())
    return 2.0 * float(ink.sum()) / max(outline, 1)


def _font_glyphs(path: Path, height: int) -> list[Image.Image]:
    try:
        font = ImageFont.truetype(str(path), 2 * height)
    except OSError as exc:
        raise DataError(f"cannot read font {path}: {exc}") from exc
    return [_render(font, digit, height) for digit in "0123456789"]


def build_glyph_bank(
    height: int, fonts: list[Path] | None = None, pen_sets: int = PEN_SETS
) -> GlyphBank:
    """Rasterise digits 0-9 of every usable font at ``height`` pixels, with stroke variants.

    ``pen_sets`` jittered copies of the pen-stroke digits (:mod:`strokes`) come after the
    fonts, named ``pen-1``, ``pen-2``, ...; they are the same on every call.
    """
    fonts = fonts if fonts is not None else available_fonts()
    names = [p.name for p in fonts] + [f"pen-{k + 1}" for k in range(pen_sets)]
    rng = np.random.default_rng(12345)
    images = []
    centres = np.zeros((len(names), 10, len(STROKE_STEPS), 2), np.float64)
    thickness = np.zeros((len(names), len(STROKE_STEPS)), np.float32)
    for i in range(len(names)):
        if i < len(fonts):
            bases = _font_glyphs(fonts[i], height)
        else:
            pen = height * rng.uniform(0.09, 0.13)
            bases = [draw_digit(d, height, pen, rng) for d in range(10)]
        per_digit = [_stroke_variants(b) for b in bases]
        base = float(np.mean([stroke_thickness(b) for b in bases]))
        # Growing by k pixels per side thickens a stroke by about 2k; thinning an already
        # thin stroke breaks it, so such variants get a thickness that is never chosen.
        est = [base + 2 * k for k in STROKE_STEPS]
        thickness[i] = [
            t if k >= 0 or t >= MIN_STROKE * height else 1e6
            for k, t in zip(STROKE_STEPS, est, strict=True)
        ]
        for d, variants in enumerate(per_digit):
            for j, v in enumerate(variants):
                centres[i, d, j] = centre_of_mass(v)
        images.append(tuple(per_digit))
    return GlyphBank(tuple(names), height, tuple(images), centres, thickness)
