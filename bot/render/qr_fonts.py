"""Fonts for the payment QR image, and fitting a merchant name into the width of the code.

DejaVu Sans (free licence, see matplotlib's mpl-data/fonts/ttf/LICENSE_DEJAVU) comes with matplotlib, already a
dependency for the charts; it is read from matplotlib's data folder without importing matplotlib (~40 MB).
It has the accented letters merchant names use ("KOPI SÜSU"); Pillow's own default font, the fallback, has
ASCII only and would print a box for them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

__all__ = ["Font", "fit_lines", "font", "font_file"]

Font = ImageFont.FreeTypeFont


@lru_cache(maxsize=2)
def font_file(bold: bool) -> Path | None:
    """DejaVu Sans (bold or regular) from matplotlib's data folder, or None when it is not installed."""
    spec = importlib.util.find_spec("matplotlib")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder, "mpl-data", "fonts", "ttf", "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> Font:
    """DejaVu Sans at `size` pixels, or Pillow's default font (ASCII only) when DejaVu is missing."""
    path = font_file(bold)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    fallback = ImageFont.load_default(size=size)
    if not isinstance(fallback, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType: payment QR captions cannot be drawn")
    return fallback


def fit_lines(text: str, max_width: int, *, sizes: Sequence[int], bold: bool = False) -> list[tuple[str, Font]]:
    """`text` on one line at the largest of `sizes` (descending) that fits `max_width`, else wrapped at spaces.

    Wrapped lines take the largest size at which each fits; a single word wider than `max_width` even at the
    smallest size stays whole on its line (the image then widens rather than cut it).
    """
    for size in sizes:
        if font(size, bold=bold).getlength(text) <= max_width:
            return [(text, font(size, bold=bold))]
    for size in sizes:
        line_font = font(size, bold=bold)
        lines = _wrapped(text, line_font, max_width)
        if all(line_font.getlength(line) <= max_width for line in lines) or size == sizes[-1]:
            return [(line, line_font) for line in lines]
    raise ValueError("no font sizes given")


def _wrapped(text: str, line_font: Font, max_width: int) -> list[str]:
    """Words of `text` gathered greedily into lines no wider than `max_width` (a longer word gets its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and line_font.getlength(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]
