"""Payment QR images decode back to exactly the payload, even after Telegram-like JPEG compression."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.render.qr import render_payment_qr
from models.qris import SAMPLE_MERCHANT_PAYLOAD, to_dynamic
from tests.unit.qris_helpers import STATIC_NON_ASCII

AMOUNTS = [1, 7_000, 25_000, 1_020, 2_206, 28_500_000, 9_999_999_999_999]


def render(payload: str) -> Image.Image:
    """Renders a payment QR with typical captions and opens the PNG."""
    png = render_payment_qr(payload, amount_text="Rp25.000", caption_lines=["Pesanan RB-7K3QX"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png))


def decoded_texts(image: Image.Image) -> list[str]:
    """Returns the text of every QR code zxing-cpp finds in the image."""
    return [result.text for result in zxingcpp.read_barcodes(image)]


def as_jpeg(image: Image.Image, quality: int = 80) -> Image.Image:
    """Recompresses the image as JPEG, as Telegram does with photos."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("amount", AMOUNTS)
def test_png_decodes_to_exactly_the_payload(amount: int) -> None:
    payload = to_dynamic(SAMPLE_MERCHANT_PAYLOAD, amount, bill_number="RB-7K3QX")
    assert decoded_texts(render(payload)) == [payload]


@pytest.mark.parametrize("amount", AMOUNTS)
def test_png_still_decodes_after_jpeg_compression_at_quality_80(amount: int) -> None:
    payload = to_dynamic(SAMPLE_MERCHANT_PAYLOAD, amount, bill_number="RB-7K3QX")
    assert decoded_texts(as_jpeg(render(payload))) == [payload]


def test_a_non_ascii_merchant_name_survives_the_round_trip() -> None:
    payload = to_dynamic(STATIC_NON_ASCII, 25_000)
    assert decoded_texts(render(payload)) == [payload]
    assert decoded_texts(as_jpeg(render(payload))) == [payload]


def test_keeps_a_white_quiet_zone_of_four_modules_above_and_beside_the_code() -> None:
    image = render(SAMPLE_MERCHANT_PAYLOAD).convert("L")
    zone = 4 * 8
    assert image.mode == "L"
    assert image.crop((0, 0, image.width, zone)).getextrema() == (255, 255)
    assert image.crop((0, 0, zone, image.width)).getextrema() == (255, 255)
    assert image.crop((image.width - zone, 0, image.width, image.width)).getextrema() == (255, 255)


def test_prints_the_captions_below_the_code() -> None:
    plain = render_payment_qr(SAMPLE_MERCHANT_PAYLOAD, amount_text="Rp25.000", caption_lines=[])
    captioned = render_payment_qr(
        SAMPLE_MERCHANT_PAYLOAD, amount_text="Rp25.000", caption_lines=["Pesanan RB-7K3QX", "Bayar sebelum 10.00"]
    )
    plain_image, captioned_image = Image.open(io.BytesIO(plain)), Image.open(io.BytesIO(captioned))
    assert captioned_image.height > plain_image.height > plain_image.width
    amount_line = plain_image.convert("L").crop((0, plain_image.width, plain_image.width, plain_image.height))
    caption_lines = captioned_image.convert("L").crop(
        (0, plain_image.height, captioned_image.width, captioned_image.height)
    )
    assert sum(amount_line.histogram()[:128]) > 0
    assert sum(caption_lines.histogram()[:128]) > 0


def test_a_long_caption_widens_the_image_instead_of_being_cut() -> None:
    image = Image.open(
        io.BytesIO(render_payment_qr("ABC", amount_text="Rp9.999.999.999.999", caption_lines=["X" * 80]))
    )
    assert image.width > image.height / 2
    assert decoded_texts(image) == ["ABC"]


def test_rendering_does_not_import_telegram() -> None:
    code = "import sys, bot.render.qr; sys.exit('telegram' in sys.modules)"
    project_root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=project_root, check=False).returncode == 0
