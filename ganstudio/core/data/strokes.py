"""A pen-stroke "font" for the built-in digits: each digit as a few lines and arcs.

Fonts draw a closed-top 4, a flagged 1 and curly 9s; handwriting mostly does not. These
stroke skeletons (in a 0.62 × 1 box, y pointing down) are drawn with a round pen, with
their control points jittered, to add handwriting-like shapes beside the font glyphs.
Pure functions; safe from any thread.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

WIDTH = 0.62  # box width relative to its height


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float) -> np.ndarray:
    """Points along an elliptical arc from angle ``a0`` to ``a1`` degrees (clockwise)."""
    t = np.deg2rad(np.linspace(a0, a1, max(8, int(abs(a1 - a0) / 8))))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.array(points, dtype=np.float64)


def _bezier(p0, p1, p2, n: int = 16) -> np.ndarray:
    t = np.linspace(0.0, 1.0, n)[:, None]
    p0, p1, p2 = (np.asarray(p, dtype=np.float64) for p in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2


def skeleton(digit: int) -> list[np.ndarray]:
    """The strokes (polylines of (x, y) points) that draw ``digit``."""
    if digit == 0:
        return [_arc(0.31, 0.5, 0.28, 0.48, -90, 270)]
    if digit == 1:
        return [_line((0.34, 0.0), (0.3, 1.0))]
    if digit == 2:
        return [
            np.concatenate([_arc(0.3, 0.28, 0.27, 0.26, 200, 380), _line((0.02, 1.0), (0.62, 1.0))])
        ]
    if digit == 3:
        return [
            np.concatenate(
                [_arc(0.3, 0.26, 0.24, 0.24, 200, 450), _arc(0.3, 0.73, 0.28, 0.26, -90, 160)]
            )
        ]
    if digit == 4:
        return [_line((0.06, 0.0), (0.03, 0.6), (0.62, 0.6)), _line((0.48, 0.05), (0.46, 1.0))]
    if digit == 5:
        return [
            np.concatenate(
                [
                    _line((0.6, 0.0), (0.12, 0.0), (0.08, 0.45)),
                    _arc(0.32, 0.7, 0.28, 0.29, -140, 150),
                ]
            )
        ]
    if digit == 6:
        return [
            np.concatenate(
                [
                    _bezier((0.52, 0.0), (0.05, 0.2), (0.04, 0.72)),
                    _arc(0.32, 0.72, 0.28, 0.27, 180, 540),
                ]
            )
        ]
    if digit == 7:
        return [_line((0.0, 0.0), (0.62, 0.0), (0.2, 1.0))]
    if digit == 8:
        return [_arc(0.37, 0.24, 0.2, 0.23, 90, 450), _arc(0.27, 0.72, 0.26, 0.27, -90, 270)]
    if digit == 9:
        return [_arc(0.33, 0.26, 0.26, 0.25, 0, 360), _line((0.59, 0.28), (0.42, 1.0))]
    raise ValueError(f"no strokes for digit {digit!r}")


def draw_digit(digit: int, height: int, pen: float, rng: np.random.Generator) -> Image.Image:
    """Draw ``digit`` at ``height`` pixels with a round pen ``pen`` pixels wide, jittered."""
    jitter = rng.normal(0.0, 0.05, (4, 2))  # a smooth warp: bilinear in the box corners
    scale = 4  # draw large, shrink for smooth edges
    h = height * scale
    margin = pen * scale
    w = round(h * WIDTH + 2 * margin)
    img = Image.new("L", (w, round(h + 2 * margin)), 0)
    draw = ImageDraw.Draw(img)
    radius = pen * scale / 2
    for stroke in skeleton(digit):
        u, v = stroke[:, 0:1] / WIDTH, stroke[:, 1:2]
        warp = (
            (1 - u) * (1 - v) * jitter[0]
            + u * (1 - v) * jitter[1]
            + (1 - u) * v * jitter[2]
            + u * v * jitter[3]
        )
        pts = (stroke + warp) * h + margin
        flat = [tuple(p) for p in pts]
        draw.line(flat, fill=255, width=max(1, round(pen * scale)), joint="curve")
        for x, y in (flat[0], flat[-1]):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    img = img.crop(img.getbbox())
    new_w = max(1, round(img.width * height / img.height))
    return img.resize((new_w, height), Image.LANCZOS)
