"""The four-grey PNG writer: files any PNG reader opens to exactly the pixels written."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from bot.render.grey_png import GREYS, TO_GREYS, grey_png


def test_reads_back_pixel_for_pixel_whatever_the_width_and_repeated_rows() -> None:
    black, dark, light, white = GREYS
    rows = [
        [black, dark, light, white, white, black, light],
        [black, dark, light, white, white, black, light],  # the same again: written as "up" zeros
        [white, white, white, white, white, white, white],
        [light, black, dark, white, black, light, dark],
        [light, black, dark, white, black, light, dark],
    ]
    for width in (1, 2, 3, 4, 5, 7):  # rows of whole bytes and rows with padding bits
        pixels = bytes(value for row in rows for value in row[:width])
        image = Image.frombytes("L", (width, len(rows)), pixels)
        png = grey_png(image)
        width_read, height_read, depth, colour_type = struct.unpack(">IIBB", png[16:26])
        assert (width_read, height_read, depth, colour_type) == (width, len(rows), 2, 0)  # 2-bit greyscale
        with Image.open(io.BytesIO(png)) as read:
            assert read.convert("L").tobytes() == pixels


def test_to_greys_rounds_every_grey_to_the_nearest_of_the_four() -> None:
    assert [TO_GREYS[v] for v in (0, 42, 43, 85, 127, 128, 170, 212, 213, 255)] == [
        0, 0, 85, 85, 85, 170, 170, 170, 255, 255,
    ]


def test_refuses_an_image_that_is_not_greyscale() -> None:
    with pytest.raises(ValueError, match="greyscale"):
        grey_png(Image.new("RGB", (4, 4), "white"))
