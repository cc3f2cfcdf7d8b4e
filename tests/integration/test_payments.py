"""The payment lifecycle on SQLite and PostgreSQL: codes, confirmation, proofs, expiry, deposits, cash."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import qris
from models.audit import AuditEntry
from models.calendar import DayCapacity
from models.db import SessionFactory
from models.errors import AlreadyDone, AlreadyPaid, PaymentError
from models.order import ActorKind, Order, OrderSource, OrderStatus, StatusChange
from models.outbox import OutboxMessage
from models.payment import Payment, PaymentKind, PaymentMethod, PaymentState
from models.people import Customer, Role
from models.services import desk, payments, staff
from models.services.ordering import LineRequest, OrderRequest, place_order
from models.services.payments import PaymentPolicy
from tests.conftest import wib
from tests.integration.helpers import POLICY, PlainWords, order, product
from tests.integration.races import Contender, Work, run_race

SATURDAY = date(2026, 11, 28)
FRIDAY_10 = wib(2026, 11, 27, 10, 0)
LATER = FRIDAY_10 + timedelta(minutes=20)
STAFF_ID = 777_001
OTHER_STAFF_ID = 777_002
PAY = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout)
QRIS_LIMIT = 10_000_000


def _value(objects: list[qris.DataObject], tag: str) -> qris.DataObject:
    """The root object with `tag` (exactly one)."""
    [found] = [obj for obj in objects if obj.tag == tag]
    return found


def bill_number(payload: str) -> str:
    """The bill number (62.01) of a payload."""
    additional = _value(qris.validate(payload), "62")
    assert additional.children is not None
    [bill] = [sub.value for sub in additional.children if sub.tag == "01"]
    return bill


def assert_payable(payment: Payment, order_code: str) -> None:
    """The payment's code is a valid dynamic QRIS of the sample merchant for its exact amount and order."""
    assert payment.payload is not None
    objects = qris.validate(payment.payload)
    assert _value(objects, "01").value == "12"
    assert _value(objects, "54").value == str(payment.amount)
    base = order_code.replace("-", "")
    expected = {"full": base, "deposit": f"{base}DP"}.get(payment.kind.value)
    bill = bill_number(payment.payload)
    if expected is not None:
        assert bill == expected
    else:  # balances carry L<n>, n = payments already made, so each instalment reads differently
        assert bill.startswith(f"{base}L") and bill[len(base) + 1 :].isdigit()
    info = qris.describe(payment.payload)
    assert info.amount == Decimal(payment.amount)
    assert (info.merchant_name, info.nmid) == ("CONTOH KOPERASI KHM", "ID1020000000001")


async def load(session: AsyncSession, order_id: int) -> Order:
    """An order read fresh from the database, with its status history."""
    found = await session.get(Order, order_id, populate_existing=True, options=[selectinload(Order.history)])
    assert found is not None
    return found


async def paid_history(session: AsyncSession, order_id: int) -> list[StatusChange]:
    """The order's history rows that moved it to PAID."""
    rows = await session.scalars(
        select(StatusChange).where(StatusChange.order_id == order_id, StatusChange.to_status == OrderStatus.PAID)
    )
    return list(rows)


async def bread_order_with_code(shop: SessionFactory, qty: int = 10) -> tuple[int, int, str]:
    """A bread order for Saturday with its payment code issued: (order id, payment id, order code)."""
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", qty, now=FRIDAY_10, day=SATURDAY)
        payment = await payments.issue_payment(s, placed, PAY, now=FRIDAY_10)
        return placed.id, payment.id, placed.code


async def test_issuing_a_code_gives_a_dynamic_qris_for_the_exact_total(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY)
        payment = await payments.issue_payment(s, placed, PAY, now=FRIDAY_10)
        assert placed.total == 35_000
        assert (payment.kind, payment.method, payment.state) == (
            PaymentKind.FULL,
            PaymentMethod.QRIS,
            PaymentState.PENDING,
        )
        assert payment.amount == placed.total
        assert payment.expires_at == placed.expires_at == FRIDAY_10 + POLICY.payment_timeout
        assert_payable(payment, placed.code)
        assert "-" in placed.code and bill_number(payment.payload or "") == placed.code.replace("-", "")
        order_id, payment_id = placed.id, payment.id
    async with shop.begin() as s:
        again = await payments.issue_payment(s, await load(s, order_id), PAY, now=LATER)
        assert again.id == payment_id
        assert await s.scalar(select(func.count()).select_from(Payment)) == 1


