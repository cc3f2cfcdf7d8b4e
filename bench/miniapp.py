"""Benchmark 8: the storefront Mini App's first paint on a slow 3G line (issue 16: under one second on "3G Slow").

The real bot runs with its web server in its own process (`bench.botproc serve`, long polling against the emulator
in this process) on an SQLite file with the default catalogue, where the first products of the grid have a photo
each (a 1280 px photo-like picture through the photo service, as a manager's chat adds it). Debian's Chromium
(bench/browser.py) opens `/app/` at 360 x 740 with a stubbed `window.Telegram.WebApp` whose initData is signed with
the bot's token for a new buyer each load, in a fresh context (cold cache) throttled with CDP.

Per load: first contentful paint (the Paint Timing entry), the first product card (the `app:grid` mark app.js sets
when the grid is drawn), the first screen's photos all shown, and the bytes of the page's own files, of the API's
answers and of the photos. The baseline, measured in the same run under the same throttle: a floor page (about
1 KB of HTML with a line of text) served by this process's own aiohttp server the way the bot serves the page
(gzip, no-cache), so the ratio says what the storefront costs over the least any page costs on that line.
Each profile plays `runs` rounds of floor then storefront (5, or 2 with --quick) and reports medians, after one
unthrottled warm-up load (Python's first calls, the photos' 320 px variants made once on the server).
Profiles: WebPageTest's "3G Slow" (400 ms RTT, 400 kbit/s each way: the target's) and DevTools' "Slow 3G" preset.
"""

from __future__ import annotations

import gzip
import io
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from bench import browser
from bench.browser import DEVTOOLS_SLOW_3G, THREE_G_SLOW, Load, Profile
from bench.report import Row, not_measured, verdict
from bench.world import BotProcess, botproc, make_database, wait_ready
from bot.emulator.balancer import free_port
from bot.emulator.server import BotApiEmulator
from bot.web.miniapp.initdata import sign
from models.db import create_engine, create_session_factory
from models.images import prepare_image
from models.media import MediaStore
from models.services import catalogue, photos

NAME = "miniapp"
BENCH = "8 Mini App"
TARGET_MS = 1000.0
PHOTOS = 8  # products with a photo, the first of the grid (the first screen shows four to six cards)
FIRST_BUYER = 8_000_001
FLOOR = ("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\"><title>Lantai</title></head><body><p>"
         + "Halaman paling sederhana: satu baris teks, tanpa gaya dan tanpa skrip. " * 11
         + "</p></body></html>")


async def run(quick: bool) -> list[Row]:
    """The storefront's cold first paint under each profile, against the floor page under the same one."""
    runs = 2 if quick else 5
    profiles = (THREE_G_SLOW, DEVTOOLS_SLOW_3G)
    why = browser.unavailable()
    if why is not None:
        return [not_measured(BENCH, _case(p, runs), why, _target(p)) for p in profiles]
    work = Path(tempfile.mkdtemp(prefix="karya-bench-miniapp-"))
    try:
        url = await make_database(work / "shop.db")
        await _add_photos(url, work / "media")
        port = free_port()
        async with BotApiEmulator() as emulator, _floor_server() as floor:
            bot = BotProcess(emulator, botproc("serve", emulator, "--database-url", url, "--port", str(port),
                                               "--media-dir", str(work / "media")), work / "bot.log")
            await bot.spawn()
            try:
                await wait_ready(bot, port)
                shop = f"http://127.0.0.1:{port}/app/"
                async with browser.chromium() as chrome:
                    buyers = iter(range(FIRST_BUYER, FIRST_BUYER + 1000))
                    await browser.load(chrome, shop, None, stub=_stub(emulator.token, next(buyers)), grid=True)
                    rows = []
                    for profile in profiles:
                        floors, loads = [], []
                        for _ in range(runs):
                            floors.append(await browser.load(chrome, floor, profile))
                            stub = _stub(emulator.token, next(buyers))
                            loads.append(await browser.load(chrome, shop, profile, stub=stub, grid=True))
                        rows.append(_row(profile, runs, floors, loads))
            finally:
                await bot.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _stub(token: str, buyer: int) -> str:
    """The WebApp stub for a new buyer, signed now with the bot's token."""
    user = {"id": buyer, "first_name": "Pembeli", "language_code": "id"}
    return browser.stub_script(sign({"user": user, "auth_date": str(int(time.time()))}, token))


