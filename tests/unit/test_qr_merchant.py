"""The payment QR image says who receives the money: "QRIS", the merchant name and its NMID over the code."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, ImageDraw

from bot.render.qr import PaymentQrImage, PrintedLine, draw_payment_qr, payment_qr_text
from models.qris import SAMPLE_MERCHANT_PAYLOAD, to_dynamic
from tests.unit.qris_helpers import DYNAMIC_25000_ORD00000001, STATIC_WITHOUT_51_61, static_payload

# Pixels of slack when ink on the image is compared with Pillow's measure of a text: the image keeps 4 grey levels,
# so the faintest anti-aliased edge columns turn white. One character is at least 10 pixels wide at these sizes.
SLACK = 6


def draw(payload: str) -> PaymentQrImage:
    """Draws a payment QR with typical payment lines."""
    text = payment_qr_text(payload, amount_text="Rp25.000", caption_lines=["KB-7GQ2XM", "Bayar sebelum 14.00 WIB"])
    return draw_payment_qr(payload, text)


def pixels(drawn: PaymentQrImage) -> Image.Image:
    """The PNG as greyscale pixels."""
    return Image.open(io.BytesIO(drawn.png)).convert("L")


def ink_span(image: Image.Image, line: PrintedLine) -> tuple[int, int]:
    """Leftmost and rightmost non-white columns across the whole width, in the rows of `line`."""
    band = image.crop((0, line.box[1], image.width, line.box[3]))
    columns = [x for x in range(band.width) if band.crop((x, 0, x + 1, band.height)).getextrema()[0] < 255]
    return columns[0], columns[-1] + 1


def ink_width(line: PrintedLine, text: str) -> int:
    """How wide `text` comes out in the line's font, measured by Pillow."""
    left, _, right, _ = line.font.getbbox(text)
    return int(right - left)


def glyph(line: PrintedLine, char: str) -> bytes:
    """The pixels of one character in the line's font."""
    image = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(image).text((8, 8), char, font=line.font, fill=0)
    return image.tobytes()


def test_the_words_over_the_code_are_read_from_the_payload() -> None:
    text = payment_qr_text(DYNAMIC_25000_ORD00000001, amount_text="Rp25.000", caption_lines=["ORD00000001"])
    assert (text.label, text.merchant_name, text.nmid) == ("QRIS", "TOKO CONTOH", "ID1020012345678")
    assert (text.amount, text.details) == ("Rp25.000", ("ORD00000001",))
    sample = payment_qr_text(to_dynamic(SAMPLE_MERCHANT_PAYLOAD, 3_500), amount_text="Rp3.500", caption_lines=[])
    assert (sample.merchant_name, sample.nmid) == ("CONTOH KOPERASI KHM", "ID1020000000001")
    assert payment_qr_text(to_dynamic(STATIC_WITHOUT_51_61, 1), amount_text="Rp1", caption_lines=[]).nmid is None


def test_prints_qris_the_merchant_and_its_nmid_over_the_code_and_the_payment_under_it() -> None:
    drawn = draw(DYNAMIC_25000_ORD00000001)
    image = pixels(drawn)
    texts = [line.text for line in drawn.lines]
    assert texts == ["QRIS", "TOKO CONTOH", "NMID: ID1020012345678", "Rp25.000", "KB-7GQ2XM", "Bayar sebelum 14.00 WIB"]
    code_top, code_bottom = drawn.code_box[1], drawn.code_box[3]
    assert all(line.box[3] <= code_top for line in drawn.lines[:3])
    assert all(line.box[1] >= code_bottom for line in drawn.lines[3:])
    for line in drawn.lines:
        left, right = ink_span(image, line)
        # The ink in those rows is as wide as Pillow says the expected words are: those words, and nothing else.
        assert abs((right - left) - ink_width(line, line.text)) <= SLACK, line.text
    assert zxingcpp.read_barcodes(image)[0].text == DYNAMIC_25000_ORD00000001


def test_leaves_out_the_nmid_line_when_the_payload_has_no_nmid() -> None:
    drawn = draw(to_dynamic(STATIC_WITHOUT_51_61, 25_000))
    assert [line.text for line in drawn.lines[:2]] == ["QRIS", "TOKO CONTOH"]
    assert not any(line.text.startswith("NMID") for line in drawn.lines)
    assert drawn.code_box[1] < draw(DYNAMIC_25000_ORD00000001).code_box[1]


def test_prints_an_ampersand_and_accents_as_written() -> None:
    payload = to_dynamic(static_payload(t59="KOPI & SÜSU ÉLÉGANCE"), 25_000)
    drawn = draw(payload)
    name = drawn.lines[1]
    assert name.text == "KOPI & SÜSU ÉLÉGANCE"
    left, right = ink_span(pixels(drawn), name)
    assert abs((right - left) - ink_width(name, "KOPI & SÜSU ÉLÉGANCE")) <= SLACK
    assert abs((right - left) - ink_width(name, "KOPI &amp; SÜSU ÉLÉGANCE")) > 4 * SLACK
    # The font draws Ü and É, not the empty box it draws for a character it lacks.
    missing = glyph(name, "\ue000")
    assert glyph(name, "Ü") != missing
    assert glyph(name, "É") != missing


def test_a_long_merchant_name_is_shrunk_or_wrapped_and_never_cut() -> None:
    """Tag 59 holds up to 25 characters: a long name shrinks, two long words wrap, one long word widens the image."""
    cases = [
        ("KOPERASI KARYA WARGA BINA", 1, "same"),
        ("WWWWWWWWWWWW WWWWWWWWWWWW", 2, "same"),
        ("WWWWWWWWWWWWWWWWWWWWWWWWW", 1, "wider"),
    ]
    for merchant, line_count, width in cases:
        payload = to_dynamic(static_payload(t59=merchant), 25_000)
        drawn = draw(payload)
        image = pixels(drawn)
        names = [line for line in drawn.lines if line.box[3] <= drawn.code_box[1]][1:-1]  # after "QRIS", before NMID
        assert [line.text for line in names] == (merchant.split() if line_count == 2 else [merchant])
        for line in names:
            left, right = ink_span(image, line)
            assert left >= 16 and right <= image.width - 16, merchant
            assert abs((right - left) - ink_width(line, line.text)) <= SLACK, merchant
        assert zxingcpp.read_barcodes(image)[0].text == payload
        code_width = drawn.code_box[2] - drawn.code_box[0]
        assert (drawn.width == code_width) if width == "same" else (drawn.width > code_width)