async def test_staff_confirmation_marks_the_order_paid_and_records_who(shop: SessionFactory) -> None:
    order_id, payment_id, _ = await bread_order_with_code(shop)
    async with shop.begin() as s:
        confirmed = await payments.confirm_payment(
            s, await payments.get_payment(s, payment_id), staff_telegram_id=STAFF_ID, now=LATER
        )
        assert confirmed.id == order_id
    async with shop() as s:
        paid = await load(s, order_id)
        assert paid.status is OrderStatus.PAID
        assert paid.paid_amount == paid.total == 35_000
        assert paid.balance_due == 0
        assert paid.expires_at is None
        last = paid.history[-1]
        assert (last.from_status, last.to_status) == (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID)
        assert (last.actor_kind, last.actor_id, last.at) == (ActorKind.STAFF, STAFF_ID, LATER)
        payment = await payments.get_payment(s, payment_id)
        assert (payment.state, payment.confirmed_by, payment.paid_at) == (PaymentState.PAID, STAFF_ID, LATER)
        assert await payments.pending_payment(s, paid) is None
        with pytest.raises(AlreadyDone):
            await payments.issue_payment(s, paid, PAY, now=LATER)


async def test_confirming_twice_counts_once(shop: SessionFactory) -> None:
    order_id, payment_id, _ = await bread_order_with_code(shop)
    async with shop.begin() as s:
        await payments.confirm_payment(
            s, await payments.get_payment(s, payment_id), staff_telegram_id=STAFF_ID, now=LATER
        )
    async with shop.begin() as s:
        with pytest.raises(AlreadyDone):
            await payments.confirm_payment(
                s, await payments.get_payment(s, payment_id), staff_telegram_id=OTHER_STAFF_ID, now=LATER
            )
    async with shop() as s:
        paid = await load(s, order_id)
        assert (paid.status, paid.paid_amount) == (OrderStatus.PAID, 35_000)
        assert len(await paid_history(s, order_id)) == 1
        assert (await payments.get_payment(s, payment_id)).confirmed_by == STAFF_ID


async def test_two_staff_confirming_at_the_same_moment_count_once(shop: SessionFactory) -> None:
    """Two staff press "Konfirmasi" together. On PostgreSQL both read the code as unpaid before either writes;
    the one that comes second queues behind the first's lock and must not count the money again."""
    order_id, payment_id, _ = await bread_order_with_code(shop)

    def staff_member(telegram_id: int) -> Work[int]:
        async def confirm(s: AsyncSession, me: Contender) -> int:
            stale = await payments.get_payment(s, payment_id)
            if me.race.postgres:
                assert stale.state is PaymentState.PENDING  # read before anyone confirmed
            await me.all_have_read()
            await payments.confirm_payment(s, stale, staff_telegram_id=telegram_id, now=LATER)
            await me.hold()  # the other one is now waiting for this transaction
            return telegram_id

        return confirm

    results = await run_race(shop, [staff_member(STAFF_ID), staff_member(OTHER_STAFF_ID)])
    [winner] = [r for r in results if isinstance(r, int)]
    assert [type(r) for r in results if not isinstance(r, int)] == [AlreadyPaid], results
    async with shop() as s:
        paid = await load(s, order_id)
        assert (paid.status, paid.paid_amount) == (OrderStatus.PAID, 35_000)
        assert len(await paid_history(s, order_id)) == 1
        assert (await payments.get_payment(s, payment_id)).confirmed_by == winner


