"""The managers' weekly summary as they read it: empty sections read as one short line, never as blank lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.render.weekly import weekly_summary_html
from models.catalog import SplitBasis
from models.services.weekly import CategoryFigures, Count, PavingPipeline, Refusals, SplitLine, WeeklySummary

MONDAY = date(2026, 11, 30)
QUIET_WEEK = WeeklySummary(
    monday=MONDAY, categories=[], top_products=[], paid=Count(), unpaid=Count(), expired=Count(), cancelled=Count(),
    received=0, no_show=Count(), no_show_units=0, surplus_units=0, refusals=Refusals(),
    paving=PavingPipeline(0, 0, 0, 0, 0, 0), split=[], split_total=SplitLine("Total", None, 0, 0, 0, 0),
    profit_margin_pct=30, rows=[],
)
BREAD = CategoryFigures("roti", "Roti", units=20, revenue=70_000, prev_units=0, prev_revenue=0,
                        basis=SplitBasis.PROFIT, pnbp_pct=15, premi_pct=50, capital_pct=35)


def test_a_week_without_any_activity_reads_as_one_short_line_per_section() -> None:
    assert weekly_summary_html(QUIET_WEEK, "id") == (
        "<b>Ringkasan mingguan</b>\n"
        "Senin, 30 November 2026 – Minggu, 6 Desember 2026\n\n"
        "Penjualan: belum ada, minggu ini maupun minggu lalu.\n\n"
        "<b>Pembayaran</b>: belum ada pesanan atau uang masuk minggu ini.\n\n"
        "<b>Tidak diambil dan sisa</b>: tidak ada.\n\n"
        "<b>Permintaan ditolak</b>: tidak ada.\n\n"
        "<b>Paving</b>: tidak ada pesanan berjalan.\n\n"
        "<b>Pembagian (estimasi)</b>: tidak ada penjualan untuk dibagi."
    )


def test_a_quiet_week_in_english_has_the_same_short_sections() -> None:
    text = weekly_summary_html(QUIET_WEEK, "en")
    assert "\n\n\n" not in text
    sections = text.split("\n\n")[1:]
    assert sections == [
        "Sales: none, this week or last week.",
        "<b>Payments</b>: no orders and no money received this week.",
        "<b>No-shows and surplus</b>: none.",
        "<b>Demand refused</b>: none.",
        "<b>Paving</b>: no orders under way.",
        "<b>Split (estimasi)</b>: no sales to split.",
    ]


def test_categories_follow_the_sales_line_and_only_empty_sections_shrink() -> None:
    week = replace(QUIET_WEEK, categories=[BREAD], paid=Count(1, 70_000), received=70_000,
                   split_total=SplitLine("Total", None, 21_000, 3_150, 10_500, 7_350))
    text = weekly_summary_html(week, "id")
    assert "\n\n\n" not in text
    assert ("Penjualan: <b>Rp70.000</b> (20 unit) · minggu lalu Rp0 (baru)\n"
            "• Roti: 20 unit · Rp70.000 (baru)\n\n<b>Pembayaran</b>\nLunas/DP: 1 pesanan · Rp70.000") in text
    assert "\n\n<b>Permintaan ditolak</b>: tidak ada.\n\n" in text
    assert "<b>Pembagian (estimasi)</b>\nPNBP Rp3.150 · premi Rp10.500 · modal Rp7.350" in text


def test_last_weeks_sales_still_show_in_a_week_without_sales() -> None:
    lost = replace(BREAD, units=0, revenue=0, prev_units=10, prev_revenue=35_000)
    text = weekly_summary_html(replace(QUIET_WEEK, categories=[lost]), "id")
    assert "Penjualan: <b>Rp0</b> (0 unit) · minggu lalu Rp35.000 (-100%)\n• Roti: 0 unit · Rp0 (-100%)" in text
    assert text.endswith("\n\n<b>Pembagian (estimasi)</b>: tidak ada penjualan untuk dibagi.")  # still an estimate
