"""Merchant statements for tests, generated as the two styles of export staff meet: an Indonesian bank portal (a
title and period above the header, "Tanggal Transaksi", "Nominal" as "Rp 35.137", semicolons) and an English
e-wallet merchant app ("Date" and "Time" apart, "Amount" as "35,137.00", a "Description"), as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook

from models.rules.calendar import WIB


@dataclass(frozen=True)
class Txn:
    """One incoming payment as the merchant's export lists it."""

    amount: int
    at: datetime  # aware; written in WIB
    reference: str = ""
    description: str = "Pembayaran QRIS"
    status: str = "Sukses"


ID_HEADERS = ["No", "Tanggal Transaksi", "Nominal", "MDR", "RRN", "Keterangan", "Status"]
EN_HEADERS = ["Date", "Time", "Amount", "Fee", "Net Amount", "Reference", "Description"]


def _id_money(amount: int) -> str:
    """ "Rp 35.137" as an Indonesian portal writes it."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def id_rows(txns: list[Txn]) -> list[list[object]]:
    """The Indonesian portal's cells (text)."""
    return [
        [str(n), t.at.astimezone(WIB).strftime("%d/%m/%Y %H:%M:%S"), _id_money(t.amount),
         _id_money(round(t.amount * 0.007)), t.reference, t.description, t.status]
        for n, t in enumerate(txns, start=1)
    ]  # fmt: skip


def en_rows(txns: list[Txn]) -> list[list[object]]:
    """The English merchant app's cells (text)."""
    return [
        [t.at.astimezone(WIB).strftime("%Y-%m-%d"), t.at.astimezone(WIB).strftime("%H:%M:%S"), f"{t.amount:,}.00",
         f"{round(t.amount * 0.007):,}.00", f"{t.amount - round(t.amount * 0.007):,}.00", t.reference,
         t.description]
        for t in txns
    ]  # fmt: skip


def csv_export(txns: list[Txn], style: str = "id") -> bytes:
    """The export as CSV: the Indonesian one with a title block and semicolons, the English one plain."""
    out = io.StringIO()
    if style == "id":
        out.write("Laporan Mutasi QRIS\r\nMerchant;KOPERASI KARYA BINAAN\r\nPeriode;27/11/2026 - 27/11/2026\r\n\r\n")
        writer = csv.writer(out, delimiter=";")
        writer.writerow(ID_HEADERS)
        writer.writerows(id_rows(txns))
        writer.writerow(["", "", "", "", "", "Total", ""])
    else:
        writer = csv.writer(out)
        writer.writerow(EN_HEADERS)
        writer.writerows(en_rows(txns))
    return out.getvalue().encode("utf-8-sig" if style == "id" else "utf-8")


def xlsx_export(txns: list[Txn], style: str = "id") -> bytes:
    """The export as XLSX: the Indonesian one with real date and number cells, the English one as text cells."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if style == "id":
        sheet.append(["Laporan Mutasi QRIS"])
        sheet.append([])
        sheet.append(ID_HEADERS)
        for n, t in enumerate(txns, start=1):
            sheet.append([n, t.at.astimezone(WIB).replace(tzinfo=None), t.amount, round(t.amount * 0.007),
                          t.reference, t.description, t.status])
    else:
        sheet.append(EN_HEADERS)
        for row in en_rows(txns):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(txns: list[Txn], kind: str, style: str) -> bytes:
    """A statement file of `kind` ("csv" or "xlsx") in `style` ("id" or "en")."""
    return csv_export(txns, style) if kind == "csv" else xlsx_export(txns, style)
