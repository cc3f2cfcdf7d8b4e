"""Privacy in logs: a whole order flow logged at DEBUG leaks no name, phone number, address or token."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import traceback
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from bot.emulator.server import BotApiEmulator
from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.people import Customer, Line, Role
from tests.flows.buyer_dialogues import bread_to_cart, confirm, open_product, orders, start
from tests.reliability.botprocess import ROOT
from tests.reliability.conftest import TOKEN
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot

NAME = "Kartini Wulandari"
PHONE = "+6281377712345"
ADDRESS = "Jl. Kenanga Permai No. 17, RT 04/RW 09, Kel. Sunggal, Kec. Medan Sunggal, Kota Medan"
STAFF_NAME = "Rina Baker"
# Every way the phone number could be written, and fragments of the name and address.
SECRETS = [
    TOKEN, TOKEN.split(":")[1], "6281377712345", "081377712345", "81377712345", "813-7771", "Kartini", "Wulandari",
    "Kenanga Permai", "Medan Sunggal", STAFF_NAME,
]


def _leaks(text: str) -> list[str]:
    """The secrets found in a text."""
    return [s for s in SECRETS if s.lower() in text.lower()]


def _all_text(records: list[logging.LogRecord]) -> str:
    """Every record as the handlers would write it: message, exception and stack."""
    out = []
    for record in records:
        out.append(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            out.append("".join(traceback.format_exception(*record.exc_info)))
        if record.exc_text:
            out.append(record.exc_text)
        if record.stack_info:
            out.append(record.stack_info)
    return "\n".join(out)


async def _full_order_flow(bot: Harness) -> None:
    """A bread order with a shared contact, a paving order delivered to an address, staff confirming payment."""
    await bot.add_staff(501, STAFF_NAME, Role.STAFF, Line.BAKERY)
    await bot.add_staff(502, "Yard " + STAFF_NAME, Role.STAFF, Line.PAVING)
    buyer = bot.emulator.user(1001, "Kartini", last_name="Wulandari", phone_number=PHONE)
    await start(buyer)
    await bread_to_cart(buyer, qty="6")
    await open_product(buyer, "Paving Block", "Paving Bata/Holland 21x10,5x6")
    await buyer.press("Hitung kebutuhan")
    await buyer.wait_for("Berapa yang dibutuhkan?")
    await buyer.send("12 m2")
    await buyer.wait_for("Perhitungan")
    await buyer.press("Masukkan keranjang")
    await buyer.wait_for("Masuk keranjang")
    await buyer.press("Pesan sekarang")
    await buyer.wait_for("nomor HP")
    await buyer.press_key("📱 Kirim nomor HP")
    await buyer.wait_for("diambil sendiri atau diantar")
    await buyer.press("Diantar")
    await buyer.wait_for("alamat pengiriman")
    await buyer.send(ADDRESS)
    await buyer.wait_for("Ringkasan pesanan")
    await confirm(buyer, photos=2)
    staff = bot.emulator.user(501, "Rina")
    for order in await orders(bot):
        await staff.send(f"/bayar {order.code}")
        await staff.wait_for("dicatat")
    await buyer.wait_for("sudah kami terima", timeout=10)  # the buyer's notice, sent by the outbox dispatcher
    await buyer.send("/datasaya")
    await buyer.wait_for(NAME)


async def test_a_full_order_flow_logged_at_debug_shows_no_personal_data_and_no_token(
    emulator: BotApiEmulator, clock: FakeClock, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(emulator, sqlite_url, clock, with_jobs=True, log_level="DEBUG") as bot:
        await _full_order_flow(bot)
    text = _all_text(caplog.records)
    assert len(caplog.records) > 20, "the flow logged (almost) nothing: is DEBUG really captured?"
    leaked = _leaks(text)
    lines = [line for line in text.splitlines() if _leaks(line)]
    assert leaked == [], "\n".join(lines[:20])
    assert not re.search(r"\+?62\s?8\d{2}[\s-]?\d{3,4}[\s-]?\d{3,5}", text)


async def test_database_errors_do_not_carry_the_personal_data_of_their_statement(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine).begin() as session:
            session.add(Customer(telegram_id=1001, name=NAME, phone=PHONE, language="id"))
        with pytest.raises(IntegrityError) as failure:
            async with create_session_factory(engine).begin() as session:
                session.add(Customer(telegram_id=1001, name=NAME, phone=PHONE, language="id"))
    finally:
        await engine.dispose()
    assert _leaks(str(failure.value)) == [] and "parameters hidden" in str(failure.value)


async def test_a_rejected_token_stops_the_bot_with_one_line_that_does_not_quote_it(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    wrong = "5550001:AAWrongTokenNobodyShouldSee"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "HTTP_", "LOG_"))}
    env.update(TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=emulator.base_url,
               TELEGRAM_FILE_BASE_URL=emulator.base_file_url, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
               LOG_LEVEL="DEBUG", HTTP_PORT="0")
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    await upgrade(engine)
    await engine.dispose()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(process.communicate(), 60))[0].decode()
    assert process.returncode == 2
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in output.splitlines()[-1]
    assert wrong not in output and wrong.split(":")[1] not in output
