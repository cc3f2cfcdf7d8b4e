"""Dialogues: language switch, what is stored (/datasaya), data deletion (/hapusdata), help and the command menu."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bot.emulator.server import BotApiEmulator
from bot.handlers import build_router
from bot.menus import BUYER_COMMANDS
from bot.texts.labels import buyer_command_description
from models.order import OrderStatus
from models.people import Customer
from tests.flows.buyer_dialogues import bread_to_cart, checkout_to_summary, confirm, orders, start
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot

STAFF_COMMANDS = {"hariini", "produksi", "pesanan", "bayar", "mutasi", "laporan", "ekspor", "staf", "harga", "stok",
                  "kapasitas", "libur", "audit", "catat"}  # fmt: skip


def test_the_buyer_menu_has_every_command_in_both_languages_and_none_of_the_staff() -> None:
    names = list(BUYER_COMMANDS)
    assert not set(names) & STAFF_COMMANDS
    routes = build_router().commands
    assert all(any(r.audience.name == "BUYER" for r in routes[name]) for name in names)  # each one answers buyers
    for command in BUYER_COMMANDS:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command)
        described = [buyer_command_description(lang, command) for lang in ("id", "en")]
        assert all(3 <= len(d) <= 256 for d in described) and described[0] != described[1]


async def test_bahasa_switches_between_indonesian_and_english(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await siti.send("/bahasa")
    await siti.wait_for("Pilih bahasa / Choose your language")
    await siti.press("English")
    await siti.wait_for("Language set to English")
    await siti.send("/start")
    welcome = await siti.wait_for("Welcome, Siti")
    assert welcome.buttons == ["🛍 Catalogue", "🛒 Cart", "📦 My orders", "❓ Help"]
    await siti.press("Catalogue")
    await siti.wait_for("Please choose a category")
    await siti.press("Bread")
    await siti.wait_for("Please choose a product")
    await siti.send("/bahasa")
    await siti.wait_for("Choose your language")
    await siti.press("Bahasa Indonesia")
    await siti.wait_for("Bahasa diganti ke Bahasa Indonesia")
    await siti.send("/keranjang")
    await siti.wait_for("Keranjang Bapak/Ibu masih kosong")
    async with bot.services.session_factory() as session:
        assert await session.scalar(select(Customer.language).where(Customer.telegram_id == 1001)) == "id"


async def test_a_buyer_whose_telegram_is_in_english_is_answered_in_english(bot: Harness) -> None:
    john = bot.emulator.user(4004, "John", language_code="en")
    await john.send("/start")
    await john.wait_for("Welcome, John")
    await john.send("/bantuan")
    help_text = await john.wait_for("How to order")
    assert "Jl. Pemasyarakatan" in help_text.content


async def test_datasaya_shows_what_is_stored_with_the_phone_masked(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="3")
    await checkout_to_summary(siti)
    await confirm(siti)
    await siti.send("/datasaya")
    data = await siti.wait_for("Data Bapak/Ibu yang kami simpan")
    assert "Nama: Siti" in data.content and "No. HP: +62812****890" in data.content
    assert "Jumlah pesanan: 1" in data.content and "Persetujuan simpan nomor: Jumat, 27 November 2026" in data.content
    assert all("81234567890" not in m.content for m in siti.inbox)


async def test_hapusdata_is_refused_while_an_order_is_open_and_erases_the_buyer_after(bot: Harness) -> None:
    siti = bot.emulator.user(1001, "Siti")
    await start(siti)
    await bread_to_cart(siti, qty="3")
    await checkout_to_summary(siti)
    await confirm(siti)
    [order] = await orders(bot)
    await siti.send("/hapusdata")
    await siti.wait_for("Hapus data pribadi Bapak/Ibu?")
    await siti.press("Ya, hapus data saya")
    refused = await siti.wait_for("data belum bisa dihapus")
    assert order.code in refused.content
    await siti.send(f"/start o_{order.code}")
    await siti.wait_for(f"Pesanan {order.code}")
    await siti.press("Batalkan")
    await siti.wait_for("Yakin membatalkan")
    await siti.press("Ya, batalkan")
    await siti.wait_for("Status: Dibatalkan")
    await siti.send("/hapusdata")
    await siti.wait_for("Hapus data pribadi Bapak/Ibu?")
    await siti.press("Ya, hapus data saya")
    await siti.wait_for("sudah dihapus")
    async with bot.services.session_factory() as session:
        erased = await session.get(Customer, order.customer_id)
        assert erased is not None
        assert (erased.name, erased.phone, erased.telegram_id, erased.pseudonymised) == (
            f"Anonim-{erased.id}",
            None,
            None,
            True,
        )
    [kept] = await orders(bot)
    assert kept.total == order.total and kept.contact_phone is None and kept.status is OrderStatus.CANCELLED
    await siti.send("/datasaya")
    fresh = await siti.wait_for("Data Bapak/Ibu yang kami simpan")
    assert "No. HP: belum ada" in fresh.content and "Jumlah pesanan: 0" in fresh.content


async def test_a_buyer_whose_telegram_names_no_language_is_greeted_in_the_configured_one(
    emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with running_bot(emulator, url, clock, language="en") as bot:
        unknown = bot.emulator.user(1001, "Siti", language_code=None)
        indonesian = bot.emulator.user(1002, "Budi", language_code="id")
        await unknown.send("/start")
        await unknown.wait_for("Welcome, Siti")  # LANGUAGE=en for a buyer whose Telegram says nothing
        await indonesian.send("/start")
        await indonesian.wait_for("Selamat datang, Bapak/Ibu Budi")  # Telegram's language still comes first