async def test_six_staff_pressing_konfirmasi_at_once_confirm_once_and_tell_the_buyer_once(
    shop: SessionFactory,
) -> None:
    """The whole desk action (role check, confirmation, audit, buyer notice) six times at once, each on its own
    connection: one confirmation, the money counted once, one notice; the others are told it was done."""
    order_id, payment_id, code = await bread_order_with_code(shop)
    team = [STAFF_ID + i for i in range(6)]
    async with shop.begin() as s:
        for telegram_id in team:
            await staff.add_staff(s, telegram_id, f"Petugas {telegram_id}", Role.STAFF)

    def staff_member(telegram_id: int) -> Work[int]:
        async def confirm(s: AsyncSession, me: Contender) -> int:
            await desk.confirm_payment(s, payment_id, staff_telegram_id=telegram_id, now=LATER,
                                       wording=PlainWords(), policy=PAY)
            await me.hold()  # everyone else is now waiting for this transaction
            return telegram_id

        return confirm

    results = await run_race(shop, [staff_member(t) for t in team])
    [winner] = [r for r in results if isinstance(r, int)]
    assert [type(r) for r in results if not isinstance(r, int)] == [AlreadyPaid] * 5, results
    async with shop() as s:
        paid = await load(s, order_id)
        assert (paid.status, paid.paid_amount) == (OrderStatus.PAID, 35_000)
        assert len(await paid_history(s, order_id)) == 1
        assert (await payments.get_payment(s, payment_id)).confirmed_by == winner
        notices = await s.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.template == "notice.paid"))
        assert list(notices) == [f"notice:{code}:paid:{payment_id}"]
        audit = await s.scalars(select(AuditEntry.actor_telegram_id).where(AuditEntry.action == "payment.confirm"))
        assert list(audit) == [winner]


async def _deadline_race(shop: SessionFactory, first: str) -> tuple[list[object], int, int]:
    """Staff confirm a 40-piece order at its payment deadline while the expiry job runs; `first` takes the order's
    lock and holds it until the other is queued behind it. Returns (results, order id, payment id)."""
    order_id, payment_id, _ = await bread_order_with_code(shop, qty=40)
    deadline = FRIDAY_10 + POLICY.payment_timeout
    holding = asyncio.Event()

    async def staff_confirms(s: AsyncSession, me: Contender) -> str:
        if first == "expiry":
            await holding.wait()
        await payments.confirm_payment(
            s, await payments.get_payment(s, payment_id), staff_telegram_id=STAFF_ID, now=deadline
        )
        if first == "confirmation":
            holding.set()
            await me.hold()
        return "confirmed"

    async def expiry_job(s: AsyncSession, me: Contender) -> list[str]:
        if first == "confirmation":
            await holding.wait()
        expired = await payments.expire_due(s, now=deadline)
        if first == "expiry":
            holding.set()
            await me.hold()
        return [o.code for o in expired]

    results = await run_race(shop, [staff_confirms, expiry_job])
    return list(results), order_id, payment_id


async def test_the_expiry_job_never_expires_an_order_confirmed_meanwhile(shop: SessionFactory) -> None:
    """Staff confirm at the deadline and the expiry job runs into their lock: the paid order must stay paid."""
    results, order_id, _ = await _deadline_race(shop, first="confirmation")
    assert results == ["confirmed", []]
    async with shop() as s:
        kept = await load(s, order_id)
        assert (kept.status, kept.paid_amount) == (OrderStatus.PAID, 35_000 * 4)
        assert await s.scalar(select(DayCapacity.committed)) == 40


async def test_a_confirmation_queued_behind_the_expiry_job_is_refused_and_counts_nothing(
    shop: SessionFactory,
) -> None:
    """The expiry job takes the order first; the staff member's confirmation waits for it, then finds the order
    expired: no money is counted on it and its capacity stays released."""
    results, order_id, payment_id = await _deadline_race(shop, first="expiry")
    refused, expired = results
    assert isinstance(refused, PaymentError), results  # the order expired while it waited
    async with shop() as s:
        gone = await load(s, order_id)
        assert expired == [gone.code]
        assert (gone.status, gone.paid_amount) == (OrderStatus.EXPIRED, 0)
        assert (await payments.get_payment(s, payment_id)).state is PaymentState.EXPIRED
        assert await s.scalar(select(DayCapacity.committed)) == 0


