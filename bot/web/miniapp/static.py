"""The Mini App's page: GET /app (index.html, never cached) and GET /app/static/{name} (gzip when accepted).

The page is served with app.css inline in place of its link, built once per change of either file: on a slow line
a stylesheet in its own request holds the first paint back by a round trip (benchmark 8, bench/miniapp.py). Only
plain file names of the static folder are served (a strict pattern, no path separators), so nothing outside it
can be reached.
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


STYLESHEET = '<link rel="stylesheet" href="/app/static/app.css">'


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> tuple[bytes, bytes]:
    """A file's bytes and their gzip form (cached until the file changes)."""
    data = path.read_bytes()
    return data, gzip.compress(data, compresslevel=9, mtime=mtime_ns // 10**9)


@lru_cache(maxsize=4)
def _built(page_mtime_ns: int, css_mtime_ns: int) -> tuple[bytes, bytes]:
    """index.html with app.css in a <style> where its link was, and the gzip form (cached until either changes)."""
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    data = (STATIC / "index.html").read_text(encoding="utf-8").replace(STYLESHEET, f"<style>\n{css}</style>", 1)
    encoded = data.encode()
    return encoded, gzip.compress(encoded, compresslevel=9, mtime=max(page_mtime_ns, css_mtime_ns) // 10**9)


def page() -> bytes:
    """The page as GET /app serves it (uncompressed)."""
    return _built((STATIC / "index.html").stat().st_mtime_ns, (STATIC / "app.css").stat().st_mtime_ns)[0]


def _answer(request: web.Request, path: Path, cache: str) -> web.Response:
    """The file, gzip-compressed when the client accepts it and it is text."""
    if not path.is_file():
        raise web.HTTPNotFound()
    data, packed = _read(path, path.stat().st_mtime_ns)
    return _send(request, path.name, data, packed, cache)


def _send(request: web.Request, name: str, data: bytes, packed: bytes, cache: str) -> web.Response:
    """Bytes of a file named `name`, gzip-compressed when the client accepts it and it is text."""
    extension = name.rsplit(".", 1)[-1]
    kind = _TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Cache-Control": cache, "Vary": "Accept-Encoding", "X-Content-Type-Options": "nosniff"}
    if extension in _COMPRESSIBLE:
        kind += "; charset=utf-8"
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            data = packed
    headers["Content-Type"] = kind
    return web.Response(body=data, headers=headers)


async def index(request: web.Request) -> web.Response:
    """GET /app and /app/: the page with its styles inline (always revalidated, so a new version shows at once)."""
    page_file, css_file = STATIC / "index.html", STATIC / "app.css"
    if not page_file.is_file() or not css_file.is_file():
        raise web.HTTPNotFound()
    data, packed = _built(page_file.stat().st_mtime_ns, css_file.stat().st_mtime_ns)
    return _send(request, page_file.name, data, packed, "no-cache")


async def static_file(request: web.Request) -> web.Response:
    """GET /app/static/{name}: a file of the static folder by its plain name."""
    name = request.match_info["name"]
    if not _NAME.match(name):
        raise web.HTTPNotFound()
    return _answer(request, STATIC / name, HOUR)
