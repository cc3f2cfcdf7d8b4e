"""Unique amounts ("kode unik") on SQLite and PostgreSQL: each open code's payable amount is its own, however many
buyers press Konfirmasi at once; the QR asks for it; the order and its sales count the instalment only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import qris
from models.db import SessionFactory
from models.errors import NoUniqueCodeLeft
from models.order import Order, OrderStatus
from models.payment import UNIQUE_CODE_MAX, Payment, PaymentKind, PaymentState
from models.services import payments
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import POLICY, order
from tests.integration.races import Contender, run_race

SATURDAY = date(2026, 11, 28)
FRIDAY_10 = wib(2026, 11, 27, 10, 0)
STAFF_ID = 777_001
CODED = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout, unique_codes=True)


def qr_amount(payment: Payment) -> int:
    """The amount (tag 54) the payment's QRIS asks for."""
    info = qris.describe(payment.payload or "")
    assert info.amount is not None
    return int(info.amount)


async def open_codes(session: AsyncSession) -> list[Payment]:
    """Every open payment code."""
    return list(await session.scalars(select(Payment).where(Payment.state == PaymentState.PENDING)))


async def test_a_code_asks_for_the_instalment_plus_its_unique_code_and_the_order_counts_only_the_instalment(
    shop: SessionFactory,
) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY)
        payment = await payments.issue_payment(s, placed, CODED, now=FRIDAY_10)
        payment_id, order_id = payment.id, placed.id
    assert payment.amount == 35_000
    assert 1 <= payment.unique_code <= UNIQUE_CODE_MAX
    assert payment.payable_amount == 35_000 + payment.unique_code == qr_amount(payment)
    async with shop.begin() as s:
        await payments.confirm_payment(s, await payments.get_payment(s, payment_id), staff_telegram_id=STAFF_ID,
                                       now=FRIDAY_10 + timedelta(minutes=5))
    async with shop() as s:
        paid = await s.get(Order, order_id)
        assert paid is not None
        assert (paid.status, paid.paid_amount, paid.total) == (OrderStatus.PAID, 35_000, 35_000)


async def test_without_the_setting_no_code_is_added(shop: SessionFactory) -> None:
    plain = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout)
    async with shop.begin() as s:
        first = await payments.issue_payment(s, await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY),
                                             plain, now=FRIDAY_10)
        second = await payments.issue_payment(
            s, await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, telegram_id=1002), plain, now=FRIDAY_10
        )
    assert (first.unique_code, second.unique_code) == (0, 0)
    assert first.payable_amount == second.payable_amount == qr_amount(first) == 35_000


async def test_a_code_freed_by_payment_can_be_used_again_but_never_while_open(shop: SessionFactory) -> None:
    lowest = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, unique_codes=True, pick_code=min)
    async with shop.begin() as s:
        first = await payments.issue_payment(s, await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY),
                                             lowest, now=FRIDAY_10)
        second = await payments.issue_payment(
            s, await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, telegram_id=1002), lowest,
            now=FRIDAY_10,
        )
        assert (first.unique_code, second.unique_code) == (1, 2)
        await payments.confirm_payment(s, first, staff_telegram_id=STAFF_ID, now=FRIDAY_10)
        third = await payments.issue_payment(
            s, await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, telegram_id=1003), lowest,
            now=FRIDAY_10,
        )
    assert third.unique_code == 1  # the paid code's amount is free again


async def test_an_order_at_the_qris_limit_is_split_so_each_code_stays_within_it(shop: SessionFactory) -> None:
    """Paving of Rp9.999.500 fits one QRIS without a code; with codes it gets a deposit and a balance, each
    payable amount within Rp10.000.000."""
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY)
        placed.total = 9_999_500  # as if a large order: only the money rules matter here
        payment = await payments.issue_payment(s, placed, CODED, now=FRIDAY_10)
        assert payment.amount == CODED.max_amount - UNIQUE_CODE_MAX
        assert payment.payable_amount <= CODED.max_amount
        await payments.confirm_payment(s, payment, staff_telegram_id=STAFF_ID, now=FRIDAY_10)
        balance = await payments.issue_payment(s, placed, CODED, now=FRIDAY_10)
    assert balance.kind is PaymentKind.BALANCE
    assert balance.amount == 9_999_500 - payment.amount
    assert payment.amount + balance.amount == 9_999_500


async def test_when_every_code_of_an_amount_is_open_the_next_one_is_refused_politely(shop: SessionFactory) -> None:
    """996 open codes of Rp35.000 (as if that many buyers were paying) leave codes 1, 2 and 3: three more orders of
    that amount get them, the fourth is refused with a domain error instead of sharing an amount."""
    async with shop.begin() as s:
        filler = await order(s, "RTI-MNS-CKL", 1, now=FRIDAY_10, day=SATURDAY, telegram_id=2000)
        s.add_all(Payment(order_id=filler.id, kind=PaymentKind.FULL, amount=35_000, unique_code=c,
                          state=PaymentState.PENDING, created_at=FRIDAY_10) for c in range(4, UNIQUE_CODE_MAX + 1))
        placed = [await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, telegram_id=1001 + i)
                  for i in range(4)]
        codes = [(await payments.issue_payment(s, o, CODED, now=FRIDAY_10)).unique_code for o in placed[:3]]
        assert sorted(codes) == [1, 2, 3]
        with pytest.raises(NoUniqueCodeLeft):
            await payments.issue_payment(s, placed[3], CODED, now=FRIDAY_10)


@pytest.mark.parametrize("contenders", [4])
async def test_buyers_pressing_konfirmasi_at_once_never_share_an_amount(shop: SessionFactory, contenders: int) -> None:
    """Every contender picks the lowest free code, so on PostgreSQL they all read before anyone commits and choose
    the same one: the index lets one through, the others wait for it, lose and choose again. On SQLite one writer
    runs at a time and each sees the codes taken before it."""
    async with shop.begin() as s:
        order_ids = [(await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY, telegram_id=1001 + n)).id
                     for n in range(contenders)]
    picks: list[int] = []

    def lowest(free: Sequence[int]) -> int:
        picks.append(free[0])
        return free[0]

    policy = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, unique_codes=True, pick_code=lowest)

    def press(order_id: int) -> object:
        async def work(s: AsyncSession, me: Contender) -> int:
            placed = await s.get(Order, order_id)
            assert placed is not None
            payment = await payments.issue_payment(s, placed, policy, now=FRIDAY_10)
            await me.hold()  # the others are now waiting for this unit of work (or done)
            return payment.payable_amount

        return work

    results = await run_race(shop, [press(i) for i in order_ids])  # type: ignore[list-item]
    assert all(isinstance(r, int) for r in results), results
    assert sorted(results) == [35_000 + c for c in range(1, contenders + 1)]  # type: ignore[type-var]
    async with shop() as s:
        opened = await open_codes(s)
    assert sorted(p.payable_amount for p in opened) == sorted(results)  # type: ignore[type-var]
    assert all(qr_amount(p) == p.payable_amount for p in opened)
    if shop.kw["bind"].dialect.name == "postgresql":
        assert len(picks) > contenders, "the contenders never met at the index: the race was not run"