async def test_a_double_tapped_pay_button_issues_one_code(shop: SessionFactory) -> None:
    """Both taps have loaded the order (PostgreSQL) before either issues a code; the second queues behind the
    first's lock and gets the same code."""
    async with shop.begin() as s:
        order_id = (await order(s, "RTI-MNS-CKL", 10, now=FRIDAY_10, day=SATURDAY)).id

    async def tap(s: AsyncSession, me: Contender) -> int:
        unpaid = await load(s, order_id)
        await me.all_have_read()
        payment = await payments.issue_payment(s, unpaid, PAY, now=FRIDAY_10)
        await me.hold()  # the other tap is now waiting for this transaction (or done)
        return payment.id

    first, second = await run_race(shop, [tap, tap])
    assert first == second and isinstance(first, int), (first, second)
    async with shop() as s:
        assert await s.scalar(select(func.count()).select_from(Payment)) == 1


async def test_a_rejected_proof_leaves_the_code_payable(shop: SessionFactory) -> None:
    order_id, payment_id, _ = await bread_order_with_code(shop)
    async with shop.begin() as s:
        payment = await payments.attach_proof(s, await payments.get_payment(s, payment_id), "photo-file-1")
        assert payment.proof_file_id == "photo-file-1"
    async with shop.begin() as s:
        payment = await payments.reject_proof(
            s, await payments.get_payment(s, payment_id), staff_telegram_id=STAFF_ID, reason="dana belum masuk"
        )
    async with shop.begin() as s:
        payment = await payments.get_payment(s, payment_id)
        assert payment.state is PaymentState.PENDING
        assert payment.proof_file_id is None
        assert payment.note is not None and str(STAFF_ID) in payment.note and "dana belum masuk" in payment.note
        unpaid = await load(s, order_id)
        assert (unpaid.status, unpaid.paid_amount) == (OrderStatus.AWAITING_PAYMENT, 0)
        assert (await payments.issue_payment(s, unpaid, PAY, now=LATER)).id == payment_id
        # A second, real proof can follow, and the money is then confirmed.
        await payments.attach_proof(s, payment, "photo-file-2")
        await payments.confirm_payment(s, payment, staff_telegram_id=STAFF_ID, now=LATER)
    async with shop() as s:
        assert (await load(s, order_id)).status is OrderStatus.PAID
        payment = await payments.get_payment(s, payment_id)
        with pytest.raises(PaymentError):
            await payments.attach_proof(s, payment, "photo-file-3")
        with pytest.raises(AlreadyDone):
            await payments.reject_proof(s, payment, staff_telegram_id=STAFF_ID, reason="late")


