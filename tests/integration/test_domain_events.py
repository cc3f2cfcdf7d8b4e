"""Domain events reach their observer once their transaction commits, and never for work that was undone: a
rolled-back transaction, a savepoint rolled back inside a committed one, an order replayed by its checkout key."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import events, qris
from models.catalog import Family
from models.db import SessionFactory
from models.payment import PaymentMethod
from models.services import payments
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import POLICY, order

FRIDAY_10 = wib(2026, 11, 27, 10, 0)
STAFF_ID = 777_001
PAY = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout)


class Refused(Exception):
    """Stands for a rule that refuses the rest of a checkout after one order was placed."""


async def test_orders_are_heard_once_committed_and_never_when_undone(shop: SessionFactory) -> None:
    heard: list[events.DomainEvent] = []
    events.observe(shop, heard.append)
    async with shop.begin() as session:
        await order(session, "TAS-HB-01", 1, now=FRIDAY_10, checkout_key="c-1")
        assert heard == []  # not before the commit
    assert heard == [events.OrderPlaced(Family.GOODS)]

    with pytest.raises(Refused):
        async with shop.begin() as session:
            await order(session, "TAS-HB-01", 1, now=FRIDAY_10)
            raise Refused
    async with shop.begin() as session:  # a savepoint undone inside a transaction that commits
        with pytest.raises(Refused):
            async with session.begin_nested():
                await order(session, "TAS-HB-01", 1, now=FRIDAY_10, telegram_id=1002)
                raise Refused
        async with session.begin_nested():
            await order(session, "TAS-HB-01", 1, now=FRIDAY_10, telegram_id=1003)
    async with shop.begin() as session:  # the same checkout again (a double tap): the order is replayed
        await order(session, "TAS-HB-01", 1, now=FRIDAY_10, checkout_key="c-1")
    assert heard == [events.OrderPlaced(Family.GOODS)] * 2


async def test_confirmed_payments_are_heard_with_their_method(shop: SessionFactory) -> None:
    heard: list[events.DomainEvent] = []
    events.observe(shop, heard.append)
    async with shop.begin() as session:
        paving = await order(session, "PVB-BTA-6", 2310, now=FRIDAY_10)
        deposit = await payments.issue_payment(session, paving, PAY, now=FRIDAY_10)
        await payments.confirm_payment(session, deposit, staff_telegram_id=STAFF_ID,
                                       now=FRIDAY_10 + timedelta(minutes=5))
        await payments.record_cash_payment(session, paving, 2_310_000, staff_telegram_id=STAFF_ID,
                                           now=FRIDAY_10 + timedelta(minutes=20))
    assert heard == [events.OrderPlaced(Family.PAVING), events.PaymentConfirmed(PaymentMethod.QRIS),
                     events.PaymentConfirmed(PaymentMethod.CASH)]


async def test_a_failing_observer_never_undoes_the_commit(shop: SessionFactory) -> None:
    def broken(_: events.DomainEvent) -> None:
        raise RuntimeError("metrics are down")

    events.observe(shop, broken)
    async with shop.begin() as session:
        placed = await order(session, "TAS-HB-01", 1, now=FRIDAY_10)
    async with shop() as session:
        assert await session.get(type(placed), placed.id) is not None
