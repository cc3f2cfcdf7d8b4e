"""GET /app/photos/{hash}.jpg?w=320: a product photo resized to at most w pixels on its long side, as JPEG.

Photos are public catalogue pictures named by the sha256 of their bytes, so a name never changes meaning: the
answer may be cached for a year. Each variant is made once and kept next to the originals
(MEDIA_DIR/variants/<hash>-<w>.jpg), written to a temporary name and renamed so a reader never sees half a file.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import tempfile
from pathlib import Path

from aiohttp import web
from PIL import Image, ImageOps

from bot.web.context import context_of
from models.media import MediaStore

WIDTHS = (320, 640, 1280)
_NAME = re.compile(r"^([0-9a-f]{64})\.jpg$")
FOREVER = "public, max-age=31536000, immutable"
QUALITY = 82


def original(store: MediaStore, content_hash: str) -> Path | None:
    """The stored picture with this hash (kept as .jpg or .png), or None."""
    for extension in (".jpg", ".png"):
        path = store.path(content_hash + extension)
        if path.is_file():
            return path
    return None


def resize(source: Path, width: int) -> bytes:
    """The picture at most `width` pixels on its long side, as a progressive JPEG."""
    with Image.open(source) as image:
        picture = ImageOps.exif_transpose(image).convert("RGB")
    picture.thumbnail((width, width), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def variant(store: MediaStore, content_hash: str, width: int) -> Path | None:
    """The cached variant's file, made now when missing; None when the original is gone."""
    target = store.root / "variants" / f"{content_hash}-{width}.jpg"
    if target.is_file():
        return target
    source = original(store, content_hash)
    if source is None:
        return None
    data = resize(source, width)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".variant-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


async def photo(request: web.Request) -> web.StreamResponse:
    """One photo variant; 404 for a name that is not a stored picture, 400 for another width."""
    found = _NAME.match(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    try:
        width = int(request.query.get("w", str(WIDTHS[-1])))
    except ValueError:
        width = 0
    if width not in WIDTHS:
        raise web.HTTPBadRequest(text=f"w must be one of {', '.join(map(str, WIDTHS))}")
    store = context_of(request).services.media
    path = await asyncio.to_thread(variant, store, found.group(1), width)
    if path is None:
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Cache-Control": FOREVER, "Content-Type": "image/jpeg"})
