"""Payment QR images: who receives the money above the code, the amount, order code and deadline below it.

Laid out as Bank Indonesia's QRIS display convention prints a code: a "QRIS" label, the merchant name and its
NMID over the code, so a screenshot forwarded to someone else still says who is paid. qrcode computes the module
matrix (bot/render/qr_matrix.py); the image is composed here from that matrix, with what is the same for every
payment (fonts, the merchant block) made once, and written as a 2-bit greyscale PNG (bot/render/grey_png.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

from bot.render.grey_png import TO_GREYS, grey_png
from bot.render.qr_fonts import Font, fit_lines, font
from bot.render.qr_matrix import qr_rows
from models import qris

__all__ = ["PaymentQrImage", "PaymentQrText", "PrintedLine", "draw_payment_qr", "payment_qr_text", "render_payment_qr"]

Box = tuple[int, int, int, int]
_FloatBox = tuple[float, float, float, float]
_Line = tuple[str, Font]

GATEWAY_MERCHANT = "Midtrans"  # printed over a gateway's code whose merchant block cannot be read
MODULE_PX = 8
# Quiet zone in modules: without it, phone decoders often fail.
QUIET_ZONE = 4
_LABEL_SIZE = 22
# The merchant name shrinks from 28 to 18 pixels to fit on one line, then wraps.
_NAME_SIZES = range(28, 17, -2)
_NMID_SIZE = 20
_AMOUNT_SIZE = 32
_DETAIL_SIZE = 22
_LINE_GAP = 8
_SIDE_MARGIN = 16
_TOP_MARGIN = 20
_BOTTOM_MARGIN = 24
_WHITE = 255
# Module matrix bytes (1 = dark) to greys: dark modules black, light ones white.
_MODULE_GREYS = bytes.maketrans(b"\x00\x01", b"\xff\x00")


@dataclass(frozen=True)
class PaymentQrText:
    """What the image says in words: the merchant block over the code, the payment under it."""

    merchant_name: str
    nmid: str | None
    amount: str
    details: tuple[str, ...]
    label: str = "QRIS"


@dataclass(frozen=True)
class PrintedLine:
    """One line of text as printed: its words, its font and the box (left, top, right, bottom) of its ink."""

    text: str
    font: Font
    box: Box


@dataclass(frozen=True)
class PaymentQrImage:
    """The PNG and where things are in it: the code with its quiet zone, and each printed line in order."""

    png: bytes
    width: int
    height: int
    code_box: Box
    lines: tuple[PrintedLine, ...]


def payment_qr_text(payload: str, *, amount_text: str, caption_lines: list[str]) -> PaymentQrText:
    """The words around the code: merchant name (tag 59) and NMID (51.02) read from the payload itself."""
    try:
        merchant = qris.describe(payload)
    except qris.QrisError:  # a gateway's code our strict codec refuses is still the buyer's to pay: no merchant block
        return PaymentQrText(GATEWAY_MERCHANT, None, amount_text, tuple(caption_lines))
    return PaymentQrText(merchant.merchant_name, merchant.nmid, amount_text, tuple(caption_lines))


def render_payment_qr(payload: str, *, amount_text: str, caption_lines: list[str]) -> bytes:
    """The payment QR as a PNG: merchant name and NMID over the code, amount and captions under it."""
    text = payment_qr_text(payload, amount_text=amount_text, caption_lines=caption_lines)
    return draw_payment_qr(payload, text).png


def draw_payment_qr(payload: str, text: PaymentQrText) -> PaymentQrImage:
    """Draws the code for `payload` (error correction M, 4-module quiet zone) with `text` around it."""
    if not payload:
        raise ValueError("payload is empty")
    code = _code_image(qr_rows(payload))
    header = _header(text.label, text.merchant_name, text.nmid, code.width - 2 * _SIDE_MARGIN)
    footer_lines = [(text.amount, font(_AMOUNT_SIZE, bold=True))]
    footer_lines += [(line, font(_DETAIL_SIZE)) for line in text.details]
    footer_boxes = [line_font.getbbox(line, anchor="ma") for line, line_font in footer_lines]
    width = max(code.width, header.image.width + 2 * _SIDE_MARGIN, _widest(footer_boxes) + 2 * _SIDE_MARGIN)
    # The code's own quiet zone keeps the payment lines clear of it.
    footer = _text_block(footer_lines, footer_boxes, width, below=_BOTTOM_MARGIN)
    code_top = _TOP_MARGIN + header.image.height
    height = code_top + code.height + footer.image.height

    # Composed in four greys (black, white and two for anti-aliased edges): a 2-bit PNG (bot/render/grey_png.py).
    canvas = Image.new("L", (width, height), _WHITE)
    header_left = (width - header.image.width) // 2
    canvas.paste(header.image, (header_left, _TOP_MARGIN))
    code_left = (width - code.width) // 2
    canvas.paste(code, (code_left, code_top))
    canvas.paste(footer.image, (0, code_top + code.height))
    printed = [_moved(line, header_left, _TOP_MARGIN) for line in header.lines]
    printed += [_moved(line, 0, code_top + code.height) for line in footer.lines]

    code_box = (code_left, code_top, code_left + code.width, code_top + code.height)
    return PaymentQrImage(grey_png(canvas), width, height, code_box, tuple(printed))


def _code_image(modules: list[bytes]) -> Image.Image:
    """The code with its quiet zone, black on white, one module per MODULE_PX x MODULE_PX square."""
    side = len(modules) + 2 * QUIET_ZONE
    blank_rows = b"\x00" * (side * QUIET_ZONE)
    margin = b"\x00" * QUIET_ZONE
    rows = b"".join(margin + row + margin for row in modules)
    small = Image.frombytes("L", (side, side), (blank_rows + rows + blank_rows).translate(_MODULE_GREYS))
    return small.resize((side * MODULE_PX, side * MODULE_PX), Image.Resampling.NEAREST)


@dataclass(frozen=True)
class _Block:
    """Lines of text drawn on their own white image, in four greys, with where each one's ink is."""

    image: Image.Image
    lines: tuple[PrintedLine, ...]


