"""Spreadsheets for managers (openpyxl): the orders of a period, one row per order line.

No phone numbers or addresses go into the file; money is written as whole rupiah numbers with a
"Rp#,##0" display format so the sheet can still sum them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from models.services.weekly import OrderRow, WeeklySummary

HEADERS = (
    "Kode", "Dipesan (WIB)", "Tanggal ambil", "Sumber", "Status", "Kategori", "SKU", "Produk", "Jumlah",
    "Satuan", "Harga satuan", "Subtotal", "Total pesanan", "Sudah dibayar",
)  # fmt: skip
MONEY = '"Rp"#,##0'


def orders_xlsx(rows: Sequence[OrderRow], summary: WeeklySummary | None = None) -> bytes:
    """The workbook: sheet "Pesanan" with every line, and "Ringkasan" per category when a summary is given."""
    # openpyxl is imported on first use: it weighs on every start-up and spreadsheets are rare.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Pesanan"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append([
            r.code, r.created_at.replace(tzinfo=None), r.fulfil_date, r.source, r.status, r.category, r.sku,
            r.product, r.quantity, r.unit, r.unit_price, r.line_total, r.order_total, r.paid_amount,
        ])
    for row in sheet.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd hh:mm"
        row[2].number_format = "yyyy-mm-dd"
        for cell in row[10:14]:
            cell.number_format = MONEY
    widths = (11, 17, 13, 10, 18, 16, 13, 36, 8, 9, 13, 13, 14, 14)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if summary is not None:
        totals = book.create_sheet("Ringkasan")
        totals.append(["Kategori", "Unit", "Penjualan", "Unit minggu lalu", "Penjualan minggu lalu"])
        for c in summary.categories:
            totals.append([c.name, c.units, c.revenue, c.prev_units, c.prev_revenue])
        totals.append(["Total", summary.units, summary.revenue, None, summary.prev_revenue])
        if summary.unique_codes:
            totals.append(["Kode unik diterima (bukan penjualan)", None, summary.unique_codes])
        totals.append([])
        totals.append(["Pembagian (estimasi)", "PNBP", "Premi", "Modal"])
        for s in summary.split:
            totals.append([s.name, s.pnbp, s.premi, s.capital])
        total = summary.split_total
        totals.append(["Total (estimasi)", total.pnbp, total.premi, total.capital])
        for cell in totals[1]:
            cell.font = Font(bold=True)
        totals.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