@asynccontextmanager
async def _floor_server() -> AsyncIterator[str]:
    """The floor page on a port of this process, answered as the bot answers /app/ (gzip, no-cache)."""
    body, packed = FLOOR.encode(), gzip.compress(FLOOR.encode(), compresslevel=9)

    async def page(request: web.Request) -> web.Response:
        zipped = "gzip" in request.headers.get("Accept-Encoding", "")
        headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding",
                   "Content-Type": "text/html; charset=utf-8", **({"Content-Encoding": "gzip"} if zipped else {})}
        return web.Response(body=packed if zipped else body, headers=headers)

    app = web.Application()
    app.router.add_get("/floor/", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/floor/"
    finally:
        await runner.cleanup()


def _picture(seed: int) -> bytes:
    """A photo-like 1280 x 960 JPEG: soft light, a few round shapes and sensor grain (so it weighs like a photo)."""
    rng = random.Random(seed)
    size = (1280, 960)
    light = Image.radial_gradient("L").resize(size)
    warm = tuple(rng.randrange(150, 250) for _ in range(3))
    picture = ImageOps.colorize(light, white=(40, 30, 20), black=warm)
    draw = ImageDraw.Draw(picture)
    for _ in range(6):
        x, y, r = rng.randrange(100, 1100), rng.randrange(100, 800), rng.randrange(80, 220)
        draw.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=tuple(rng.randrange(90, 200) for _ in range(3)))
    picture = picture.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise(size, 40).convert("RGB")
    out = io.BytesIO()
    Image.blend(picture, grain, 0.1).save(out, format="JPEG", quality=88)
    return out.getvalue()


async def _add_photos(url: str, media: Path) -> None:
    """One photo on each of the grid's first PHOTOS products, through the photo service."""
    engine = create_engine(url)
    store = MediaStore(media)
    try:
        async with create_session_factory(engine).begin() as session:
            shelves = (await catalogue.storefront(session)).shelves
            products = [p for _, found in shelves for p in found][:PHOTOS]
            for n, product in enumerate(products):
                prepared = prepare_image(_picture(n))
                await photos.add_photo(session, product.id, prepared, store.save(prepared), now=datetime.now(UTC))
    finally:
        await engine.dispose()


def _case(profile: Profile, runs: int) -> str:
    """The row's case."""
    return f"storefront first paint, cold cache, 360x740, {profile.name}, median of {runs}"


def _target(profile: Profile) -> str:
    """The target: issue 16's under "3G Slow", none under the DevTools preset (shown for information)."""
    return f"FCP < {TARGET_MS:.0f} ms" if profile is THREE_G_SLOW else "-"


def _median(values: list[float | None]) -> float | None:
    """The median of the loads that reached the point (None when none did)."""
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def _ms(value: float | None) -> str:
    """Milliseconds, or "-"."""
    return "-" if value is None else f"{value:.0f} ms"


def _kb(value: float) -> str:
    """Kilobytes with one decimal."""
    return f"{value / 1024:.1f} KB"


def _row(profile: Profile, runs: int, floors: list[Load], loads: list[Load]) -> Row:
    """The storefront's median FCP against the floor's, with what the loads show in the notes."""
    fcp, floor = statistics.median(x.fcp for x in loads), statistics.median(x.fcp for x in floors)

    def median(field: str, of: list[Load] = loads) -> float:
        return statistics.median(getattr(x, field) for x in of)

    note = (
        f"first product card {_ms(_median([x.grid for x in loads]))}, first screen's photos shown "
        f"{_ms(_median([x.screen for x in loads]))} ({median('photos'):.0f} photos, {_kb(median('photo_bytes'))}); "
        f"the HTML arrived at {_ms(median('html_end'))} (floor {_ms(median('html_end', floors))}); page's own files "
        f"{_kb(median('own_bytes'))} transferred (HTML {_kb(median('html_bytes'))}), API answers "
        f"{_kb(median('api_bytes'))}; FCP runs: {', '.join(f'{x.fcp:.0f}' for x in loads)}; "
        "CDP throttles each request (latency + throughput), not packets: no TCP or TLS round trips are added; "
        "telegram.org's SDK answered by the browser with an empty script (a real client caches it across Mini Apps)"
    )
    verdict_cell = verdict(fcp < TARGET_MS) if profile is THREE_G_SLOW else "-"
    return Row(BENCH, _case(profile, runs), f"FCP {fcp:.0f} ms", f"floor page FCP {floor:.0f} ms", fcp / floor,
               _target(profile), verdict_cell, note)
