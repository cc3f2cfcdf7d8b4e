"""The page and the photos: plain file names only, gzip when accepted (large API answers too), photo variants made
once and cached."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from bot.emulator.server import BotApiEmulator
from bot.web.miniapp import static
from models.catalog import Product
from models.images import prepare_image
from models.services import photos
from tests.miniapp.support import MiniApp
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
        served = gzip.decompress(await response.read())
    # app.css is inline where its link was (one request less before the first paint); the rest is index.html.
    css = (static.STATIC / "app.css").read_bytes()
    assert served == static.page() and b"<style>\n" + css + b"</style>" in served
    assert static.STYLESHEET.encode() not in served
    assert served.replace(b"<style>\n" + css + b"</style>", static.STYLESHEET.encode()) == page.read_bytes()


async def test_a_products_photos_reach_the_grid_and_the_product_page_as_ready_urls(media_bot: WebBot) -> None:
    services = media_bot.harness.services
    async with services.session_factory.begin() as session:
        product = await session.scalar(select(Product).where(Product.sku == "TAS-HB-01"))
        assert product is not None
        for seed in (1, 2):
            prepared = prepare_image(jpeg(1200, 900, seed=seed))
            await photos.add_photo(session, product.id, prepared, services.media.save(prepared), now=services.now())
    app = MiniApp(media_bot, 1001)
    grid = await app.ok("GET", "/app/api/catalogue")
    [thumb] = [p["thumb"] for c in grid["categories"] for p in c["products"] if p["sku"] == "TAS-HB-01"]
    page = await app.ok("GET", "/app/api/products/TAS-HB-01")
    assert len(page["photos"]) == 2 and page["photos"][0]["thumb"] == thumb
    for url, longest in ((thumb, 320), (page["photos"][1]["full"], 1200)):  # never enlarged
        async with media_bot.http.get(media_bot.url(url)) as response:
            assert response.status == 200
            with Image.open(io.BytesIO(await response.read())) as picture:
                assert max(picture.size) == longest


async def test_large_api_answers_go_gzip_compressed_when_accepted_and_small_ones_plain(media_bot: WebBot) -> None:
    app = MiniApp(media_bot, 1001)
    for path in ("/app/api/session", "/app/api/catalogue"):
        async with media_bot.http.get(media_bot.url(path), headers={**app.header(), "Accept-Encoding": "gzip"},
                                      auto_decompress=False) as response:
            assert response.status == 200 and response.headers["Content-Encoding"] == "gzip", path
            packed = await response.read()
        found = json.loads(gzip.decompress(packed))
        assert found == await app.ok("GET", path), path  # the same answer, fewer bytes
        assert len(packed) * 2 < len(json.dumps(found, ensure_ascii=False).encode()), path
    async with media_bot.http.get(media_bot.url("/app/api/session"), headers={**app.header(), "Accept-Encoding": ""},
                                  auto_decompress=False) as response:
        assert "Content-Encoding" not in response.headers and (await response.json())["lang"] == "id"
    async with media_bot.http.get(media_bot.url("/app/api/orders"), headers={**app.header(), "Accept-Encoding": "gzip"},
                                  auto_decompress=False) as response:  # {"orders": []}: not worth compressing
        assert "Content-Encoding" not in response.headers and await response.json() == {"orders": []}
