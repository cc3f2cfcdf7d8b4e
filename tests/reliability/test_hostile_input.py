"""Hostile input against the running bot: a flood from one user, SQL/HTML/Markdown injection in names,
addresses and notes, oversized messages and photos at every question that expects text."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.emulator import BotMessage, EmulatedUser
from bot.emulator.server import BotApiEmulator
from models.conversation import CartItem
from models.order import Order, OrderStatus
from models.payment import Payment
from models.people import Customer, Line, Role
from models.rules.calendar import WIB
from tests.flows.buyer_dialogues import (
    bread_to_cart,
    checkout_to_summary,
    confirm,
    open_product,
    orders,
    start,
)
from tests.reliability.support import after_start_up, log_text, outbox_idle, unhandled
from tests.support.clock import FakeClock
from tests.support.eventually import eventually
from tests.support.harness import Harness, running_bot

STAFF, MANAGER, NEWCOMER = 501, 601, 7007
HTML_NAME = '<b>tebal</b> <a href="http://evil.example/">klik</a>'
SQL_NAME = "Robert'); DROP TABLE orders;--"
MARKDOWN = "*tebal* _miring_ `kode` [tautan](http://evil.example) ~coret~ ||rahasia||"
ENTITIES = "&amp; &lt;i&gt; &#60;u&#62; & < >"
NOTE = f"<i>oven rusak</i> {MARKDOWN} ' OR 1=1 -- {ENTITIES}"
ADDRESS = f"Jl. <script>alert(1)</script> No. 1'); DELETE FROM customers;-- {MARKDOWN} Kec. Medan Helvetia, Kota Medan"
LONG = ("panjang " * 512)[:4096]  # the longest message Telegram accepts
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(200)


def _refused_calls(emulator: BotApiEmulator) -> list[str]:
    """Calls Telegram (the emulator) refused, but for "message is not modified"."""
    return [f"{c.method}: {c.error.description}" for c in emulator.calls
            if c.error is not None and "not modified" not in c.error.description]


def _no_markup_from(message: BotMessage, *fragments: str) -> bool:
    """True when no bold, italic, link or code entity covers any of the fragments (they were shown as text)."""
    kinds = ("bold", "italic", "text_link", "code", "underline", "strikethrough", "spoiler")
    return not any(message.has_entity(kind, fragment) for kind in kinds for fragment in fragments)


# -- a flood from one user ---------------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_user_sending_100_messages_in_10_seconds_is_throttled_politely_while_others_are_served(
    emulator: BotApiEmulator, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # The flood window is counted on the bot's clock, which moves only when this test moves it: the spammer's
    # 100 messages are 0.1 s apart on it however fast or slow the machine runs them, and nobody waits for the
    # window to pass.
    clock = FakeClock(datetime(2026, 11, 27, 10, 0, tzinfo=WIB))
    async with running_bot(emulator, sqlite_url, clock, with_jobs=True, flood_max_updates=20,
                           flood_window_seconds=10) as bot:
        spammer = emulator.user(6666, "Spammer")
        buyers = [emulator.user(1001 + i, f"Pembeli {i}") for i in range(3)]
        waits: list[float] = []
        sent = 0

        async def flood(count: int) -> None:
            nonlocal sent
            for _ in range(min(count, 100 - sent)):
                if sent:
                    clock.advance(seconds=0.1)
                sent += 1
                await spammer.send(f"spam {sent}")

        async def shop(user: EmulatedUser) -> None:
            for action, expected in (("/start", "Selamat datang"), ("Katalog", "Silakan pilih kategori"),
                                     ("Roti", "Silakan pilih produk:"), ("/keranjang", "Keranjang"),
                                     ("/bantuan", "Cara memesan"), ("/pesananku", "belum punya pesanan"),
                                     ("/katalog", "Silakan pilih kategori")):
                await flood(3)  # the flood goes on between everyone else's steps
                began = time.monotonic()
                if action.startswith("/"):
                    await user.send(action)
                else:
                    await user.press(action)
                await user.wait_for(expected, timeout=10)
                waits.append(time.monotonic() - began)

        await flood(21)
        await spammer.wait_for("terlalu cepat", timeout=10)  # the flood is on before the others start
        await asyncio.gather(*(shop(b) for b in buyers))
        await flood(100)  # the rest of the hundred
        assert sent == 100
        await bot.settled()  # every spam message has been through the gates
        warnings = [m for m in spammer.inbox if "terlalu cepat" in m.content]
        answered = [m for m in spammer.inbox if "terlalu cepat" not in m.content]
        assert len(warnings) == 1  # told once, politely; the rest is dropped without a word
        assert len(answered) <= 20
        assert max(waits) < 3.0, waits  # everyone else is served as usual
        clock.advance(seconds=10.1)  # the window moves on past the last of the hundred
        await spammer.send("/start")
        await spammer.wait_for("Selamat datang")
    assert log_text(caplog.records).count("throttling user 6666") == 1
    assert unhandled(caplog.records) == []
    print(f"[reliability] flood 100 msgs/10 s: {len(answered)} answered, 1 polite warning, "
          f"{100 - len(answered)} dropped; 3 other buyers served in <= {max(waits):.2f} s per step")


# -- injection: names, addresses and notes shown literally ------------------------------------------------


async def test_injection_in_a_buyers_name_address_and_a_staff_note_is_shown_literally_everywhere(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await bot.add_staff(STAFF + 1, "Yard", Role.STAFF, Line.PAVING)
    rina, _ = bot.emulator.user(STAFF, "Rina"), bot.emulator.user(STAFF + 1, "Yard")
    await after_start_up(bot)
    evil = bot.emulator.user(1001, HTML_NAME, last_name=SQL_NAME)
    full_name = f"{HTML_NAME} {SQL_NAME}"
    welcome = (await _started(evil)).content
    assert f"Bapak/Ibu {HTML_NAME}" in welcome
    await bread_to_cart(evil, qty="3")
    await open_product(evil, "Paving Block", "Paving Bata/Holland 21x10,5x6")
    await evil.press("Hitung kebutuhan")
    await evil.wait_for("Berapa yang dibutuhkan?")
    await evil.send(f"12 m2 {MARKDOWN}")
    await evil.wait_for(lambda m: "Perhitungan" in m.content or "Mohon" in m.content)
    await evil.send("12 m2")
    await evil.wait_for("Perhitungan")
    await evil.press("Masukkan keranjang")
    await evil.wait_for("Masuk keranjang")
    await evil.press("Pesan sekarang")
    await evil.wait_for("nomor HP")
    await evil.press_key("📱 Kirim nomor HP")
    await evil.wait_for("diambil sendiri atau diantar")
    await evil.press("Diantar")
    await evil.wait_for("alamat pengiriman")
    await evil.send(ADDRESS)
    summary = await evil.wait_for("Ringkasan pesanan")
    assert ADDRESS in summary.content and _no_markup_from(summary, "alert(1)", "tebal", "tautan")
    await confirm(evil, photos=2)
    placed = await orders(bot)
    bread = next(o for o in placed if o.lines[0].product.sku.startswith("RTI"))
    paving = next(o for o in placed if o is not bread)

    alert = await rina.wait_for("Pesanan baru", timeout=10)
    assert f"Pembeli: {full_name}" in alert.content and _no_markup_from(alert, "tebal", "klik")
    await rina.send(f"/pesanan {bread.code}")
    card = await rina.wait_for(bread.code)
    assert full_name in card.content and _no_markup_from(card, "tebal", "klik")
    await rina.press("Batalkan")
    await rina.wait_for("Ketik alasan")
    await rina.send(NOTE)
    await rina.wait_for("dibatalkan")
    notice = await evil.wait_for("dibatalkan oleh petugas", timeout=10)
    assert f"Alasan: {NOTE}" in notice.content and _no_markup_from(notice, "oven rusak", "tautan")
    await evil.send(paving.code)
    shown = await evil.wait_for(lambda m: paving.code in m.content and ADDRESS in m.content)
    assert _no_markup_from(shown, "alert(1)", "tautan")
    await evil.send(bread.code)
    shown = await evil.wait_for(lambda m: bread.code in m.content and NOTE in m.content)
    assert _no_markup_from(shown, "oven rusak", "tautan")
    await evil.send("/datasaya")
    data = await evil.wait_for("yang kami simpan")
    assert full_name in data.content and ADDRESS in data.content
    async with bot.services.session_factory() as session:
        stored = await session.scalar(select(Customer.name).where(Customer.telegram_id == 1001))
        count = await session.scalar(select(func.count()).select_from(Order))
    assert stored == full_name and count == 2  # stored as typed; no statement was run from it
    assert _refused_calls(bot.emulator) == [] and unhandled(caplog.records) == []


async def _started(user: EmulatedUser) -> BotMessage:
    """The welcome after /start."""
    await user.send("/start")
    return await user.wait_for("Selamat datang")


async def test_injection_typed_by_staff_in_a_walk_in_order_is_shown_literally(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    rina = bot.emulator.user(STAFF, "Rina")
    await rina.send("/catat")
    await rina.wait_for("Catat pesanan dari")
    await rina.press("Datang langsung")
    await rina.wait_for("Pilih produk")
    await rina.press("Roti Manis Isi Cokelat")
    await rina.wait_for("Berapa pcs")
    await rina.send("5")
    await rina.wait_for("Tanggal ambil")
    await rina.press("Sab 28/11")
    await rina.wait_for("Slot ambil")
    await rina.press("10.00–12.00 WIB")
    await rina.wait_for("Nama pembeli")
    await rina.send(f"{HTML_NAME} {SQL_NAME}")
    await rina.wait_for("Nomor HP")
    await rina.send("0812 3456 7890")
    await rina.wait_for("Cara bayar")
    await rina.press("Tunai")
    check = await rina.wait_for("Cek lagi")
    assert f"{HTML_NAME} {SQL_NAME}" in check.content and _no_markup_from(check, "tebal", "klik")
    await rina.press("Simpan")
    saved = await rina.wait_for("Tercatat")
    assert f"{HTML_NAME} {SQL_NAME}" in saved.content
    await rina.send("/hariini")
    await rina.wait_idle()
    assert _refused_calls(bot.emulator) == [] and unhandled(caplog.records) == []


async def test_injection_in_a_newcomers_name_reaches_the_manager_literally(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    await after_start_up(bot)
    await manager.send("/undang roti")
    link = await manager.wait_for("Tautan undangan")
    found = re.search(r"\?start=(inv_[A-Za-z0-9_-]+)", link.content)
    assert found
    newcomer = bot.emulator.user(NEWCOMER, HTML_NAME, last_name=SQL_NAME)
    await newcomer.open_deep_link(found.group(1))
    waiting = await newcomer.wait_for("menunggu persetujuan")
    assert HTML_NAME in waiting.content
    question = await manager.wait_for("membuka undangan", timeout=10)
    assert f"{HTML_NAME} {SQL_NAME}" in question.content and _no_markup_from(question, "tebal", "klik")
    await manager.press("Setujui", message_id=question.message_id)
    approved = await manager.wait_for("sekarang Petugas")
    assert f"{HTML_NAME} {SQL_NAME}" in approved.content
    welcome = await newcomer.wait_for("Selamat bergabung", timeout=10)
    assert _no_markup_from(welcome, "tebal", "klik")
    await manager.send("/staf")
    listing = await manager.wait_for("Petugas aktif")
    assert f"{HTML_NAME} {SQL_NAME}" in listing.content
    assert _refused_calls(bot.emulator) == [] and unhandled(caplog.records) == []


# -- oversized messages and photos where text is expected --------------------------------------------------


async def _answer_to(user: EmulatedUser, send: Any) -> BotMessage:
    """Sends something once the bot is done with the chat, and returns the bot's first answer.

    Waiting first matters: the previous answer may still be removing an old screen's buttons (an edit), which
    would otherwise be taken for the answer to this message.
    """
    await user.wait_idle()
    await send()
    return await user.wait_for(lambda m: True)


async def test_oversized_messages_and_photos_at_every_question_get_a_polite_answer_and_keep_the_step(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    rina = bot.emulator.user(STAFF, "Rina")
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    answers: dict[str, str] = {}

    async def probe(user: EmulatedUser, step: str) -> None:
        """At a question: a 4096-character message, then a photo; each answered, the question still open."""
        answers[f"{step}/long"] = (await _answer_to(user, lambda: user.send(LONG))).content
        answers[f"{step}/photo"] = (await _answer_to(user, lambda: user.send_photo(PHOTO))).content
        await user.wait_idle()

    await probe(siti, "idle")
    await open_product(siti, "Roti", "Roti Manis Isi Cokelat")
    await siti.press("Pilih tanggal ambil")
    await siti.wait_for("Pilih tanggal ambil:")
    await siti.press("Sab 28/11")
    await siti.wait_for("Pilih jam ambil")
    await siti.press("10.00–12.00 WIB")
    await siti.wait_for("Berapa")
    await probe(siti, "quantity")
    await siti.send("4")
    await siti.wait_for("Masuk keranjang")
    await open_product(siti, "Paving Block", "Paving Bata/Holland 21x10,5x6")
    await siti.press("Hitung kebutuhan")
    await siti.wait_for("Berapa yang dibutuhkan?")
    await probe(siti, "paving")
    await siti.send("12 m2")
    await siti.wait_for("Perhitungan")
    await siti.press("Masukkan keranjang")
    await siti.wait_for("Masuk keranjang")
    await siti.press("Pesan sekarang")
    await siti.wait_for("nomor HP")
    await probe(siti, "phone")
    await siti.press_key("📱 Kirim nomor HP")
    await siti.wait_for("diambil sendiri atau diantar")
    await probe(siti, "fulfilment")
    await siti.press("Diantar")
    await siti.wait_for("alamat pengiriman")
    await probe(siti, "address")
    await siti.send("Jl. Melati No. 5, Kec. Medan Helvetia, Kota Medan")
    await siti.wait_for("Ringkasan pesanan")
    await probe(siti, "summary")
    await confirm(siti, photos=2)
    await siti.send("/pesananku")
    await siti.wait_for("Pesanan Saya")
    [bread] = [o for o in await orders(bot) if o.lines[0].product.sku.startswith("RTI")]
    await siti.press(bread.code)
    await siti.wait_for("Status")
    # The payment code's "Saya sudah bayar" asks for a photo: text is what is out of place there.
    async with bot.services.session_factory() as session:
        payment_id = await session.scalar(select(Payment.id).where(Payment.order_id == bread.id))
    await siti.press_data(f"bpaid:{payment_id}")
    await siti.wait_idle()
    answers["proof/long"] = (await _answer_to(siti, lambda: siti.send(LONG))).content

    # The new-order alert reaches Rina through the outbox, at its own pace: wait for it first, so that neither
    # it is taken for the order card nor its buttons are the latest when she presses one on the card.
    await rina.wait_for(f"Pesanan baru {bread.code}", timeout=15)
    await rina.send(f"/pesanan {bread.code}")
    await rina.wait_for(lambda m: any("Batalkan" in b["text"] for row in m.inline_rows for b in row))
    await rina.press("Batalkan")
    await rina.wait_for("Ketik alasan")
    answers["cancel-reason/photo"] = (await _answer_to(rina, lambda: rina.send_photo(PHOTO))).content
    answers["staff-command/long"] = (await _answer_to(rina, lambda: rina.send("/pesanan " + LONG[:4000]))).content

    for step, answer in answers.items():
        assert answer, step
        assert "panjang panjang" not in answer, step  # the long text is never echoed back
    async with bot.services.session_factory() as session:
        statuses = [o.status for o in await session.scalars(select(Order))]
        items = await session.scalar(select(func.count()).select_from(CartItem))
    assert OrderStatus.CANCELLED not in statuses and items == 0
    assert _refused_calls(bot.emulator) == [] and unhandled(caplog.records) == []
    print(f"[reliability] oversized (4096 chars) and photo at {len(answers)} questions: every one answered "
          "politely, no step lost, nothing echoed")


async def test_the_bot_never_sends_a_message_telegram_would_refuse_for_its_size(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Long names and typed texts that the bot repeats stay within Telegram's 4096/1024/200-character limits."""
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    long_name = "Nama" * 16  # Telegram's 64-character maximum for a first name
    buyer = bot.emulator.user(1001, long_name, last_name="Panjang" * 9)
    await start(buyer)
    await bread_to_cart(buyer, qty="2")
    await checkout_to_summary(buyer)
    await confirm(buyer)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    for command in ("/libur 30-11-2026 " + "Libur" * 700, "/harga RTI-MNS-CKL " + "9" * 3000,
                    "/audit " + "KB" * 1500, "/ekspor " + "x" * 3000, "/laporan " + "y" * 3000):
        await manager.send(command[:4096])
        await manager.wait_idle()
    await bot.settled()
    await eventually(lambda: outbox_idle(bot), timeout=20, what="every message due from the outbox sent")
    assert _refused_calls(bot.emulator) == [] and unhandled(caplog.records) == []
