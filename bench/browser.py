"""Benchmark 8's browser: Debian's Chromium driven by Playwright, a fresh context (cold cache) for every load, the
network throttled with CDP, and each load's figures read from the page's own timeline (Paint and Resource Timing).

Nothing is downloaded: the system Chromium is launched by path (never `playwright install`). Telegram's SDK URL is
answered inside the browser with an empty script through CDP's Fetch domain (only that URL is intercepted, so every
other request goes through the throttled network as it would); in a real client the SDK is cached across Mini Apps.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}
STUB_FILE = Path(__file__).resolve().parent / "webapp_stub.js"
SDK = "https://telegram.org/*"
WAIT_MS = 90_000  # the slowest profile needs several seconds per request; a stuck page fails the run
# Telegram's default light theme (Android), as a client hands it to a Mini App.
LIGHT = {"bg_color": "#ffffff", "secondary_bg_color": "#f0f0f0", "text_color": "#222222", "hint_color": "#a8a8a8",
         "link_color": "#2678b6", "button_color": "#50a8eb", "button_text_color": "#ffffff"}
# Every paint the page makes, kept where the benchmark reads it (an init script: runs before the page's own).
PAINTS = """window.__paints = {};
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__paints[e.name] = e.startTime; })
  .observe({ type: "paint", buffered: true });"""
FCP = "() => window.__paints && window.__paints['first-contentful-paint']"
GRID = "() => { const m = performance.getEntriesByName('app:grid')[0]; return m ? m.startTime : null; }"
# The first screen is complete once every product photo inside the viewport has loaded (checked every frame).
SCREEN = """() => {
  const shown = [...document.querySelectorAll('.card img')].filter((i) => i.getBoundingClientRect().top < innerHeight);
  return shown.length > 0 && shown.every((i) => i.complete && i.naturalWidth > 0) ? performance.now() : null;
}"""
# What went over the wire, by kind: the page's own files (HTML, CSS, JS), the API's answers, photos.
BYTES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const out = { own: nav.transferSize, html: nav.transferSize, api: 0, photos: 0, photoCount: 0,
    htmlEnd: nav.responseEnd };
  for (const r of performance.getEntriesByType('resource')) {
    const u = new URL(r.name);
    if (u.origin !== location.origin) continue;
    if (u.pathname.startsWith('/app/api/')) out.api += r.transferSize;
    else if (u.pathname.startsWith('/app/photos/')) { out.photos += r.transferSize; out.photoCount += 1; }
    else out.own += r.transferSize;
  }
  return out;
}"""


@dataclass(frozen=True)
class Profile:
    """A network profile: latency per request and throughput each way (bytes per second)."""

    name: str
    latency_ms: float
    down: float
    up: float

    def conditions(self) -> dict[str, Any]:
        """The arguments of CDP's Network.emulateNetworkConditions."""
        return {"offline": False, "latency": self.latency_ms, "downloadThroughput": self.down,
                "uploadThroughput": self.up, "connectionType": "cellular3g"}


# WebPageTest's "3G Slow" (the target's profile) and Chrome DevTools' "Slow 3G" preset (for information).
THREE_G_SLOW = Profile("3G Slow (WebPageTest: 400 ms RTT, 400 kbit/s each way)", 400, 400_000 / 8, 400_000 / 8)
DEVTOOLS_SLOW_3G = Profile("Slow 3G (DevTools preset: 2000 ms latency, 50 KB/s each way)", 2000, 50_000, 50_000)


@dataclass(frozen=True)
class Load:
    """One cold load: milliseconds from the start of navigation, and bytes transferred."""

    fcp: float
    html_end: float
    own_bytes: int
    html_bytes: int
    grid: float | None = None
    screen: float | None = None
    api_bytes: int = 0
    photo_bytes: int = 0
    photos: int = 0


@lru_cache(maxsize=1)
def _stub() -> str:
    """The Telegram.WebApp stand-in, read on first use (not when the module is imported)."""
    return STUB_FILE.read_text(encoding="utf-8")


def unavailable() -> str | None:
    """Why no browser can run here (None when Playwright and the system Chromium are both present)."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
    return None


def stub_script(init_data: str) -> str:
    """The WebApp stub carrying this signed initData (and its parsed form, as the SDK gives it)."""
    unsafe = {k: json.loads(v) if k == "user" else v for k, v in parse_qsl(init_data)}
    return _stub().replace("__CONFIG__", json.dumps({"initData": init_data, "initDataUnsafe": unsafe,
                                                  "themeParams": LIGHT}))


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """Headless system Chromium (--no-sandbox: CI runs as root, where the sandbox refuses to start)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            await browser.close()


async def load(browser: Any, url: str, profile: Profile | None, *, stub: str | None = None,
               grid: bool = False) -> Load:
    """Opens `url` in a fresh phone-sized context under `profile` (None: unthrottled); with `grid`, also waits for
    the storefront's first card and the first screen's photos."""
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                        locale="id-ID")
    try:
        await context.add_init_script(PAINTS)
        if stub is not None:
            await context.add_init_script(stub)
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await _empty_sdk(cdp)
        await cdp.send("Network.enable")
        if profile is not None:
            await cdp.send("Network.emulateNetworkConditions", profile.conditions())
        await page.goto(url, wait_until="commit")
        fcp = await _value(page, FCP)
        first_card = screen = None
        if grid:
            first_card = await _value(page, GRID)
            screen = await _value(page, SCREEN)
        seen = await page.evaluate(BYTES)
        return Load(fcp, seen["htmlEnd"], seen["own"], seen["html"], first_card, screen, seen["api"],
                    seen["photos"], seen["photoCount"])
    finally:
        await context.close()


async def _value(page: Any, expression: str) -> float:
    """Waits (every frame) until the page's expression gives a number, and returns it."""
    handle = await page.wait_for_function(expression, timeout=WAIT_MS)
    return float(await handle.json_value())


async def _empty_sdk(cdp: Any) -> None:
    """Answers Telegram's SDK URL with an empty script, inside the browser (no request leaves it)."""

    answering: set[asyncio.Task[Any]] = set()  # kept until done (the loop holds tasks only weakly)

    def paused(event: dict[str, Any]) -> None:
        task = asyncio.ensure_future(cdp.send("Fetch.fulfillRequest", {
            "requestId": event["requestId"], "responseCode": 200,
            "responseHeaders": [{"name": "Content-Type", "value": "application/javascript"}], "body": ""}))
        answering.add(task)
        task.add_done_callback(answering.discard)

    cdp.on("Fetch.requestPaused", paused)
    await cdp.send("Fetch.enable", {"patterns": [{"urlPattern": SDK, "requestStage": "Request"}]})
