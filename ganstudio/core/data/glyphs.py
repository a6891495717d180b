"""Digit glyphs rendered from the fonts that matplotlib ships, for the built-in digit set.

Each (font, digit) glyph is rasterised once, antialiased, cropped to its ink and scaled to
a fixed height; a few stroke-width variants (eroded / dilated) are made from it. Only
matplotlib's own bundled TrueType files are used, so the result is the same on every
machine with the same matplotlib. Pure functions; safe from any thread.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ganstudio.core.data.dataset import DataError

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

# Stroke variants: negative = erode, positive = dilate, by that many pixels per side.
STROKE_STEPS = (-1, 0, 1, 2, 3)


@dataclass(frozen=True)
class GlyphBank:
    """Rasterised glyphs: ``images[font][digit][variant]`` (PIL "L" images, equal height).

    ``thickness[font, variant]`` is the mean stroke thickness in pixels of that font's
    digits in that variant (an estimate: twice the ink area over the outline length).
    """

    fonts: tuple[str, ...]
    height: int
    images: tuple[tuple[tuple[Image.Image, ...], ...], ...]
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


def _stroke_variant(glyph: Image.Image, step: int) -> Image.Image:
    if step == 0:
        return glyph
    pad = abs(step) + 1
    padded = Image.new("L", (glyph.width + 2 * pad, glyph.height + 2 * pad), 0)
    padded.paste(glyph, (pad, pad))
    size = 2 * abs(step) + 1
    filt = ImageFilter.MaxFilter(size) if step > 0 else ImageFilter.MinFilter(size)
    return padded.filter(filt)


def stroke_thickness(glyph: Image.Image) -> float:
    """Estimated stroke thickness in pixels: 2 × ink area / outline length."""
    ink = np.asarray(glyph) > 127
    inner = np.asarray(glyph.filter(ImageFilter.MinFilter(3))) > 127
    outline = int((ink & ~inner).sum())
    return 2.0 * float(ink.sum()) / max(outline, 1)


def build_glyph_bank(height: int, fonts: list[Path] | None = None) -> GlyphBank:
    """Rasterise digits 0-9 of every usable font at ``height`` pixels, with stroke variants."""
    fonts = fonts if fonts is not None else available_fonts()
    images = []
    thickness = np.zeros((len(fonts), len(STROKE_STEPS)), np.float32)
    for i, path in enumerate(fonts):
        try:
            font = ImageFont.truetype(str(path), 2 * height)
        except OSError as exc:
            raise DataError(f"cannot read font {path}: {exc}") from exc
        per_digit = []
        for digit in "0123456789":
            base = _render(font, digit, height)
            per_digit.append(tuple(_stroke_variant(base, s) for s in STROKE_STEPS))
        for j in range(len(STROKE_STEPS)):
            thickness[i, j] = np.mean([stroke_thickness(v[j]) for v in per_digit])
        images.append(tuple(per_digit))
    return GlyphBank(tuple(p.name for p in fonts), height, tuple(images), thickness)