async def test_unpaid_orders_expire_after_the_timeout_and_give_back_capacity_and_stock(
    shop: SessionFactory,
) -> None:
    async with shop.begin() as s:
        bread = await order(s, "RTI-MNS-CKL", 40, now=FRIDAY_10, day=SATURDAY)
        bag = await order(s, "TAS-HB-01", 2, now=FRIDAY_10, telegram_id=1002)
        paid = await order(s, "RTI-MNS-CKL", 5, now=FRIDAY_10, day=SATURDAY, telegram_id=1003)
        codes = {o.id: await payments.issue_payment(s, o, PAY, now=FRIDAY_10) for o in (bread, bag, paid)}
        await payments.confirm_payment(s, codes[paid.id], staff_telegram_id=STAFF_ID, now=LATER)
        ids = (bread.id, bag.id, paid.id)
        bread_payment_id = codes[bread.id].id
    async with shop() as s:
        assert await s.scalar(select(DayCapacity.committed)) == 45
        assert (await product(s, "TAS-HB-01")).stock_on_hand == 18

    deadline = FRIDAY_10 + POLICY.payment_timeout
    async with shop.begin() as s:
        assert await payments.expire_due(s, now=deadline - timedelta(seconds=1)) == []
    async with shop.begin() as s:
        expired = await payments.expire_due(s, now=deadline)
        assert sorted(o.id for o in expired) == sorted(ids[:2])
    async with shop.begin() as s:
        assert await payments.expire_due(s, now=deadline + timedelta(hours=1)) == []

    async with shop() as s:
        for order_id in ids[:2]:
            gone = await load(s, order_id)
            assert gone.status is OrderStatus.EXPIRED
            last = gone.history[-1]
            assert (last.from_status, last.to_status, last.actor_kind, last.actor_id, last.at) == (
                OrderStatus.AWAITING_PAYMENT,
                OrderStatus.EXPIRED,
                ActorKind.SYSTEM,
                None,
                deadline,
            )
            states = await s.scalars(select(Payment.state).where(Payment.order_id == order_id))
            assert list(states) == [PaymentState.EXPIRED]
        assert (await load(s, ids[2])).status is OrderStatus.PAID
        assert await s.scalar(select(DayCapacity.committed)) == 5  # only the paid order still holds capacity
        assert (await product(s, "TAS-HB-01")).stock_on_hand == 20

    late = deadline + timedelta(minutes=5)
    async with shop.begin() as s:
        with pytest.raises(PaymentError):
            await payments.confirm_payment(
                s, await payments.get_payment(s, bread_payment_id), staff_telegram_id=STAFF_ID, now=late
            )
    async with shop.begin() as s:
        # An expired order gets no fresh code either: money paid to it could never be confirmed.
        with pytest.raises(PaymentError):
            await payments.issue_payment(s, await load(s, ids[0]), PAY, now=late)
    async with shop() as s:
        gone = await load(s, ids[0])
        assert (gone.status, gone.paid_amount) == (OrderStatus.EXPIRED, 0)
        assert (await payments.get_payment(s, bread_payment_id)).state is PaymentState.EXPIRED
        assert await s.scalar(select(func.count()).select_from(Payment).where(Payment.order_id == ids[0])) == 1


async def test_paving_deposit_then_balance(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "PVB-BTA-6", 2310, now=FRIDAY_10)
        assert (placed.total, placed.deposit_amount) == (4_620_000, 2_310_000)
        deposit = await payments.issue_payment(s, placed, PAY, now=FRIDAY_10)
        assert (deposit.kind, deposit.amount) == (PaymentKind.DEPOSIT, 2_310_000)
        assert deposit.expires_at == placed.expires_at
        assert_payable(deposit, placed.code)
        order_id, code, buyer_id = placed.id, placed.code, placed.customer_id
    async with shop.begin() as s:
        await payments.confirm_payment(
            s, await payments.get_payment(s, deposit.id), staff_telegram_id=STAFF_ID, now=LATER
        )
    async with shop.begin() as s:
        half = await load(s, order_id)
        assert (half.status, half.paid_amount, half.balance_due) == (OrderStatus.PARTIALLY_PAID, 2_310_000, 2_310_000)
        assert half.expires_at is None
        # A paid deposit is never expired by the payment timeout.
        assert await payments.expire_due(s, now=LATER + timedelta(days=2)) == []
        balance = await payments.issue_payment(s, half, PAY, now=LATER)
        assert (balance.kind, balance.amount, balance.state) == (PaymentKind.BALANCE, 2_310_000, PaymentState.PENDING)
        assert balance.expires_at == LATER + PAY.timeout
        assert_payable(balance, code)
    async with shop.begin() as s:
        await payments.confirm_payment(
            s, await payments.get_payment(s, balance.id), staff_telegram_id=OTHER_STAFF_ID, now=LATER
        )
    async with shop() as s:
        done = await load(s, order_id)
        assert (done.status, done.paid_amount) == (OrderStatus.PAID, 4_620_000)
        assert [(h.to_status, h.actor_id) for h in done.history] == [
            (OrderStatus.AWAITING_PAYMENT, buyer_id),
            (OrderStatus.PARTIALLY_PAID, STAFF_ID),
            (OrderStatus.PAID, OTHER_STAFF_ID),
        ]


