"""The page and the photos: plain file names only, gzip when accepted, photo variants made once and cached."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from bot.emulator.server import BotApiEmulator
from bot.web.miniapp import static
from tests.reliability.conftest import RunningClock
from tests.support.pictures import jpeg
from tests.web.support import WebBot, web_bot


@pytest.fixture
async def media_bot(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, tmp_path: Path
) -> AsyncIterator[WebBot]:
    """The bot with its photos in a folder of this test."""
    async with web_bot(emulator, sqlite_url, clock, media_dir=tmp_path / "media") as bot:
        yield bot


async def test_a_photo_is_served_resized_and_its_variant_kept_on_disk(media_bot: WebBot, tmp_path: Path) -> None:
    data = jpeg(1600, 1200)
    name = hashlib.sha256(data).hexdigest()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / f"{name}.jpg").write_bytes(data)
    for width in (320, 1280):
        async with media_bot.http.get(media_bot.url(f"/app/photos/{name}.jpg?w={width}")) as response:
            assert response.status == 200 and response.content_type == "image/jpeg"
            assert "max-age=31536000" in response.headers["Cache-Control"]
            with Image.open(io.BytesIO(await response.read())) as picture:
                assert max(picture.size) == width
    assert (tmp_path / "media" / "variants" / f"{name}-320.jpg").is_file()
    async with media_bot.http.get(media_bot.url(f"/app/photos/{name}.jpg")) as response:  # default: 1280
        assert response.status == 200


async def test_unknown_photos_and_odd_widths_are_refused(media_bot: WebBot) -> None:
    assert (await media_bot.get(f"/app/photos/{'a' * 64}.jpg"))[0] == 404
    assert (await media_bot.get("/app/photos/..%2Fbot.sqlite3"))[0] == 404
    assert (await media_bot.get(f"/app/photos/{'a' * 64}.jpg?w=999"))[0] == 400


async def test_only_plain_static_names_are_served(media_bot: WebBot) -> None:
    for path in ("/app/static/..%2F__init__.py", "/app/static/photos.py", "/app/static/App.JS", "/app/static/x.js"):
        assert (await media_bot.get(path))[0] == 404, path


async def test_the_page_is_served_gzip_compressed_when_it_exists(media_bot: WebBot) -> None:
    page = static.STATIC / "index.html"
    if not page.is_file():
        pytest.skip("bot/web/miniapp/static/index.html is written by the front end's branch")
    async with media_bot.http.get(media_bot.url("/app/"), headers={"Accept-Encoding": "gzip"},
                                  auto_decompress=False) as response:
        assert response.status == 200 and response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == "no-cache"
        assert gzip.decompress(await response.read()) == page.read_bytes()
