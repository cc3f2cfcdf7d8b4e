"""Unique codes in the reports, on both engines: sales and "received" count the instalments only; the codes paid on
top are summed on a line of their own in the weekly summary, its spreadsheet and the daily recap."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from bot.render.staff_sheets import recap_html
from bot.render.weekly import weekly_summary_html
from bot.render.xlsx import orders_xlsx
from models import qris
from models.db import SessionFactory
from models.services import payments, weekly
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import order

WEDNESDAY = wib(2026, 11, 25, 10, 0)
MONDAY = date(2026, 11, 23)
CODED = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, unique_codes=True)


async def _paid_week(shop: SessionFactory) -> int:
    """Two bread orders of Rp35.000 paid with unique codes, one left open; returns the codes paid."""
    codes = 0
    async with shop.begin() as s:
        for n in range(3):
            placed = await order(s, "RTI-MNS-CKL", 10, now=WEDNESDAY, day=date(2026, 11, 26), telegram_id=1001 + n)
            payment = await payments.issue_payment(s, placed, CODED, now=WEDNESDAY)
            if n < 2:
                await payments.confirm_payment(s, payment, staff_telegram_id=1, now=WEDNESDAY + timedelta(hours=1))
                codes += payment.unique_code
    return codes


async def test_sales_and_received_leave_the_codes_out_and_the_codes_have_their_own_line(shop: SessionFactory) -> None:
    codes = await _paid_week(shop)
    assert 2 <= codes <= 2 * 999
    async with shop() as s:
        summary = await weekly.weekly_summary(s, MONDAY)
        recap = await weekly.daily_recap(s, date(2026, 11, 25))
    assert (summary.revenue, summary.received, summary.unique_codes) == (70_000, 70_000, codes)
    assert summary.paid.amount == 70_000
    text = weekly_summary_html(summary)
    written = f"Rp{codes:,}".replace(",", ".")
    assert "Uang diterima minggu ini: <b>Rp70.000</b>" in text
    assert f"Kode unik ikut dibayar: {written} (di luar penjualan" in text
    assert (recap.received, recap.unique_codes) == (70_000, codes)
    assert f"Kode unik ikut dibayar: {written}" in recap_html(recap, "id")

    sheet = load_workbook(io.BytesIO(orders_xlsx(summary.rows, summary)))["Ringkasan"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Total"][1] == 70_000
    assert rows["Kode unik diterima (bukan penjualan)"][1] == codes


async def test_a_week_without_codes_shows_no_code_line(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 10, now=WEDNESDAY, day=date(2026, 11, 26))
        plain = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD)
        payment = await payments.issue_payment(s, placed, plain, now=WEDNESDAY)
        await payments.confirm_payment(s, payment, staff_telegram_id=1, now=WEDNESDAY)
    async with shop() as s:
        summary = await weekly.weekly_summary(s, MONDAY)
    assert summary.unique_codes == 0
    assert "Kode unik" not in weekly_summary_html(summary)
    sheet = load_workbook(io.BytesIO(orders_xlsx(summary.rows, summary)))["Ringkasan"]
    assert not any(row and row[0] and "Kode unik" in str(row[0]) for row in sheet.iter_rows(values_only=True))
