"""QR codes in the terminal: decode a photo (zxing-cpp, optional) and redraw it with half blocks."""

from __future__ import annotations

import io
from typing import Any


def decode_qr(image_bytes: bytes) -> str | None:
    """The payload of the first QR code in the image; None when none is found or zxing-cpp is missing."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return None
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            results: list[Any] = zxingcpp.read_barcodes(image.convert("L"))
    except (OSError, ValueError):
        return None
    for result in results:
        if "QR" in str(result.format) and result.text:
            return str(result.text)
    return None


def qr_art(payload: str, *, dark_terminal: bool = True) -> str | None:
    """Redraws a QR code for the payload with unicode half blocks; None when qrcode is missing.

    On a dark terminal the light modules are drawn, so phones still see dark-on-light.
    """
    try:
        import qrcode
    except ImportError:
        return None
    code = qrcode.QRCode(border=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    ink = [[cell != dark_terminal for cell in row] for row in matrix]
    if len(ink) % 2:
        ink.append([False] * len(ink[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return "\n".join(
        "".join(glyphs[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(ink[::2], ink[1::2], strict=True)
    )
