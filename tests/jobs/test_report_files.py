"""The weekly chart and spreadsheet open and hold the right numbers (the .xlsx is read back)."""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook
from PIL import Image

from bot.render import charts
from bot.render.charts import chart_data, weekly_chart_png
from bot.render.xlsx import HEADERS, orders_xlsx
from models.db import SessionFactory
from models.services import weekly
from tests.integration.test_weekly import MONDAY, _week


async def test_the_chart_is_a_png_showing_revenue_per_category(shop: SessionFactory) -> None:
    await _week(shop)
    async with shop() as s:
        summary = await weekly.weekly_summary(s, MONDAY)
    png = weekly_chart_png(summary, "id")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (800, 450)
    drawn = json.loads(image.info["Description"])
    assert drawn == chart_data(summary)
    assert sorted((v["this_week"], v["last_week"]) for v in drawn.values()) == [
        (60_000, 0), (110_000, 35_000), (3_080_000, 1_150_000)
    ]
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and any(rgb == (0x2E, 0x7D, 0x32) for _, rgb in colours)


async def test_the_spreadsheet_reads_back_with_every_order_line_and_the_totals(shop: SessionFactory) -> None:
    await _week(shop)
    async with shop() as s:
        summary = await weekly.weekly_summary(s, MONDAY)
    book = load_workbook(io.BytesIO(orders_xlsx(summary.rows, summary)))
    assert book.sheetnames == ["Pesanan", "Ringkasan"]
    orders = list(book["Pesanan"].iter_rows(values_only=True))
    assert orders[0] == HEADERS
    body = orders[1:]
    assert len(body) == 8
    by_sku = {row[6]: row for row in body}
    ckl = [row for row in body if row[6] == "RTI-MNS-CKL"]
    assert sorted(row[8] for row in ckl) == [5, 20]
    assert by_sku["PVB-BTA-6"][8:14] == (1000, "biji", 2000, 2_000_000, 2_000_000, 1_000_000)
    assert by_sku["RTI-MNS-KJU"][4] == "NO_SHOW"
    assert by_sku["RTI-SBK-10"][2].date() == date(2026, 11, 26)
    assert sum(row[11] for row in body) == 3_250_000 + 17_500 + 36_000 + 85_000
    assert book["Pesanan"]["K2"].number_format == '"Rp"#,##0'
    totals = {row[0]: row for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert totals["Total"][1:3] == (1_334, 3_250_000)
    assert totals["Total"][4] == 1_185_000
    assert totals["Total (estimasi)"][1:4] == (146_250, 487_500, 341_250)
    assert totals["Pembagian (estimasi)"][:4] == ("Pembagian (estimasi)", "PNBP", "Premi", "Modal")


def test_no_phone_numbers_or_addresses_go_into_the_spreadsheet() -> None:
    assert not any(word in " ".join(HEADERS).lower() for word in ("telepon", "hp", "phone", "alamat", "address"))


async def test_a_week_without_sales_has_whole_rupiah_ticks_each_once_and_no_zero_labels(shop: SessionFactory) -> None:
    async with shop() as s:
        summary = await weekly.weekly_summary(s, date(2026, 11, 30))  # nothing was ordered that week
    plt = charts._pyplot()
    fig, ax = plt.subplots()
    try:
        charts.draw_weekly(ax, summary, chart_data(summary), "id")
        fig.canvas.draw()
        ticks = [label.get_text() for label in ax.get_yticklabels()]
        bar_labels = [text.get_text() for text in ax.texts]
    finally:
        plt.close(fig)
    assert len(ticks) == len(set(ticks)) >= 2, ticks  # it printed "0" five times before
    assert [label for label in bar_labels if label] == []
