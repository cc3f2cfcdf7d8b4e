"""Payment QR images: the QRIS payload as a PNG with the amount and order code printed under it."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_BOX_SIZE = 8
# Quiet zone in modules: without it, phone decoders often fail.
_QUIET_ZONE = 4
_AMOUNT_FONT_SIZE = 32
_CAPTION_FONT_SIZE = 22
_LINE_GAP = 8
_SIDE_MARGIN = 16
_BOTTOM_MARGIN = 24


def render_payment_qr(payload: str, *, amount_text: str, caption_lines: list[str]) -> bytes:
    """Renders `payload` as a black-on-white QR code PNG with the amount and captions below it."""
    if not payload:
        raise ValueError("payload is empty")
    code = _qr_image(payload)
    lines = [(amount_text, _font(_AMOUNT_FONT_SIZE))]
    lines += [(line, _font(_CAPTION_FONT_SIZE)) for line in caption_lines]

    measure = ImageDraw.Draw(code)
    boxes = [measure.textbbox((0, 0), text, font=font) for text, font in lines]
    text_width = max(right - left for left, _, right, _ in boxes)
    text_height = sum(bottom - top for _, top, _, bottom in boxes) + _LINE_GAP * (len(lines) - 1)
    width = max(code.width, int(text_width) + 2 * _SIDE_MARGIN)
    height = code.height + int(text_height) + _BOTTOM_MARGIN

    canvas = Image.new("L", (width, height), color=255)
    canvas.paste(code, ((width - code.width) // 2, 0))
    draw = ImageDraw.Draw(canvas)
    # Text starts below the code's own quiet zone, so the zone stays blank.
    y = float(code.height)
    for (text, font), (left, top, right, bottom) in zip(lines, boxes, strict=True):
        x = (width - (right - left)) / 2 - left
        draw.text((x, y - top), text, font=font, fill=0)
        y += bottom - top + _LINE_GAP

    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def _qr_image(payload: str) -> Image.Image:
    """Encodes the payload (as UTF-8) into a grayscale QR image with a 4-module quiet zone."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=_BOX_SIZE, border=_QUIET_ZONE)
    qr.add_data(payload)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("L")


@lru_cache(maxsize=4)
def _font(size: int) -> Font:
    """Returns Pillow's default font at `size`, or its fixed-size bitmap font on old Pillow."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError, ImportError):
        return ImageFont.load_default()