@lru_cache(maxsize=16)
def _header(label: str, merchant_name: str, nmid: str | None, max_width: int) -> _Block:
    """The "QRIS" label, the merchant name (shrunk, then wrapped, to fit) and "NMID: ...", once per merchant."""
    lines = [(label, font(_LABEL_SIZE, bold=True))]
    lines += fit_lines(merchant_name, max_width, sizes=_NAME_SIZES, bold=True)
    if nmid:
        lines.append((f"NMID: {nmid}", font(_NMID_SIZE)))
    boxes = [line_font.getbbox(line, anchor="ma") for line, line_font in lines]
    # Two spare pixels a side: "ma" centres the advance width, and the ink can lean a pixel either way.
    return _text_block(lines, boxes, _widest(boxes) + 4, below=_LINE_GAP)


def _text_block(lines: list[_Line], boxes: list[_FloatBox], width: int, *, below: int) -> _Block:
    """`lines` centred one under the other on a white block `width` wide, with `below` pixels left under them."""
    height = sum(_line_height(line_font) for _, line_font in lines) + _LINE_GAP * (len(lines) - 1) + below
    image = Image.new("L", (width, height), _WHITE)
    printed = _draw_lines(ImageDraw.Draw(image), lines, boxes, width, 0)
    return _Block(image.point(TO_GREYS), tuple(printed))


def _draw_lines(
    draw: ImageDraw.ImageDraw, lines: list[_Line], boxes: list[_FloatBox], width: int, top: int
) -> list[PrintedLine]:
    """Draws lines centred across `width` from `top` down; `boxes` are their ink boxes around the anchor."""
    printed, y = [], top
    centre = width // 2
    for (line, line_font), (left, ink_top, right, bottom) in zip(lines, boxes, strict=True):
        # Anchor "ma": x is the middle of the line and y its ascender line, so lines of a font sit alike.
        draw.text((centre, y), line, font=line_font, fill=0, anchor="ma")
        box = (centre + math.floor(left), y + math.floor(ink_top), centre + math.ceil(right), y + math.ceil(bottom))
        printed.append(PrintedLine(line, line_font, box))
        y += _line_height(line_font) + _LINE_GAP
    return printed


def _widest(boxes: list[_FloatBox]) -> int:
    """The width of the widest ink box, in whole pixels."""
    return max(math.ceil(right) - math.floor(left) for left, _, right, _ in boxes)


def _line_height(line_font: Font) -> int:
    """Ascent plus descent: the same height for every line of a font, whatever its letters."""
    ascent, descent = line_font.getmetrics()
    return int(ascent + descent)


def _moved(line: PrintedLine, dx: int, dy: int) -> PrintedLine:
    """The same line with its box shifted by (dx, dy)."""
    left, top, right, bottom = line.box
    return PrintedLine(line.text, line.font, (left + dx, top + dy, right + dx, bottom + dy))
