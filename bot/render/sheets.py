"""Renders the production sheet as a short Telegram (HTML) message or plain text."""

from __future__ import annotations

import re
from html import escape

from bot.texts.format import long_date, number_id
from models.services.reports import ProductionSheet


def production_sheet_html(sheet: ProductionSheet) -> str:
    """The bakery's sheet for a day: per product need, batches, planned, surplus, trays; unpaid apart."""
    out = [f"<b>Lembar Produksi Roti</b>\n{escape(long_date(sheet.day))}"]
    if not sheet.lines:
        out.append("\nBelum ada pesanan roti untuk hari ini.")
    for line in sheet.lines:
        plan = line.plan
        trays = f", {number_id(plan.trays)} loyang" if plan.trays is not None else ""
        out.append(
            f"\n<b>{escape(line.name)}</b> ({escape(line.sku)})\n"
            f"Dipesan (lunas): {number_id(plan.need)} {escape(line.unit)}\n"
            f"Adonan: {plan.batches} x {plan.batch_yield} = {number_id(plan.planned)}{trays}\n"
            f"Lebih untuk Galeri: {number_id(plan.surplus)}"
        )
    if sheet.lines:
        out.append(f"\nTotal dibuat: <b>{number_id(sheet.total_planned)}</b>")
    if sheet.unpaid:
        out.append("\n<b>Belum dibayar (tidak dihitung):</b>")
        out += [f"• {escape(u.code)}: {escape(u.sku)} x {number_id(u.quantity)}" for u in sheet.unpaid]
    return "\n".join(out)


def plain(html_text: str) -> str:
    """Strips the HTML tags and entities for terminal output."""
    text = re.sub(r"</?[a-z][^>]*>", "", html_text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
