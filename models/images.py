"""Product photos made safe to keep and show: checked, turned upright, shrunk, and re-encoded without metadata.

A phone photo taken in a workshop carries where it was taken (GPS inside the Rutan), the camera's serial number and
more. Nothing of the file the manager sent is kept but its pixels: the picture is decoded, turned as its EXIF
orientation says, converted to sRGB, shrunk to at most 1280 px on the long side and written anew as a JPEG (a PNG
when it has transparent parts). Pure (Pillow only): the caller stores the result (`models.media.MediaStore`).

Checks happen before decoding where they can: the size of the file, the format and the dimensions in the header (a
"PNG bomb" of 30,000 x 30,000 px is a few kilobytes), with Pillow's own decompression-bomb limit as a second net.

A file that is already in the stored form (our own output: a JPEG or transparent PNG of the right size with no
metadata segment at all) is kept byte for byte: re-encoding a JPEG loses a little each time, and a catalogue exported
and imported again must carry the same photos.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from models.errors import ImageTooBig, ImageTooManyPixels, ImageTooNarrow, ImageTooSmall, NotAnImage

MAX_BYTES = 10 * 1024 * 1024
MIN_SIDE = 320  # pixels on the short side: smaller pictures look like blurs on a phone
MAX_SIDE = 1280  # pixels on the long side of what is stored and sent (Telegram shows photos at most this large)
# 50 megapixels (8,660 x 5,773): what the largest phone cameras save; decoding it takes about 150 MB.
MAX_PIXELS = 50_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class PreparedImage:
    """A picture ready to store: the bytes to keep, their sha256 (hex), size in pixels and format ("jpeg"/"png")."""

    data: bytes
    content_hash: str
    width: int
    height: int
    format: str

    @property
    def extension(self) -> str:
        """The file extension of the format, with its dot."""
        return ".png" if self.format == "png" else ".jpg"

    @property
    def size_bytes(self) -> int:
        """How many bytes the picture takes."""
        return len(self.data)


def prepare_image(data: bytes) -> PreparedImage:
    """Checks a picture a manager sent and returns it upright, at most 1280 px, re-encoded without any metadata."""
    if len(data) > MAX_BYTES:
        raise ImageTooBig(size=len(data), limit=MAX_BYTES)
    # Pillow refuses more than twice its MAX_IMAGE_PIXELS in `open` (and only warns above it); MAX_PIXELS, lower
    # than both, is checked right after, still before a single pixel is decoded.
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            _check_header(image)
            kept = _already_clean(data, image)
            if kept is not None:
                return kept
            return _reencode(image)
    except Image.DecompressionBombError:
        raise ImageTooManyPixels(limit=MAX_PIXELS) from None
    except UnidentifiedImageError:
        raise NotAnImage(reason="unknown_format") from None
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        # A valid header over missing or broken pixels: a truncated upload, a damaged file.
        raise NotAnImage(reason="corrupt", detail=str(exc)[:200]) from None


async def prepare_image_off_loop(data: bytes) -> PreparedImage:
    """`prepare_image` in a worker thread: decoding a 12-megapixel photo takes about 0.1 s (a large PNG 0.4 s), too
    long to hold the event loop that serves every other chat (Pillow releases the GIL while it decodes)."""
    return await asyncio.to_thread(prepare_image, data)


def _check_header(image: Image.Image) -> None:
    """Refuses from the header alone (nothing decoded yet): too many pixels, too small, too narrow."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageTooManyPixels(width=width, height=height, limit=MAX_PIXELS)
    short, long = min(width, height), max(width, height)
    if short < MIN_SIDE:
        raise ImageTooSmall(width=width, height=height, minimum=MIN_SIDE)
    if long > MAX_SIDE and short * MAX_SIDE < MIN_SIDE * long:
        raise ImageTooNarrow(width=width, height=height, minimum=MIN_SIDE)