async def _pay_in_instalments(shop: SessionFactory, order_id: int) -> list[Payment]:
    """Issues and confirms codes until the order is paid, each in its own unit of work."""
    issued: list[Payment] = []
    for step in range(10):
        async with shop.begin() as s:
            current = await load(s, order_id)
            if current.balance_due == 0:
                return issued
            payment = await payments.issue_payment(s, current, PAY, now=LATER + timedelta(hours=step))
            assert_payable(payment, current.code)
            await payments.confirm_payment(s, payment, staff_telegram_id=STAFF_ID, now=LATER + timedelta(hours=step))
            issued.append(payment)
    raise AssertionError("order not paid after 10 instalments")


async def test_a_large_order_is_paid_in_chunks_within_the_qris_limit(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "PVB-BTA-8", 10_000, now=FRIDAY_10)
        assert (placed.total, placed.deposit_amount) == (28_000_000, 10_000_000)
        order_id = placed.id
    issued = await _pay_in_instalments(shop, order_id)
    assert [(p.kind, p.amount) for p in issued] == [
        (PaymentKind.DEPOSIT, 10_000_000),
        (PaymentKind.BALANCE, 10_000_000),
        (PaymentKind.BALANCE, 8_000_000),
    ]
    assert all(1 <= p.amount <= QRIS_LIMIT for p in issued)
    assert sum(p.amount for p in issued) == 28_000_000
    async with shop() as s:
        done = await load(s, order_id)
        assert (done.status, done.paid_amount) == (OrderStatus.PAID, 28_000_000)
        assert [h.to_status for h in done.history] == [
            OrderStatus.AWAITING_PAYMENT,
            OrderStatus.PARTIALLY_PAID,
            OrderStatus.PAID,
        ]


