"""Several real `python -m bot run` processes on one PostgreSQL database, in webhook mode behind a round-robin
proxy written here, fed by the emulator's webhook delivery (setWebhook names the proxy); and the one-process rule
of SQLite.

The processes use the real clock, so buyers order bread for the first date the bot offers, and the daily sheets
due during the run are the morning plan and the production sheet, whose times are set to midnight (closing at
23.59): both processes run them in their start-up catch-up, at the same moment.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.emulator import EmulatedUser
from bot.emulator.balancer import RoundRobinProxy, free_port
from bot.emulator.server import BotApiEmulator
from jobs.builders import sheet_day
from models.db import create_engine, create_session_factory
from models.migrate import head_revision, upgrade
from models.order import Order
from models.outbox import OutboxMessage, OutboxState
from models.people import Customer, Line, Role
from models.rules.calendar import to_wib
from models.services import catalogue_io, outbox
from models.services import staff as staff_service
from tests.flows.buyer_dialogues import read_qr
from tests.reliability.botprocess import ROOT, BotProcess
from tests.reliability.conftest import TOKEN
from tests.reliability.support import SEND_METHODS, deliveries_by_chat, record_pushes
from tests.support.calls import unanswered_calls
from tests.support.eventually import eventually
from tests.support.harness import CATALOGUE

pytestmark = pytest.mark.slow
BUYERS = 30
FIRST_BUYER = 30_000
FAN_OUT = 500
FIRST_RECIPIENT = 40_000
BAKER = 800_001
BREAD = "RTI-MNS-CKL"
# What a buyer sees, screen after screen, from the product's deep link to the payment code.
SCREENS = ("Harga", "Pilih tanggal ambil:", "Pilih jam ambil", "Berapa", "Masuk keranjang", "nomor HP",
           "Ringkasan pesanan", "Pesanan dibuat", "Pembayaran pesanan")
_SHORT_DATE = re.compile(r"^\w{3} \d{1,2}/\d{1,2}$")


@dataclass
class Pair:
    """Two bot processes on one database behind the proxy."""

    proxy: RoundRobinProxy
    bots: list[BotProcess]
    url: str


@asynccontextmanager
async def _two_bots(emulator: BotApiEmulator, url: str, log_dir: Path, **settings: str) -> AsyncIterator[Pair]:
    """Starts two webhook-mode bots at once behind a round-robin proxy; stops them (and checks their logs) after."""
    ports = [free_port(), free_port()]
    async with RoundRobinProxy(ports) as proxy:
        bots = [BotProcess(emulator, url, log_dir, name=f"bot-{i}", webhook_port=port, webhook_url=proxy.url,
                           **settings) for i, port in enumerate(ports)]
        try:
            await asyncio.gather(*(bot.launch() for bot in bots))
            await asyncio.gather(*(bot.ready() for bot in bots))
            yield Pair(proxy, bots, url)
        finally:
            for bot in bots:
                if bot.proc is not None:
                    await bot.stop()
        for bot in bots:
            output = bot.output()
            assert TOKEN not in output and TOKEN.split(":")[1] not in output
            assert "Traceback" not in output, output


@pytest.fixture
async def shop(empty_pg_database: tuple[str, str]) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A migrated PostgreSQL database of this test alone with the default catalogue and a baker; and an engine."""
    _, url = empty_pg_database
    engine = create_engine(url)
    await upgrade(engine)
    async with create_session_factory(engine).begin() as session:
        await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
        await staff_service.add_staff(session, BAKER, "Rina", Role.STAFF, Line.BAKERY)
    yield url, engine
    await engine.dispose()


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs a command of `python -m bot` on the database, as an operator would beside the running bots."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_"))}
    env["DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


async def _order_bread(buyer: EmulatedUser) -> None:
    """From the product's deep link to the payment code: the first date and slot offered, 6 pieces."""
    await buyer.open_deep_link(f"p_{BREAD}")
    await buyer.wait_for("Harga", timeout=30)
    await buyer.press("Pilih tanggal ambil")
    await buyer.wait_for("Pilih tanggal ambil:", timeout=30)
    await buyer.press(next(label for label in buyer.buttons() if _SHORT_DATE.match(label)))
    await buyer.wait_for("Pilih jam ambil", timeout=30)
    await buyer.press(next(label for label in buyer.buttons() if "WIB" in label))
    await buyer.wait_for("Berapa", timeout=30)
    await buyer.send("6")
    await buyer.wait_for("Masuk keranjang", timeout=30)
    await buyer.press("Pesan sekarang")
    await buyer.wait_for("nomor HP", timeout=30)
    await buyer.press_key("📱 Kirim nomor HP")
    await buyer.wait_for("Ringkasan pesanan", timeout=30)
    await buyer.press("Konfirmasi")
    await buyer.wait_for("Pesanan dibuat", timeout=30)
    await buyer.wait_for_photo(timeout=30)


def _screens(buyer: EmulatedUser) -> list[int]:
    """The screens the buyer saw, as indexes into SCREENS, in the order their text appeared in the chat.

    A screen that repeats an earlier one's words (the quantity screen still names the price) counts as the later.
    """
    seen: dict[int, str] = {}
    order: list[int] = []
    for event in buyer.chat.events:
        message = event.message
        if event.actor != "bot" or message is None or event.kind not in ("sent", "edited"):
            continue
        if seen.get(message.message_id) == message.content:
            continue  # the same text again: its buttons were taken away
        seen[message.message_id] = message.content
        order += [i for i, marker in enumerate(SCREENS) if marker in message.content][-1:]  # the most specific
    return order


async def _orders_by_chat(engine: AsyncEngine) -> dict[int, list[Order]]:
    """Every order, by its buyer's chat."""
    async with create_session_factory(engine)() as session:
        rows = (await session.execute(select(Customer.telegram_id, Order).join(Order.customer))).all()
    found: dict[int, list[Order]] = {}
    for chat, order in rows:
        found.setdefault(int(chat), []).append(order)
    return found


async def _seed_reminders(engine: AsyncEngine, emulator: BotApiEmulator) -> None:
    """500 reminders due now in the outbox, one to each of 500 buyers."""
    now = datetime.now(UTC)
    async with create_session_factory(engine).begin() as session:
        for i in range(FAN_OUT):
            chat = FIRST_RECIPIENT + i
            emulator.user(chat, f"Warga {i}")
            await outbox.enqueue(session, chat, f"⏰ Pengingat: pesanan KB-R{i:05d} bisa diambil hari ini.",
                                 due_at=now, dedupe_key=f"reminder:test:{i}", template="reminder")


async def _outbox_states(engine: AsyncEngine) -> Counter[OutboxState]:
    """How many outbox rows are in each state."""
    async with create_session_factory(engine)() as session:
        return Counter(await session.scalars(select(OutboxMessage.state)))


def _texts_to(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    """Every text the emulator accepted from the bots for one chat."""
    return [str(c.params.get("text") or c.params.get("caption") or "") for c in emulator.calls
            if c.method in SEND_METHODS and c.error is None and c.params.get("chat_id") == chat_id]


@pytest.mark.postgres
async def test_two_processes_serve_30_buyers_at_once_then_share_a_fan_out_that_survives_a_sigkill(
    emulator: BotApiEmulator, shop: tuple[str, AsyncEngine], tmp_path: Path
) -> None:
    if to_wib(datetime.now(UTC)).time() >= time(23, 58):
        pytest.skip("the morning plan is due between 00.00 and the 23.59 closing; too close to midnight (WIB)")
    url, engine = shop
    started = datetime.now(UTC)
    baker = emulator.user(BAKER, "Rina")
    buyers = [emulator.user(FIRST_BUYER + i, f"Pembeli {i}") for i in range(BUYERS)]
    daily_times = {"MORNING_PLAN_TIME": "00.00", "PRODUCTION_SHEET_TIME": "00.00", "CLOSING_TIME": "23.59"}
    async with _two_bots(emulator, url, tmp_path, **daily_times) as pair:
        await asyncio.gather(*(_order_bread(buyer) for buyer in buyers))
        assert min(pair.proxy.accepted.values()) > BUYERS  # both processes took a good share of the updates

        orders = await _orders_by_chat(engine)
        for buyer in buyers:
            [order] = orders[buyer.id]  # exactly one order each
            [photo] = [m.photo for m in buyer.inbox if m.photo is not None]  # one payment code each
            code = read_qr(photo)
            assert (code.amount, code.bill_number) == (order.total, order.code.replace("-", ""))
            shown = _screens(buyer)
            assert shown == sorted(shown) and set(shown) == set(range(len(SCREENS))), buyer.transcript()

        await _seed_reminders(engine, emulator)
        await eventually(lambda: sum(deliveries_by_chat(emulator, "Pengingat").values()) >= 150, timeout=60,
                         what="150 reminders out")
        victim, survivor = pair.bots
        await victim.kill()  # mid fan-out
        await victim.drained()  # what it had already written still reaches Telegram

        async def all_sent() -> bool:
            return set(await _outbox_states(engine)) == {OutboxState.SENT}

        await eventually(all_sent, timeout=60, every=0.2, what="every row SENT (the killed one's too)")
        await eventually(lambda: not unanswered_calls(emulator, SEND_METHODS), what="the last sends to be answered")
        assert survivor.proc is not None and survivor.proc.returncode is None

    async with create_session_factory(engine)() as session:
        sheet_due = await sheet_day(session, to_wib(started).date()) is not None  # tomorrow bakes (not a Sunday)
    daily = 1 + sheet_due  # the morning plan; the production sheet for tomorrow
    assert (await _outbox_states(engine))[OutboxState.SENT] == FAN_OUT + BUYERS + daily
    reminders = deliveries_by_chat(emulator, "Pengingat")
    alerts = deliveries_by_chat(emulator, "Pesanan baru")
    assert list(alerts) == [BAKER]
    codes = [order.code for found in orders.values() for order in found]
    alerted = Counter(code for message in _texts_to(emulator, BAKER) for code in codes if code in message)
    missing = [i for i in range(FAN_OUT) if reminders[FIRST_RECIPIENT + i] == 0] + sorted(set(codes) - set(alerted))
    doubled = [chat for chat, n in reminders.items() if n > 1] + [code for code, n in alerted.items() if n > 1]
    assert missing == [] and len(doubled) <= 1  # at most the one send in flight when the process died
    assert sum(reminders.values()) + alerts[BAKER] == FAN_OUT + BUYERS + len(doubled)
    plans = [m for m in baker.inbox if "Rencana pagi" in m.content]
    sheets = [m for m in baker.inbox if "Lembar Produksi" in m.content and m not in plans]  # the plan holds one too
    assert (len(plans), len(sheets)) == (1, int(sheet_due))  # due at start in both processes, each sent once
    print(f"[several processes] updates per process {dict(pair.proxy.accepted)}; doubled by the kill: {doubled}")


@pytest.mark.postgres
async def test_two_processes_starting_at_once_on_an_empty_database_migrate_it_once_and_both_serve(
    emulator: BotApiEmulator, empty_pg_database: tuple[str, str], tmp_path: Path
) -> None:
    _, url = empty_pg_database
    async with _two_bots(emulator, url, tmp_path) as pair:
        users = [emulator.user(5001, "Sari"), emulator.user(5002, "Dedi")]
        for user in users:
            await user.send("/start")
            await user.wait_for("Selamat datang", timeout=20)
        assert sorted(pair.proxy.routed[u.last_update_id][0] for u in users) == [0, 1]  # one /start each
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            versions = list(await conn.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        await engine.dispose()
    assert versions == [head_revision()]


@pytest.mark.postgres
async def test_the_same_update_delivered_to_both_processes_at_once_is_answered_once(
    emulator: BotApiEmulator, shop: tuple[str, AsyncEngine], tmp_path: Path
) -> None:
    url, _ = shop
    async with _two_bots(emulator, url, tmp_path) as pair:
        pushed = record_pushes(emulator)
        siti = emulator.user(5003, "Siti")
        await siti.send("/start")
        update_id, payload = pushed[-1]
        emulator.push_raw_update(payload)  # Telegram delivers it again before the first delivery was answered
        await siti.wait_for("Selamat datang", timeout=20)
        ignored = f"update {update_id} delivered again: ignored"
        await eventually(lambda: any(ignored in bot.output() for bot in pair.bots), timeout=20,
                         what="one process to ignore the second delivery")
        await siti.wait_idle(timeout=10)
        assert sorted(pair.proxy.routed[update_id]) == [0, 1]  # each process got one delivery
        assert len([m for m in siti.inbox if "Selamat datang" in m.content]) == 1


async def _sent_to_each_process(pair: Pair, user: EmulatedUser, text: str, answer: str) -> None:
    """The user sends `text` twice; the proxy takes one to each process, and both answer with `answer`."""
    routes = []
    for _ in pair.bots:
        await user.send(text)
        await user.wait_for(answer, timeout=20)
        routes.append(pair.proxy.route_of(user.last_update_id))
    assert sorted(routes) == [0, 1]  # type: ignore[type-var]


@pytest.mark.postgres
async def test_a_role_changed_by_the_cli_and_a_language_chosen_in_one_process_are_obeyed_by_the_other_at_once(
    emulator: BotApiEmulator, shop: tuple[str, AsyncEngine], tmp_path: Path
) -> None:
    url, _ = shop
    async with _two_bots(emulator, url, tmp_path) as pair:
        dewi = emulator.user(800_002, "Dewi")
        await _sent_to_each_process(pair, dewi, "/hariini", "khusus petugas")  # both now know her as a buyer
        added = await asyncio.to_thread(_cli, url, "staff", "add", "800002", "Dewi", "--role", "staff",
                                        "--line", "bakery")
        assert added.returncode == 0, added.stderr
        await _sent_to_each_process(pair, dewi, "/hariini", "hari ini")  # a minute before the cache would expire
        assert not [m for m in dewi.inbox[-2:] if "khusus petugas" in m.content]
        removed = await asyncio.to_thread(_cli, url, "staff", "remove", "800002")
        assert removed.returncode == 0, removed.stderr
        await _sent_to_each_process(pair, dewi, "/hariini", "khusus petugas")

        siti = emulator.user(5004, "Siti")
        await _sent_to_each_process(pair, siti, "/start", "Selamat datang")  # both cache her language: Indonesian
        await siti.send("/bahasa")
        await siti.wait_for("Choose your language", timeout=20)
        await siti.press("English")
        await siti.wait_for("Language set to English", timeout=20)
        changed_in = pair.proxy.route_of(siti.last_update_id)
        await siti.send("/start")
        welcome = await siti.wait_for("Welcome", timeout=20)
        assert pair.proxy.route_of(siti.last_update_id) != changed_in  # the other process, on the very next update
        assert "Siti" in welcome.content


async def test_a_second_bot_on_the_same_sqlite_file_is_refused_in_one_line_while_the_first_keeps_working(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    first = BotProcess(emulator, database, tmp_path, name="first")
    await first.start()  # migrates the new file on start
    try:
        assert first.proc is not None
        second = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=first.env, capture_output=True,
            text=True, timeout=60,
        )
        assert second.returncode == 2
        assert second.stdout.splitlines() == [
            f"Another bot process (pid {first.proc.pid}) is already running on the SQLite database {database}: "
            "SQLite serves one bot process. Stop it first, or use PostgreSQL (DATABASE_URL) to run several."
        ]
        url = f"sqlite:///{database}"
        for command in (["migrate"], ["catalogue", "import", "--if-empty"], ["staff", "add", "800003", "Ayu"],
                        ["staff", "list"], ["report", "production", "--date", "2026-11-30"]):
            result = await asyncio.to_thread(_cli, url, *command)  # the operator's commands work beside the bot
            assert result.returncode == 0, (command, result.stdout, result.stderr)
        sari = emulator.user(5005, "Sari")
        await sari.send("/start")
        await sari.wait_for("Selamat datang", timeout=20)
        await first.kill()  # the operating system gives the lock back: a restart after a crash is not refused
        await first.start()
        await sari.send("/start")
        await sari.wait_for("Selamat datang", timeout=20)
    finally:
        await first.stop()