def _reencode(image: Image.Image) -> PreparedImage:
    """Decodes, turns upright, converts to sRGB, shrinks, and writes a fresh file from the pixels alone."""
    if image.format in ("JPEG", "MPO"):  # MPO: a JPEG with extra frames (some phones' photos)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale when that is still large enough
    image.load()
    upright = _upright(image)
    pixels = _to_srgb(upright, image.info.get("icc_profile"))
    transparent = _has_transparency(pixels)
    pixels = pixels.convert("RGBA" if transparent else "RGB")
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image from raw pixels has an empty `info`: no EXIF, XMP, ICC profile, comment or text chunk can follow.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    buffer = io.BytesIO()
    if transparent:
        clean.save(buffer, format="PNG", optimize=True)
    else:
        clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return _prepared(buffer.getvalue(), clean.width, clean.height, "png" if transparent else "jpeg")


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says; as it is when the EXIF block cannot be read."""
    try:
        return ImageOps.exif_transpose(image) or image
    except (OSError, SyntaxError, ValueError, KeyError, TypeError, struct.error):
        return image  # a damaged EXIF block: the pixels are fine, and the block is dropped anyway


def _to_srgb(image: Image.Image, icc: object) -> Image.Image:
    """The picture in sRGB when it carries another colour profile (a wide-gamut phone photo), else unchanged."""
    if not isinstance(icc, bytes) or not icc:
        return image
    mode = "RGBA" if "A" in image.getbands() else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        given = image if image.mode in ("RGB", "RGBA", "CMYK", "L") else image.convert(mode)
        converted = ImageCms.profileToProfile(given, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the colours stay as they are, the profile is dropped all the same
    return converted if converted is not None else image


def _has_transparency(image: Image.Image) -> bool:
    """True when some pixel is not fully opaque."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] != 255
    return False


def _prepared(data: bytes, width: int, height: int, fmt: str) -> PreparedImage:
    """Wraps stored bytes with their hash."""
    return PreparedImage(data, hashlib.sha256(data).hexdigest(), width, height, fmt)


def _already_clean(data: bytes, image: Image.Image) -> PreparedImage | None:
    """The file itself when it is already in the stored form (checked segment by segment), else None."""
    width, height = image.size
    if max(width, height) > MAX_SIDE:
        return None
    if image.format == "JPEG" and image.mode == "RGB" and _clean_jpeg(data):
        image.load()  # every pixel must decode: a cut-off file is refused, not kept
        return _prepared(data, width, height, "jpeg")
    if image.format == "PNG" and image.mode == "RGBA" and _clean_png(data):
        image.load()
        return _prepared(data, width, height, "png") if _has_transparency(image) else None
    return None


# JPEG markers that carry pixels or how to decode them: frames, tables, restart interval, scans.
_JPEG_DECODING = {0xC0, 0xC1, 0xC2, 0xC4, 0xDB, 0xDD, 0xDA}


def _clean_jpeg(data: bytes) -> bool:
    """True when the JPEG holds nothing but a bare JFIF header, tables, a frame and scans (no EXIF, XMP, ICC,
    comment, thumbnail or trailing bytes)."""
    if not data.startswith(b"\xff\xd8"):
        return False
    i = 2
    while i + 2 <= len(data):
        if data[i] != 0xFF:
            return False
        marker = data[i + 1]
        if marker == 0xD9:
            return i + 2 == len(data)  # nothing may follow the end of the image
        if i + 4 > len(data):
            return False
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        segment = data[i + 4 : i + 2 + length]
        if marker == 0xE0:
            # JFIF 1.x without a thumbnail: "JFIF\0", version, units, densities, thumbnail 0 x 0.
            if length != 16 or not segment.startswith(b"JFIF\x00") or segment[12:14] != b"\x00\x00":
                return False
        elif marker not in _JPEG_DECODING:
            return False
        i += 2 + length
        if marker == 0xDA:
            i = _end_of_scan(data, i)
    return False


def _end_of_scan(data: bytes, i: int) -> int:
    """The index of the marker after a scan's entropy-coded data (stuffed 0xFF00 and restart markers skipped)."""
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= len(data):
            return len(data)
        following = data[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            i += 2
            continue
        return i


_PNG_ALLOWED = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


def _clean_png(data: bytes) -> bool:
    """True when the PNG holds only header, palette, transparency and pixel chunks (no text, EXIF, ICC, time)."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    i = 8
    while i + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[i : i + 8])
        if kind not in _PNG_ALLOWED:
            return False
        i += 12 + length
        if kind == b"IEND":
            return i == len(data)
    return False
