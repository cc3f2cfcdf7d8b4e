"""Benchmark 5: resident memory of the bot process, idle and after many distinct customers sent /start.

The bot is the real entry point, `python -m bot run`, in a subprocess configured by environment variables to
poll the emulator and use a fresh SQLite file with the default catalogue. Idle is measured a few seconds after
it starts polling (its start-up jobs have run). Then distinct customers send /start as fast as the bot answers
them, and the resident set size (VmRSS from /proc) is read again once every one of them has had an answer (and
half-way, to tell growth from warm-up). At most WINDOW customers wait for their answer at any time: the bot's
poller would otherwise pull a backlog of updates into memory faster than it handles them. The baseline is the
bare PTB echo bot of benchmark 1, idle, in the same run. The feed stops at the time cap, and the row then says
how many customers it reached and what the measured growth per customer projects for the rest.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import Row, verdict
from bench.world import BotProcess, botproc, make_database, rss_kib
from bot.emulator.server import BotApiEmulator

NAME = "memory"
BENCH = "5 memory"
TARGET_MB = 150.0  # decimal megabytes
MIB = 1024 * 1024
WINDOW = 400  # customers fed but not yet answered, at most (PTB would otherwise pull a backlog into memory)
SETTLE = 3.0
FIRST_ID = 7_000_000
WELCOME = "Selamat datang"
APOLOGY = "Mohon maaf"


# The bot's other heavy imports first, then what only the weekly chart and spreadsheet need: the difference.
_CHART_COST = """
import importlib
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
for name in ("telegram.ext", "sqlalchemy.ext.asyncio", "aiosqlite", "pydantic_settings", "babel.numbers",
             "phonenumbers", "PIL.Image", "qrcode", "alembic.command", "apscheduler.schedulers.asyncio"):
    importlib.import_module(name)
before = rss()
import matplotlib.pyplot, openpyxl
print(rss() - before)
"""


async def _chart_libraries_mib() -> float:
    """Resident memory that importing matplotlib.pyplot and openpyxl adds on top of the bot's other libraries."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", _CHART_COST, stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    return int(out.decode().strip() or 0) / 1024


async def _idle_rss(process: BotProcess) -> float:
    """RSS in MiB after the process has settled (the largest of a few readings)."""
    await asyncio.sleep(SETTLE)
    readings = []
    for _ in range(5):
        readings.append(rss_kib(process.pid) / 1024)
        await asyncio.sleep(0.2)
    return max(readings)


@dataclass
class Feed:
    """What feeding customers did: how many were sent, welcomed, apologised to, and RSS half-way."""

    sent: int = 0
    welcomed: int = 0
    apologies: int = 0
    seconds: float = 0.0
    half_rss: float = 0.0
    half_customers: int = 0


async def _feed(emulator: BotApiEmulator, process: BotProcess, customers: int, cap: float) -> Feed:
    """Distinct customers send /start, at most WINDOW of them waiting for the menu, until all or the cap."""
    feed = Feed()
    started = time.monotonic()
    answered = 0
    while feed.sent < customers and time.monotonic() - started < cap:
        answered = _answered_from(emulator, answered, feed.sent)
        room = min(WINDOW - (feed.sent - answered), customers - feed.sent)
        if room < WINDOW // 4:
            await asyncio.sleep(0.02)
            continue
        for n in range(feed.sent, feed.sent + room):
            await emulator.user(FIRST_ID + n, f"Pembeli {n}").send("/start")
        feed.sent += room
        if not feed.half_customers and (feed.sent >= customers // 2 or time.monotonic() - started >= cap / 2):
            await _drain(emulator, feed.sent)
            feed.half_customers, feed.half_rss = feed.sent, rss_kib(process.pid) / 1024
    await _drain(emulator, feed.sent)
    feed.seconds = time.monotonic() - started
    for n in range(feed.sent):
        contents = [m.content for m in emulator.user(FIRST_ID + n).inbox]
        feed.welcomed += any(WELCOME in c for c in contents)
        feed.apologies += any(APOLOGY in c for c in contents)
    return feed


def _answered_from(emulator: BotApiEmulator, answered: int, sent: int) -> int:
    """Moves past the customers, in the order they were fed, who already have an answer."""
    while answered < sent and emulator.user(FIRST_ID + answered).inbox:
        answered += 1
    return answered


async def _drain(emulator: BotApiEmulator, sent: int, timeout: float = 120.0) -> None:
    """Waits until every customer fed so far has an answer."""
    deadline = time.monotonic() + timeout
    answered = 0
    while time.monotonic() < deadline:
        answered = _answered_from(emulator, answered, sent)
        if answered >= sent:
            return
        await asyncio.sleep(0.1)


async def run(quick: bool) -> list[Row]:
    """Idle RSS of the bare echo bot and of `python -m bot run`, then the bot's RSS after the customers."""
    customers, cap = (3_000, 40.0) if quick else (100_000, 120.0)
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    try:
        url = await make_database(tmp / "memory.sqlite3")
        async with BotApiEmulator() as emulator:
            echo = BotProcess(emulator, botproc("echo", emulator), tmp / "echo.log")
            await echo.start()
            try:
                bare_idle = await _idle_rss(echo)
            finally:
                await echo.stop()
        async with BotApiEmulator() as emulator:
            env = {
                "TELEGRAM_BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "TELEGRAM_FILE_BASE_URL": emulator.base_file_url,
                "DATABASE_URL": url,
                "LOG_LEVEL": "WARNING",
                "HTTP_PORT": "0",  # the web server on a free port, never a fixed one
            }
            bot = BotProcess(emulator, [sys.executable, "-m", "bot", "run"], tmp / "bot.log", env, cwd=tmp)
            start_seconds = await bot.start()
            try:
                idle = await _idle_rss(bot)
                feed = await _feed(emulator, bot, customers, cap)
                busy = await _idle_rss(bot)
            finally:
                await bot.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    charts = await _chart_libraries_mib()
    grown = busy - feed.half_rss
    slope = grown * 1024 / (feed.sent - feed.half_customers) if feed.sent > feed.half_customers else 0.0
    reached = f"{feed.sent:,} customers" + ("" if feed.sent >= customers else f" (of {customers:,}: {cap:.0f} s cap)")
    projected = busy + slope * (customers - feed.sent) / 1024
    note = (f"{slope:.1f} KiB per customer between {feed.half_customers:,} and {feed.sent:,}; "
            f"welcomed {feed.welcomed:,}, apologies {feed.apologies:,}; {feed.sent / feed.seconds:.0f} /start per s")
    if feed.sent < customers:
        note += (f"; at that slope {customers:,} customers arriving within ten minutes would need about "
                 f"{projected:.0f} MiB (projection); the notes of users quiet for ten minutes are dropped every "
                 "five, so memory follows the users active recently, not all customers ever")
    return [
        Row(BENCH, "`python -m bot run`, idle", f"{idle:.0f} MiB ({idle * MIB / 1e6:.0f} MB)",
            f"bare echo bot idle: {bare_idle:.0f} MiB", idle / bare_idle, f"< {TARGET_MB:.0f} MB",
            verdict(idle * MIB / 1e6 < TARGET_MB),
            f"VmRSS; target read as decimal MB (the stricter reading); polling {start_seconds:.1f} s after start; "
            f"matplotlib + openpyxl ({charts:.0f} MiB) are imported only when a chart or spreadsheet is made"),
        Row(BENCH, f"after {reached} sent /start", f"{busy:.0f} MiB", f"idle: {idle:.0f} MiB", busy / idle, "-", "-",
            note),
    ]
