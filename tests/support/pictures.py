"""Pictures made for tests: a phone photo full of metadata, plain JPEGs and PNGs, a PNG bomb, and readers."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageCms

SERIAL = "SN-7731-RUTAN"
GPS_TAG = 0x8825
EXIF_TAG = 0x8769
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="3,35.7N"/></x:xmpmeta>'


def noise(width: int, height: int, seed: int = 1) -> Image.Image:
    """A picture of coloured blocks (compresses like a photo, not like a flat colour)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    block = max(8, min(width, height) // 20)
    for x in range(0, width, block):
        for y in range(0, height, block):
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            image.paste(colour, (x, y, min(x + block, width), min(y + block, height)))
    return image


def jpeg(width: int, height: int, *, seed: int = 1, **options: object) -> bytes:
    """A JPEG of coloured blocks; `options` go to Pillow's save (exif, icc_profile, comment, xmp...)."""
    buffer = io.BytesIO()
    noise(width, height, seed).save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


def png(image: Image.Image, **options: object) -> bytes:
    """A PNG of a picture."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def webp(width: int, height: int) -> bytes:
    """A WebP of coloured blocks."""
    buffer = io.BytesIO()
    noise(width, height).save(buffer, format="WEBP", quality=80)
    return buffer.getvalue()


def phone_photo(width: int = 1600, height: int = 1200, *, orientation: int = 6) -> bytes:
    """A phone photo taken inside the Rutan: GPS position, camera make and serial, XMP, ICC profile, a comment, and
    an orientation that says "turn me". The stored pixels are red on the left half and blue on the right."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x010F] = "ACME"  # Make
    exif[0x0110] = "Phone X"  # Model
    exif[0x010E] = f"Bengkel, kamera {SERIAL}"  # ImageDescription
    exif[0x0112] = orientation
    exif[EXIF_TAG] = {0xA431: SERIAL}  # BodySerialNumber
    exif[GPS_TAG] = {1: "N", 2: (3.0, 35.0, 42.0), 3: "E", 4: (98.0, 40.0, 20.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif.tobytes(), icc_profile=icc, comment=b"Rutan Medan",
               xmp=XMP)
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A few hundred bytes that claim `width` x `height` pixels: a real PNG header over garbage pixel data, so any
    attempt to decode it would fail as a corrupt file rather than as a bomb."""
    small = png(Image.new("L", (1, 1)))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    ihdr = b"IHDR" + header
    chunk = struct.pack(">I", len(header)) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
    return small[:8] + chunk + small[8 + 25 :]


def metadata_of(data: bytes) -> dict[str, object]:
    """What Pillow finds besides pixels: EXIF tags, GPS, and the info keys that carry metadata."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        found: dict[str, object] = {k: v for k, v in image.info.items() if k not in ("jfif", "jfif_version",
                                                                                     "jfif_unit", "jfif_density",
                                                                                     "dpi")}
        if exif:
            found["exif"] = dict(exif)
        if exif.get_ifd(GPS_TAG):
            found["gps"] = exif.get_ifd(GPS_TAG)
        return found
