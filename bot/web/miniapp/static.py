"""The Mini App's page: GET /app (index.html, never cached) and GET /app/static/{name} (gzip when accepted).

Only plain file names of the static folder are served (a strict pattern, no path separators), so nothing
outside it can be reached.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).resolve().parent / "static"
_NAME = re.compile(r"^[a-z0-9_-]+\.(js|css|html|svg|png|ico)$")
_COMPRESSIBLE = {"js", "css", "html", "svg"}
HOUR = "public, max-age=3600"
_TYPES = {"js": "text/javascript", "css": "text/css", "html": "text/html", "svg": "image/svg+xml"}


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> tuple[bytes, bytes]:
    """A file's bytes and their gzip form (cached until the file changes)."""
    data = path.read_bytes()
    return data, gzip.compress(data, compresslevel=9, mtime=mtime_ns // 10**9)


def _answer(request: web.Request, path: Path, cache: str) -> web.Response:
    """The file, gzip-compressed when the client accepts it and it is text."""
    if not path.is_file():
        raise web.HTTPNotFound()
    extension = path.suffix.lstrip(".")
    data, packed = _read(path, path.stat().st_mtime_ns)
    kind = _TYPES.get(extension) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
    if extension in _COMPRESSIBLE:
        kind += "; charset=utf-8"
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            data = packed
    headers["Content-Type"] = kind
    return web.Response(body=data, headers=headers)


async def index(request: web.Request) -> web.Response:
    """GET /app and /app/: the page (always revalidated, so a new version shows at once)."""
    return _answer(request, STATIC / "index.html", "no-cache")


async def static_file(request: web.Request) -> web.Response:
    """GET /app/static/{name}: a file of the static folder by its plain name."""
    name = request.match_info["name"]
    if not _NAME.match(name):
        raise web.HTTPNotFound()
    return _answer(request, STATIC / name, HOUR)
