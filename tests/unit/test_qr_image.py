"""Payment QR images decode back to exactly the payload, even after JPEG compression, and say who is paid."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.render.qr import draw_payment_qr, payment_qr_text, render_payment_qr
from models.qris import SAMPLE_MERCHANT_PAYLOAD, to_dynamic
from tests.unit.qris_helpers import STATIC, STATIC_NON_ASCII, STATIC_WITHOUT_51_61

MODULE = 8
QUIET_ZONE = 4 * MODULE

AMOUNTS = [1, 7_000, 25_000, 1_020, 2_206, 28_500_000, 9_999_999_999_999]


def render(payload: str) -> Image.Image:
    """Renders a payment QR with typical captions and opens the PNG."""
    png = render_payment_qr(payload, amount_text="Rp25.000", caption_lines=["Pesanan RB-7K3QX"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png))


def decoded_texts(image: Image.Image) -> list[str]:
    """Returns the text of every QR code zxing-cpp finds in the image."""
    return [result.text for result in zxingcpp.read_barcodes(image)]


def code_top(image: Image.Image) -> int:
    """The top edge of the code's modules, as zxing-cpp finds it (not as the renderer says)."""
    (found,) = zxingcpp.read_barcodes(image)
    return min(found.position.top_left.y, found.position.top_right.y)


def ink_bands(image: Image.Image, top: int, bottom: int) -> list[tuple[int, int]]:
    """Runs of pixel rows between `top` and `bottom` holding dark pixels: one per printed line.

    Gaps of under 6 blank rows do not split a run: the dots of an "Ü" float 3 rows above the letter.
    """
    grey = image.convert("L")
    data, width = grey.tobytes(), grey.width
    bands: list[tuple[int, int]] = []
    for y in range(top, bottom):
        if min(data[y * width : (y + 1) * width]) < 128:
            if bands and y - bands[-1][1] < 6:
                bands[-1] = (bands[-1][0], y + 1)
            else:
                bands.append((y, y + 1))
    return bands


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


def test_keeps_a_white_quiet_zone_of_four_modules_around_the_code() -> None:
    payload = to_dynamic(SAMPLE_MERCHANT_PAYLOAD, 25_000, bill_number="RB-7K3QX")
    drawn = draw_payment_qr(payload, payment_qr_text(payload, amount_text="Rp25.000", caption_lines=["RB-7K3QX"]))
    image = Image.open(io.BytesIO(drawn.png)).convert("L")
    left, top, right, bottom = drawn.code_box
    assert (right - left, bottom - top) == ((49 + 8) * MODULE,) * 2  # version 8: 49 modules + 2 x 4 quiet
    for zone in (
        (left, top, right, top + QUIET_ZONE),
        (left, bottom - QUIET_ZONE, right, bottom),
        (left, top, left + QUIET_ZONE, bottom),
        (right - QUIET_ZONE, top, right, bottom),
    ):
        assert image.crop(zone).getextrema() == (255, 255)
    # The modules start right after the zone: the top-left finder pattern's corner is dark.
    assert image.getpixel((left + QUIET_ZONE, top + QUIET_ZONE)) == 0
    assert code_top(image) == top + QUIET_ZONE
    (found,) = zxingcpp.read_barcodes(image)
    assert found.ec_level == "M"


def test_prints_the_captions_below_the_code() -> None:
    payload = SAMPLE_MERCHANT_PAYLOAD
    plain = draw_payment_qr(payload, payment_qr_text(payload, amount_text="Rp25.000", caption_lines=[]))
    captioned = render_payment_qr(
        SAMPLE_MERCHANT_PAYLOAD, amount_text="Rp25.000", caption_lines=["Pesanan RB-7K3QX", "Bayar sebelum 10.00"]
    )
    plain_image, captioned_image = Image.open(io.BytesIO(plain.png)), Image.open(io.BytesIO(captioned))
    assert captioned_image.height > plain_image.height > plain_image.width
    code_bottom = plain.code_box[3]
    amount_line = plain_image.convert("L").crop((0, code_bottom, plain_image.width, plain_image.height))
    caption_lines = captioned_image.convert("L").crop(
        (0, plain_image.height, captioned_image.width, captioned_image.height)
    )
    assert sum(amount_line.histogram()[:128]) > 0
    assert sum(caption_lines.histogram()[:128]) > 0


def test_a_long_caption_widens_the_image_instead_of_being_cut() -> None:
    payload = to_dynamic(SAMPLE_MERCHANT_PAYLOAD, 9_999_999_999_999)
    image = Image.open(
        io.BytesIO(render_payment_qr(payload, amount_text="Rp9.999.999.999.999", caption_lines=["X" * 80]))
    )
    assert image.width > image.height / 2
    assert decoded_texts(image) == [payload]


def test_a_forwarded_screenshot_says_who_receives_the_money_above_the_code() -> None:
    """Someone paying from a forwarded screenshot sees "QRIS", the merchant and its NMID before the code."""
    with_nmid = render(to_dynamic(STATIC, 25_000))
    other_name = render(to_dynamic(STATIC_NON_ASCII, 25_000))
    without_nmid = render(to_dynamic(STATIC_WITHOUT_51_61, 25_000))
    lines = {}
    for name, image in [("with", with_nmid), ("other", other_name), ("without", without_nmid)]:
        # Everything above the code's quiet zone, found by zxing-cpp rather than taken from the renderer.
        lines[name] = ink_bands(image, 0, code_top(image) - QUIET_ZONE)
    assert len(lines["with"]) == 3  # QRIS, TOKO CONTOH, NMID: ID1020012345678
    assert len(lines["without"]) == 2  # no NMID in that payload, so no NMID line
    assert len(lines["other"]) == 3

    def band(image: Image.Image, rows: tuple[int, int]) -> bytes:
        return image.convert("L").crop((0, rows[0], image.width, rows[1])).tobytes()

    label, name, nmid = lines["with"]
    assert lines["other"][0] == label and band(other_name, label) == band(with_nmid, label)
    assert band(other_name, lines["other"][2]) == band(with_nmid, nmid)  # same NMID in both payloads
    assert band(other_name, lines["other"][1]) != band(with_nmid, name)  # KOPI SÜSU is not TOKO CONTOH


def test_rendering_does_not_import_telegram() -> None:
    code = "import sys, bot.render.qr; sys.exit('telegram' in sys.modules)"
    project_root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=project_root, check=False).returncode == 0