async def test_goods_above_the_limit_get_a_deposit_too(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        chairs = await order(s, "MBL-KRS-01", 30, now=FRIDAY_10)
        assert (chairs.total, chairs.deposit_amount) == (13_500_000, 6_750_000)
        order_id = chairs.id
    issued = await _pay_in_instalments(shop, order_id)
    assert [(p.kind, p.amount) for p in issued] == [(PaymentKind.DEPOSIT, 6_750_000), (PaymentKind.BALANCE, 6_750_000)]


async def walk_in(session: AsyncSession, sku: str, qty: int) -> tuple[Order, int]:
    """A counter sale entered by staff for a buyer without Telegram: (order, staff telegram id)."""
    clerk = await staff.add_staff(session, STAFF_ID, "Kasir Galeri", Role.STAFF)
    guest = Customer(name="Pembeli Galeri", telegram_id=None)
    session.add(guest)
    await session.flush()
    placed = await place_order(
        session,
        OrderRequest(
            customer_id=guest.id,
            lines=[LineRequest((await product(session, sku)).id, qty)],
            source=OrderSource.WALK_IN,
            placed_by_staff_id=clerk.id,
        ),
        now=FRIDAY_10,
        policy=POLICY,
    )
    return placed, clerk.telegram_id


async def test_cash_payment_for_a_walk_in(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed, clerk = await walk_in(s, "TAS-HB-01", 1)
        assert (placed.total, placed.deposit_amount, placed.source) == (125_000, 0, OrderSource.WALK_IN)
        await payments.record_cash_payment(s, placed, 125_000, staff_telegram_id=clerk, now=FRIDAY_10)
        order_id = placed.id
    async with shop() as s:
        sold = await load(s, order_id)
        assert (sold.status, sold.paid_amount) == (OrderStatus.PAID, 125_000)
        assert [(h.to_status, h.actor_kind) for h in sold.history] == [
            (OrderStatus.AWAITING_PAYMENT, ActorKind.STAFF),
            (OrderStatus.PAID, ActorKind.STAFF),
        ]
        assert sold.history[-1].actor_id == clerk
        [cash] = list(await s.scalars(select(Payment).where(Payment.order_id == order_id)))
        assert (cash.method, cash.kind, cash.state, cash.amount) == (
            PaymentMethod.CASH,
            PaymentKind.FULL,
            PaymentState.PAID,
            125_000,
        )
        assert (cash.payload, cash.confirmed_by, cash.paid_at) == (None, clerk, FRIDAY_10)
        assert (await product(s, "TAS-HB-01")).stock_on_hand == 19


async def test_cash_after_a_qris_code_closes_the_code_and_never_overpays(shop: SessionFactory) -> None:
    """A buyer shown a QRIS code pays at the counter instead: the code cannot then be confirmed on top."""
    async with shop.begin() as s:
        placed, clerk = await walk_in(s, "SDL-KLT-01", 2)
        code = await payments.issue_payment(s, placed, PAY, now=FRIDAY_10)
        with pytest.raises(PaymentError):
            await payments.record_cash_payment(s, placed, 170_001, staff_telegram_id=clerk, now=FRIDAY_10)
        for bad in (0, -1):
            with pytest.raises(PaymentError):
                await payments.record_cash_payment(s, placed, bad, staff_telegram_id=clerk, now=FRIDAY_10)
        await payments.record_cash_payment(s, placed, 170_000, staff_telegram_id=clerk, now=FRIDAY_10)
        order_id, code_id = placed.id, code.id
    async with shop.begin() as s:
        with pytest.raises(AlreadyDone):
            await payments.confirm_payment(
                s, await payments.get_payment(s, code_id), staff_telegram_id=clerk, now=LATER
            )
    async with shop() as s:
        sold = await load(s, order_id)
        assert (sold.status, sold.paid_amount) == (OrderStatus.PAID, 170_000)
        assert await payments.pending_payment(s, sold) is None
        paid = await s.scalar(
            select(func.sum(Payment.amount)).where(Payment.order_id == order_id, Payment.state == PaymentState.PAID)
        )
        assert paid == 170_000


async def test_cash_for_the_balance_after_a_qris_deposit(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "PVB-BTA-6", 2310, now=FRIDAY_10)
        deposit = await payments.issue_payment(s, placed, PAY, now=FRIDAY_10)
        await payments.confirm_payment(s, deposit, staff_telegram_id=STAFF_ID, now=LATER)
        await payments.record_cash_payment(s, placed, 2_310_000, staff_telegram_id=STAFF_ID, now=LATER)
        order_id = placed.id
    async with shop() as s:
        done = await load(s, order_id)
        assert (done.status, done.paid_amount) == (OrderStatus.PAID, 4_620_000)
        rows = list(await s.scalars(select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)))
        assert [(p.kind, p.method, p.amount) for p in rows] == [
            (PaymentKind.DEPOSIT, PaymentMethod.QRIS, 2_310_000),
            (PaymentKind.BALANCE, PaymentMethod.CASH, 2_310_000),
        ]


async def test_an_unpaid_balance_code_expires_but_the_order_stays(shop: SessionFactory) -> None:
    async with shop.begin() as s:
        placed = await order(s, "PVB-BTA-6", 2310, now=FRIDAY_10)
        deposit = await payments.issue_payment(s, placed, PAY, now=FRIDAY_10)
        order_id = placed.id
    async with shop.begin() as s:
        await payments.confirm_payment(
            s, await payments.get_payment(s, deposit.id), staff_telegram_id=STAFF_ID, now=LATER
        )
    async with shop.begin() as s:
        balance = await payments.issue_payment(s, await load(s, order_id), PAY, now=LATER)
        first_payload = balance.payload
    async with shop.begin() as s:
        assert await payments.expire_due(s, now=LATER + PAY.timeout + timedelta(seconds=1)) == []
    async with shop.begin() as s:
        assert (await payments.get_payment(s, balance.id)).state is PaymentState.EXPIRED
        again = await load(s, order_id)
        assert again.status is OrderStatus.PARTIALLY_PAID
        fresh = await payments.issue_payment(s, again, PAY, now=LATER + timedelta(hours=2))
        assert fresh.id != balance.id and fresh.state is PaymentState.PENDING
        assert fresh.payload == first_payload  # same amount, same instalment number: the same code again
