"""Benchmark 2: 200 buyers browse at once through a 150 ms round trip; per-chat processing against PTB's default.

Every Bot API call (getUpdates included) takes 150 ms longer, about a round trip from Medan to Telegram.
Each buyer sends /start and waits for the menu, then taps through the catalogue quickly without waiting
for the screens (Katalog, Roti, a bread, back, another bread, back, back): seven presses on the same message,
which the bot edits in place. The run ends when every buyer sees the last screen. Then each chat's history
is checked: the menu message must have been edited exactly seven times, showing the screens of the seven
presses in the order they were pressed (a reordering or a lost update shows up as a different sequence).
The baseline is the same bot with PTB's default one-update-at-a-time processing, on fewer buyers (its rate
does not depend on how many wait).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import scenarios
from bench.report import Row, verdict
from bench.world import BotProcess, botproc, copy_database, cpu_seconds, gather_users, make_database
from bot.emulator.server import BotApiEmulator
from bot.emulator.user import EmulatedUser

NAME = "concurrency"
BENCH = "2 concurrency"
LATENCY = 0.150
TARGET = 20.0
# The burst: (label on the latest keyboard, what the screen after the press must contain).
BURST = [
    ("Katalog", "pilih kategori"),
    ("Roti", "pilih produk"),
    ("Roti Manis Isi Cokelat", "Roti Manis Isi Cokelat"),
    ("Kembali", "pilih produk"),
    ("Roti Tawar", "Roti Tawar Kupas"),
    ("Kembali", "pilih produk"),
    ("Kembali", "pilih kategori"),
]


@dataclass(frozen=True)
class Result:
    """Updates, seconds, and how many chats saw their screens out of order."""

    updates: int
    seconds: float
    chats: int
    out_of_order: int
    bot_cpu: float
    unanswered: int

    @property
    def rate(self) -> float:
        """Updates per second."""
        return self.updates / self.seconds


async def _scout(user: EmulatedUser) -> list[str]:
    """Walks the burst's path step by step and returns the callback data of each press."""
    await scenarios.act(user, scenarios.Step("send", "/start", "Selamat datang"))
    data = []
    for label, expect in BURST:
        buttons = [b for row in user.inbox[-1].inline_rows for b in row]
        if not any(label in b["text"] for b in buttons):  # the keyboard is on an earlier message
            buttons = [b for m in reversed(user.inbox) for row in m.inline_rows for b in row]
        data.append(next(str(b["callback_data"]) for b in buttons if label in b["text"]))
        await scenarios.act(user, scenarios.Step("press", label, expect))
    return data


async def _browse(user: EmulatedUser, burst: list[str]) -> int:
    """/start, wait for the menu, then the burst of presses on it; waits for the last screen."""
    menu = await _menu(user)
    for data in burst:
        await user.press_data(data, message_id=menu)
    last = BURST[-1][1]
    await user.wait_for(lambda m: m.message_id == menu and last in m.content and _edits(user, menu) >= len(BURST),
                        timeout=scenarios.TIMEOUT * 3)
    return 1 + len(burst)


async def _menu(user: EmulatedUser) -> int:
    """Sends /start and returns the id of the menu message."""
    await user.send("/start")
    return (await user.wait_for("Selamat datang", timeout=scenarios.TIMEOUT * 3)).message_id


def _edits(user: EmulatedUser, message_id: int) -> int:
    """How many times the bot edited one message."""
    return sum(1 for e in user.chat.events if e.kind == "edited" and e.message and e.message.message_id == message_id)


def _in_order(user: EmulatedUser) -> bool:
    """True when the menu message went through exactly the burst's screens, in order."""
    menu = next(e.message.message_id for e in user.chat.events
                if e.kind == "sent" and e.message and "Selamat datang" in e.message.content)
    screens = [e.message.content for e in user.chat.events
               if e.kind == "edited" and e.message and e.message.message_id == menu]
    return len(screens) == len(BURST) and all(want in got for (_, want), got in zip(BURST, screens, strict=True))


async def _unanswered(emulator: BotApiEmulator, timeout: float = 10.0) -> int:
    """Presses still unanswered once the answers in flight have arrived (an answer may trail its screen)."""
    deadline = time.monotonic() + timeout
    while True:
        left = sum(1 for query in emulator.state.queries.values() if not query.answered)
        if not left or time.monotonic() > deadline:
            return left
        await asyncio.sleep(0.1)


async def _crowd(url: str, buyers: int, sequential: bool, log: Path) -> Result:
    """One bot process, a scout, then `buyers` browsing at once through the latency."""
    async with BotApiEmulator() as emulator:
        extra = ["--database-url", url, *(["--sequential"] if sequential else [])]
        process = BotProcess(emulator, botproc("app", emulator, *extra), log)
        await process.start()
        try:
            burst = await _scout(emulator.user(300_000, "Pengintai"))
            emulator.faults.latency(LATENCY)
            users = [emulator.user(300_001 + i, f"Pembeli {i}") for i in range(buyers)]
            cpu = cpu_seconds(process.pid)
            updates, seconds = await gather_users(users, lambda user: _browse(user, burst))
            cpu = cpu_seconds(process.pid) - cpu
            unanswered = await _unanswered(emulator)
            emulator.faults.latency(0)
        finally:
            await process.stop()
    return Result(updates, seconds, buyers, sum(1 for u in users if not _in_order(u)), cpu, unanswered)


async def run(quick: bool) -> list[Row]:
    """Per-chat processing against PTB's sequential processing, same bot, same latency."""
    buyers, baseline_buyers = (40, 4) if quick else (200, 15)
    tmp = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    try:
        template = tmp / "template.sqlite3"
        await make_database(template)
        sequential = await _crowd(copy_database(template, tmp / "seq.sqlite3"), baseline_buyers, True, tmp / "s.log")
        per_chat = await _crowd(copy_database(template, tmp / "chat.sqlite3"), buyers, False, tmp / "c.log")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = per_chat.rate / sequential.rate
    ordered = per_chat.out_of_order == sequential.out_of_order == per_chat.unanswered == 0
    return [
        Row(
            BENCH, f"{buyers} buyers browse at once, +{LATENCY * 1000:.0f} ms per call", f"{per_chat.rate:.1f} upd/s",
            f"PTB sequential: {sequential.rate:.2f} upd/s ({baseline_buyers} buyers)", ratio,
            f">= {TARGET:g}x, replies in order", verdict(ratio >= TARGET and ordered),
            f"chats with screens out of order: {per_chat.out_of_order}/{per_chat.chats} "
            f"(sequential {sequential.out_of_order}/{sequential.chats}); presses left unanswered: "
            f"{per_chat.unanswered} (sequential {sequential.unanswered}); "
            f"bot CPU {per_chat.bot_cpu / per_chat.seconds:.0%} of a core during the run",
        )
    ]
