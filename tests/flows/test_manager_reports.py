"""Managers in the bot: change a price and capacity, read the audit trail, ask for the weekly summary
(text, chart, spreadsheet) and an export, and see the command menus per audience."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.menus import refresh_all
from models.catalog import Product
from models.people import Line, Role
from tests.flows.staff_helpers import ensure_jobs, place
from tests.support.harness import Harness

MANAGER = 601
STAFF = 501


@pytest.fixture(autouse=True)
def _jobs(bot: Harness) -> None:
    """Jobs run as in production (menus are set at start-up)."""
    ensure_jobs(bot)


async def test_a_manager_changes_a_price_and_reads_the_audit_trail(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    await manager.send("/harga RTI-MNS-CKL Rp3.800")
    reply = await manager.wait_for("Harga RTI-MNS-CKL")
    assert "Rp3.800 (sebelumnya Rp3.500)" in reply.content
    async with bot.services.session_factory() as s:
        assert await s.scalar(select(Product.price).where(Product.sku == "RTI-MNS-CKL")) == 3_800
    await manager.send("/kapasitas RTI-MNS-CKL 28-11-2026 60")
    assert "60 (sudah dipesan 0)" in (await manager.wait_for("Kapasitas")).content
    order, payment = await place(bot, 1001, "RTI-MNS-CKL", 10)
    bot.clock.advance(minutes=7)
    await manager.send(f"/bayar {order.code}")
    await manager.wait_for("dicatat")
    await manager.send(f"/audit {order.code}")
    trail = (await manager.wait_for("Jejak")).text.splitlines()
    # In the manager's words: statuses by name, money as rupiah, people by name, the service's reasons worded.
    assert trail[0] == f"Jejak {order.code} · Dibayar"
    assert [line.split(" · ", 1)[1] for line in trail[1:]] == [
        "pembeli · pesanan dibuat: Menunggu Pembayaran (Bot)",
        f"sistem · kode bayar #{payment.id} dibuat (lunas): Rp38.000",
        "Pak Budi · Menunggu Pembayaran → Dibayar (pembayaran lunas Rp38.000)",
        f"Pak Budi · pembayaran #{payment.id} diterima (QRIS): Rp38.000",
        "Pak Budi · bayar dikonfirmasi (aplikasi merchant)",
    ]
    await manager.send("/harga RTI-MNS-CKL abc")
    await manager.wait_for("Angka tidak terbaca")


@pytest.mark.parametrize("typed", ["3900", "3.900", "Rp3.900", "Rp 3.900"])
async def test_a_price_is_read_however_a_manager_writes_rupiah(bot: Harness, typed: str) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    await manager.send(f"/harga RTI-MNS-CKL {typed}")
    assert "Rp3.900 (sebelumnya Rp3.500)" in (await manager.wait_for("Harga RTI-MNS-CKL")).content
    async with bot.services.session_factory() as s:
        assert await s.scalar(select(Product.price).where(Product.sku == "RTI-MNS-CKL")) == 3_900


@pytest.mark.parametrize("typed", ["3,5", "tiga ribu", "3.5", "-3500"])
async def test_a_price_that_is_not_whole_rupiah_is_refused_and_changes_nothing(bot: Harness, typed: str) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    await manager.send(f"/harga RTI-MNS-CKL {typed}")
    await manager.wait_for("Angka tidak terbaca")
    async with bot.services.session_factory() as s:
        assert await s.scalar(select(Product.price).where(Product.sku == "RTI-MNS-CKL")) == 3_500


async def test_the_weekly_summary_on_demand_comes_with_chart_and_spreadsheet(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    await place(bot, 1001, "RTI-MNS-CKL", 10)
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    await manager.send("/laporan")
    summary = await manager.wait_for("Ringkasan mingguan")
    assert "Senin, 23 November 2026" in summary.content and "estimasi" in summary.content
    chart = await manager.wait_for_photo()
    assert Image.open(io.BytesIO(chart.photo or b"")).format == "PNG"
    sheet = await manager.wait_for(lambda m: m.document is not None)
    book = load_workbook(io.BytesIO(sheet.document or b""))
    rows = list(book["Pesanan"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][6] == "RTI-MNS-CKL" and rows[1][8] == 10
    await manager.send("/ekspor 01-11-2026 30-11-2026")
    export = await manager.wait_for("1 November 2026 s.d.")
    assert export.document is not None


async def test_command_menus_per_audience(bot: Harness) -> None:
    await bot.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    await bot.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
    await refresh_all(bot.app.bot, bot.services)
    buyer = bot.emulator.user(1001, "Siti")
    staff = bot.emulator.user(STAFF, "Rina")
    manager = bot.emulator.user(MANAGER, "Pak Budi")
    english = bot.emulator.user(1002, "John", language_code="en")
    buyer_menu = [c["command"] for c in buyer.commands()]
    assert {"start", "katalog"} <= set(buyer_menu) and "hariini" not in buyer_menu and "laporan" not in buyer_menu
    assert english.commands()[0]["description"] == "Main menu"
    staff_menu = [c["command"] for c in staff.commands()]
    assert "hariini" in staff_menu and "laporan" not in staff_menu
    manager_menu = [c["command"] for c in manager.commands()]
    assert {"hariini", "laporan", "undang", "harga"} <= set(manager_menu)
