"""A property test (hypothesis): whatever buyers, staff and the expiry job do, in any order, and however the code
is picked (at random, always the lowest or the highest free one), no two open codes ask for the same amount; each
QR asks for its instalment plus its code, within the QRIS limit; and orders count their instalments only."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import qris
from models.db import SessionFactory, create_engine, create_session_factory
from models.entities import Base
from models.errors import DomainError
from models.order import Order, OrderStatus
from models.payment import UNIQUE_CODE_MAX, Payment, PaymentState
from models.rules.codes import new_order_code
from models.services import customers, payments
from models.services.payments import PaymentPolicy
from tests.conftest import wib

START = wib(2026, 11, 27, 8, 0)
LIMIT = 10_000_000
# Totals whose code ranges overlap (35.000 + 501..999 = 35.500 + 1..499), and one above the QRIS limit (split).
TOTALS = st.sampled_from([35_000, 35_000, 35_500, 36_000, 12_000_000])
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("order"), TOTALS),
        st.tuples(st.just("order"), TOTALS),
        st.tuples(st.just("pay"), st.integers(0, 30)),
        st.tuples(st.just("next"), st.integers(0, 30)),
        st.tuples(st.just("cash"), st.integers(0, 30)),
        st.tuples(st.just("expire"), st.integers(5, 90)),
    ),
    min_size=3, max_size=40,
)
PICKERS = st.sampled_from(["random", "lowest", "highest"])


def picker(kind: str, rng: random.Random) -> Any:
    """How the code is chosen among the free ones."""
    if kind == "lowest":
        return lambda free: free[0]
    if kind == "highest":
        return lambda free: free[-1]
    return lambda free: rng.choice(list(free))


async def _order(shop: SessionFactory, total: int, now: Any, n: int) -> None:
    """An order awaiting payment (a deposit above the QRIS limit) with its first code, as checkout leaves it."""
    async with shop.begin() as s:
        buyer = await customers.get_or_register(s, 5000 + n, f"Buyer {n}", "id")
        placed = Order(code=new_order_code(random.Random(n)), customer_id=buyer.id, family="bread",
                       status=OrderStatus.AWAITING_PAYMENT, fulfil_date=date(2026, 11, 30), total=total,
                       deposit_amount=total // 2 if total > LIMIT - UNIQUE_CODE_MAX else 0,
                       expires_at=now + timedelta(minutes=60), created_at=now)
        s.add(placed)
        await s.flush()
        await payments.issue_first_payment(s, placed, POLICY_HOLDER[0], now=now)


POLICY_HOLDER: list[PaymentPolicy] = []


async def _nth(shop: SessionFactory, model: Any, where: Any, k: int) -> Any:
    """The k-th row (modulo how many there are) of a query, or None."""
    async with shop() as s:
        rows = list(await s.scalars(select(model.id).where(where).order_by(model.id)))
    return rows[k % len(rows)] if rows else None


async def _act(shop: SessionFactory, action: Sequence[Any], now: Any, n: int) -> Any:
    """Plays one action; domain refusals are part of the game."""
    policy = POLICY_HOLDER[0]
    kind = action[0]
    try:
        if kind == "order":
            await _order(shop, action[1], now, n)
        elif kind == "pay":
            payment_id = await _nth(shop, Payment, Payment.state == PaymentState.PENDING, action[1])
            if payment_id is not None:
                async with shop.begin() as s:
                    await payments.confirm_payment(s, await payments.get_payment(s, payment_id),
                                                   staff_telegram_id=1, now=now)
        elif kind in ("next", "cash"):
            order_id = await _nth(shop, Order, Order.status.in_([OrderStatus.AWAITING_PAYMENT,
                                                                  OrderStatus.PARTIALLY_PAID]), action[1])
            if order_id is not None:
                async with shop.begin() as s:
                    found = await s.get(Order, order_id)
                    assert found is not None
                    if kind == "next":
                        await payments.issue_payment(s, found, policy, now=now)
                    else:
                        await payments.take_cash(s, found, found.balance_due, staff_telegram_id=1, now=now)
        elif kind == "expire":
            now = now + timedelta(minutes=action[1])
            async with shop.begin() as s:
                await payments.expire_due(s, now=now)
    except DomainError:
        pass
    return now


async def _check(shop: SessionFactory) -> None:
    """The invariants, read from the database."""
    async with shop() as s:
        rows = list(await s.scalars(select(Payment)))
        orders = list(await s.scalars(select(Order)))
    open_coded = [p for p in rows if p.state is PaymentState.PENDING]
    assert len({p.payable_amount for p in open_coded}) == len(open_coded), "two open codes share an amount"
    for p in rows:
        assert p.payable_amount == p.amount + p.unique_code
        if p.payload:
            assert 1 <= p.unique_code <= UNIQUE_CODE_MAX
            assert p.payable_amount <= LIMIT
            info = qris.describe(p.payload)
            assert info.amount is not None and int(info.amount) == p.payable_amount
    for o in orders:
        paid = sum(p.amount for p in rows if p.order_id == o.id and p.state is PaymentState.PAID)
        assert o.paid_amount == paid <= o.total


async def _play(actions: list[Sequence[Any]], pick: str, seed: int) -> None:
    """Plays a sequence on a fresh in-memory database, checking after every step."""
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        shop = create_session_factory(engine)
        POLICY_HOLDER[:] = [PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, unique_codes=True,
                                          pick_code=picker(pick, random.Random(seed)))]
        now = START
        for n, action in enumerate(actions):
            now = await _act(shop, action, now, n)
            await _check(shop)
    finally:
        await engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS, pick=PICKERS, seed=st.integers(0, 2**16))
def test_open_codes_never_share_an_amount(actions: list[Sequence[Any]], pick: str, seed: int) -> None:
    asyncio.run(_play(actions, pick, seed))
