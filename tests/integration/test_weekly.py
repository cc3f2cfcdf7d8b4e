"""The managers' weekly summary: a known week of orders, and every figure checked, on both engines.

Week of Monday 23 November 2026 (the week before: 16-22 November). Orders, all placed at 10.00 WIB:
  A  Wed 25  roti  RTI-MNS-CKL x20  =    70.000  paid
  B  Wed 25  roti  RTI-MNS-KJU x10  =    40.000  paid, ready, not collected (no-show)
  C  Thu 26  roti  RTI-MNS-CKL x5   =    17.500  unpaid
  D  Wed 25  roti  RTI-SBK-10 x2    =    36.000  expired
  E  Tue 24  keripik KRP-UBI-200 x4 =    60.000  paid
  F  Tue 24  sandal SDL-KLT-01 x1   =    85.000  cancelled by the buyer
  G  Mon 23  paving PVB-BTA-6 x1000 = 2.000.000  deposit 1.000.000 paid
  H  Tue 24  paving PVB-HEX-6 x300  = 1.080.000  deposit and balance paid, in production
  P  Wed 18  roti  RTI-MNS-CKL x10  =    35.000  paid (last week)
  I  Mon 16  paving PVB-CCG-6 x500  = 1.150.000  deposit last week, balance Thu 26, handed over Fri 27
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.catalog import Product, SplitBasis
from models.db import SessionFactory
from models.order import OrderStatus
from models.services import demand, fulfilment, payments, weekly
from tests.conftest import wib
from tests.jobs.helpers import BAKER, pay, place

MONDAY = date(2026, 11, 23)


async def _week(shop: SessionFactory) -> None:
    """Places and moves the orders of the docstring."""
    async with shop.begin() as s:
        for sku in ("KRP-UBI-200", "SDL-KLT-01"):
            product = await s.scalar(select(Product).where(Product.sku == sku))
            assert product is not None
            product.stock_on_hand = 10
    async with shop.begin() as s:
        await place(s, "RTI-MNS-CKL", 10, now=wib(2026, 11, 18, 10), day=date(2026, 11, 19), buyer=1010, paid=True)
        i = await place(s, "PVB-CCG-6", 500, now=wib(2026, 11, 16, 10), buyer=1011)
        await pay(s, i, wib(2026, 11, 16, 11))
        g = await place(s, "PVB-BTA-6", 1000, now=wib(2026, 11, 23, 10), buyer=1007)
        await pay(s, g, wib(2026, 11, 23, 11))
        await place(s, "KRP-UBI-200", 4, now=wib(2026, 11, 24, 10), buyer=1005, paid=True)
        f = await place(s, "SDL-KLT-01", 1, now=wib(2026, 11, 24, 10), buyer=1006)
        await fulfilment.cancel_by_buyer(s, f, telegram_id=1006, now=wib(2026, 11, 24, 10, 5))
        h = await place(s, "PVB-HEX-6", 300, now=wib(2026, 11, 24, 10), buyer=1008)
        await pay(s, h, wib(2026, 11, 24, 11))
        await pay(s, h, wib(2026, 11, 25, 9))
        await fulfilment.start_production(s, h, staff_telegram_id=BAKER, now=wib(2026, 11, 25, 9, 30))
        await place(s, "RTI-MNS-CKL", 20, now=wib(2026, 11, 25, 10), day=date(2026, 11, 26), buyer=1001, paid=True)
        b = await place(s, "RTI-MNS-KJU", 10, now=wib(2026, 11, 25, 10), day=date(2026, 11, 26), buyer=1002,
                        paid=True)
        await place(s, "RTI-SBK-10", 2, now=wib(2026, 11, 25, 10), day=date(2026, 11, 26), buyer=1004)
        await payments.expire_due(s, now=wib(2026, 11, 25, 11, 1))
        await place(s, "RTI-MNS-CKL", 5, now=wib(2026, 11, 26, 10), day=date(2026, 11, 27), buyer=1003)
        await fulfilment.mark_ready(s, b, staff_telegram_id=BAKER, now=wib(2026, 11, 26, 9))
        await fulfilment.mark_no_show(s, b, actor_id=None, now=wib(2026, 11, 26, 17))
        await pay(s, i, wib(2026, 11, 26, 10))
        await fulfilment.mark_ready(s, i, staff_telegram_id=BAKER, now=wib(2026, 11, 26, 11))
        await fulfilment.mark_handed_over(s, i, staff_telegram_id=BAKER, now=wib(2026, 11, 27, 9))
        refused = (
            ("past_cutoff", 10, wib(2026, 11, 24, 15)), ("past_cutoff", 5, wib(2026, 11, 25, 15)),
            ("capacity_full", 50, wib(2026, 11, 26, 9)), ("past_cutoff", 7, wib(2026, 11, 20, 9)),
        )
        for reason, qty, when in refused:
            await demand.record_refusal(s, reason=reason, sku="RTI-MNS-CKL", quantity=qty, day=None, now=when)


async def test_every_figure_of_the_weekly_summary(shop: SessionFactory) -> None:
    await _week(shop)
    async with shop() as s:
        summary = await weekly.weekly_summary(s, date(2026, 11, 26))
    assert summary.monday == MONDAY and summary.sunday == date(2026, 11, 29)
    figures = {c.slug: (c.units, c.revenue, c.prev_units, c.prev_revenue) for c in summary.categories}
    assert figures == {
        "roti": (30, 110_000, 10, 35_000),
        "paving": (1_300, 3_080_000, 500, 1_150_000),
        "keripik": (4, 60_000, 0, 0),
    }
    assert (summary.units, summary.revenue, summary.prev_revenue) == (1_334, 3_250_000, 1_185_000)
    roti = next(c for c in summary.categories if c.slug == "roti")
    assert roti.change_pct == 214
    assert [(p.sku, p.units, p.revenue) for p in summary.top_products] == [
        ("PVB-BTA-6", 1_000, 2_000_000),
        ("PVB-HEX-6", 300, 1_080_000),
        ("RTI-MNS-CKL", 20, 70_000),
        ("KRP-UBI-200", 4, 60_000),
        ("RTI-MNS-KJU", 10, 40_000),
    ]
    assert (summary.paid.orders, summary.paid.amount) == (5, 3_250_000)
    assert (summary.unpaid.orders, summary.unpaid.amount) == (1, 17_500)
    assert (summary.expired.orders, summary.expired.amount) == (1, 36_000)
    assert (summary.cancelled.orders, summary.cancelled.amount) == (1, 85_000)
    assert summary.received == 70_000 + 40_000 + 60_000 + 1_000_000 + 540_000 + 540_000 + 575_000
    assert (summary.no_show.orders, summary.no_show.amount, summary.no_show_units) == (1, 40_000, 10)
    assert summary.surplus_units == (48 - 20) + (48 - 10)
    assert summary.refusals.by_reason == {"past_cutoff": (2, 15), "capacity_full": (1, 50)}
    p = summary.paving
    assert (p.ordered, p.curing, p.ready, p.delivered, p.balances_due, p.balance_orders) == (
        1_000, 300, 0, 500, 1_000_000, 1
    )
    assert all(c.basis is SplitBasis.PROFIT and (c.pnbp_pct, c.premi_pct, c.capital_pct) == (15, 50, 35)
               for c in summary.categories)
    split = {s.name: (s.base_amount, s.pnbp, s.premi, s.capital) for s in summary.split}
    assert sorted(split.values()) == sorted([
        (33_000, 4_950, 16_500, 11_550),
        (924_000, 138_600, 462_000, 323_400),
        (18_000, 2_700, 9_000, 6_300),
    ])
    total = summary.split_total
    assert (total.base_amount, total.pnbp, total.premi, total.capital) == (975_000, 146_250, 487_500, 341_250)
    assert len(summary.rows) == 8
    assert {r.status for r in summary.rows} >= {OrderStatus.NO_SHOW.value, OrderStatus.EXPIRED.value}


async def test_the_summary_text_labels_the_split_as_an_estimate(shop: SessionFactory) -> None:
    from bot.render.weekly import weekly_summary_html

    await _week(shop)
    async with shop() as s:
        summary = await weekly.weekly_summary(s, MONDAY)
    text = weekly_summary_html(summary, "id")
    assert "Senin, 23 November 2026 – Minggu, 29 November 2026" in text
    assert "Penjualan: <b>Rp3.250.000</b> (1.334 unit) · minggu lalu Rp1.185.000 (+174%)" in text
    assert "Pembagian (estimasi)" in text and "PNBP Rp146.250 · premi Rp487.500 · modal Rp341.250" in text
    assert "Lewat batas pesan: 2 (15 unit) · kapasitas penuh: 1 (50 unit)" in text
    assert "Sisa tagihan: Rp1.000.000 (1 pesanan)" in text
    assert "estimasi" in weekly_summary_html(summary, "en")
