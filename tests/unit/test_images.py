"""Photos a manager sends are checked, turned upright, shrunk and stored without any metadata (models/images.py)."""

from __future__ import annotations

import hashlib
import io
import time
import warnings
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from models.errors import ImageTooBig, ImageTooManyPixels, ImageTooNarrow, ImageTooSmall, NotAnImage
from models.images import MAX_BYTES, MAX_PIXELS, MAX_SIDE, MIN_SIDE, prepare_image, prepare_image_off_loop
from models.media import MediaStore
from tests.support.pictures import SERIAL, XMP, jpeg, metadata_of, noise, phone_photo, png, png_bomb, webp


def test_a_phone_photo_with_gps_is_stored_and_read_back_without_any_metadata(tmp_path: Path) -> None:
    original = phone_photo()
    assert metadata_of(original)["gps"], "the test photo must really carry a GPS position"
    assert SERIAL.encode() in original and XMP in original and b"Rutan Medan" in original

    prepared = prepare_image(original)
    store = MediaStore(tmp_path / "media")
    stored = store.read(store.save(prepared))

    assert stored == prepared.data
    assert metadata_of(stored) == {}
    for trace in (b"Exif", b"GPS", SERIAL.encode(), b"xmpmeta", b"Rutan Medan", b"ICC_PROFILE", b"ACME"):
        assert trace not in stored, trace
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.mode == "RGB"


def test_the_photo_is_turned_as_its_exif_orientation_says_and_shrunk_to_1280_px() -> None:
    prepared = prepare_image(phone_photo(1600, 1200, orientation=6))  # stored lying down: turn 90° clockwise
    assert (prepared.width, prepared.height) == (960, 1280)
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (960, 1280)
        top, bottom = image.getpixel((480, 100)), image.getpixel((480, 1180))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 150 > top[2], "the stored left (red) half is on top once turned clockwise"
    assert bottom[2] > 150 > bottom[0]


def test_a_small_enough_photo_keeps_its_size_and_the_hash_names_its_bytes() -> None:
    prepared = prepare_image(jpeg(800, 600))
    assert (prepared.width, prepared.height, prepared.format, prepared.extension) == (800, 600, "jpeg", ".jpg")
    assert prepared.content_hash == hashlib.sha256(prepared.data).hexdigest()


def test_preparing_a_prepared_photo_again_keeps_it_byte_for_byte() -> None:
    once = prepare_image(phone_photo())
    assert prepare_image(once.data) == once
    transparent = Image.new("RGBA", (640, 480), (0, 0, 0, 0))
    transparent.paste(noise(320, 240).convert("RGBA"), (160, 120))
    logo = prepare_image(png(transparent))
    assert logo.format == "png" and prepare_image(logo.data) == logo


def test_a_png_with_transparency_stays_a_png_and_an_opaque_one_becomes_a_jpeg() -> None:
    transparent = Image.new("RGBA", (400, 400), (255, 255, 255, 0))
    transparent.paste(noise(200, 200).convert("RGBA"), (100, 100))
    kept = prepare_image(png(transparent))
    assert kept.format == "png"
    with Image.open(io.BytesIO(kept.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (255, 255, 255, 0)
    opaque = prepare_image(png(noise(400, 400).convert("RGBA")))
    assert opaque.format == "jpeg"


def test_webp_is_accepted_and_stored_as_jpeg() -> None:
    prepared = prepare_image(webp(900, 700))
    assert (prepared.format, prepared.width, prepared.height) == ("jpeg", 900, 700)


def test_text_chunks_of_a_png_do_not_survive() -> None:
    info = PngInfo()
    info.add_text("Location", "Rutan Kelas I Medan, blok C")
    transparent = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    transparent.paste(noise(200, 200).convert("RGBA"), (100, 100))
    prepared = prepare_image(png(transparent, pnginfo=info))
    assert b"Rutan" not in prepared.data and metadata_of(prepared.data) == {}


BAD_BYTES = {
    "sticker": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    "voice": b"OggS\x00\x02" + bytes(64),
    "pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    "gif": b"GIF89a\x40\x01\x40\x01\x00\x00\x00;",
    "empty": b"",
    "video": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(256),
}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_a_sticker_a_voice_note_a_pdf_a_video_or_a_gif_is_not_a_photo(kind: str) -> None:
    with pytest.raises(NotAnImage):
        prepare_image(BAD_BYTES[kind])


def test_a_30_mb_file_is_refused_for_its_size_before_it_is_read() -> None:
    huge = b"\xff\xd8\xff\xe0" + bytes(30 * 1024 * 1024)
    with pytest.raises(ImageTooBig) as refused:
        prepare_image(huge)
    assert refused.value.details == {"size": len(huge), "limit": MAX_BYTES}


def test_a_truncated_jpeg_is_refused_as_corrupt() -> None:
    whole = jpeg(1200, 900)
    with pytest.raises(NotAnImage) as refused:
        prepare_image(whole[: len(whole) // 2])
    assert refused.value.details["reason"] == "corrupt"


def test_a_50_by_50_picture_is_too_small() -> None:
    with pytest.raises(ImageTooSmall) as refused:
        prepare_image(png(noise(50, 50)))
    assert refused.value.details == {"width": 50, "height": 50, "minimum": MIN_SIDE}


def test_a_strip_that_would_be_too_thin_once_shrunk_is_refused() -> None:
    with pytest.raises(ImageTooNarrow):
        prepare_image(jpeg(4000, 400))
    assert prepare_image(jpeg(1280, 320)).height == 320  # exactly 4:1 still fits


@pytest.mark.parametrize(("width", "height"), [(10_000, 10_000), (30_000, 30_000), (MAX_PIXELS // 1000 + 1, 1000)])
def test_a_png_bomb_is_refused_from_its_header_before_decoding(width: int, height: int) -> None:
    bomb = png_bomb(width, height)
    assert len(bomb) < 200
    started = time.perf_counter()
    # Its pixel data is garbage: had it been decoded, it would have failed as corrupt, not as too many pixels.
    with pytest.raises(ImageTooManyPixels) as refused, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # Pillow's own note above 89 megapixels
        prepare_image(bomb)
    assert time.perf_counter() - started < 1.0
    assert refused.value.details["limit"] == MAX_PIXELS


def test_the_largest_side_never_exceeds_1280_px() -> None:
    prepared = prepare_image(jpeg(3000, 2000))
    assert max(prepared.width, prepared.height) == MAX_SIDE and (prepared.width, prepared.height) == (1280, 853)


def test_the_media_store_saves_once_by_content_and_refuses_forged_names(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    prepared = prepare_image(jpeg(640, 480))
    name = store.save(prepared)
    assert name == prepared.content_hash + ".jpg" and store.save(prepared) == name
    assert [p.name for p in (tmp_path / "media").iterdir()] == [name]
    assert store.read(name) == prepared.data and store.has(name)
    for forged in ("../../etc/passwd", "abc.jpg", prepared.content_hash + ".exe", "/" + name):
        with pytest.raises(ValueError):
            store.path(forged)


async def test_preparing_off_the_event_loop_gives_the_same_picture() -> None:
    data = phone_photo()
    assert await prepare_image_off_loop(data) == prepare_image(data)
