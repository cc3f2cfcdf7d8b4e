"""Statement matching on SQLite and PostgreSQL: generated CSV and XLSX exports of both header styles are read, their
rows matched to open codes (by unique amount in the payment window, or by bill number), confirmed once however
often or by however many staff, and what is left over is listed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import qris
from models.audit import AuditEntry
from models.db import SessionFactory
from models.errors import NotAllowed, ProposalConfirmed, ProposalGone
from models.order import Order, OrderStatus
from models.outbox import OutboxMessage
from models.payment import ConfirmedVia, Payment, PaymentState
from models.people import Role as StaffRole
from models.rules.statement_columns import Role
from models.rules.statement_matching import Why
from models.services import payments, staff, statements
from models.services.payments import PaymentPolicy
from models.services.statements import Proposal, Question
from tests.conftest import wib
from tests.integration.helpers import POLICY, PlainWords, order
from tests.integration.races import Contender, run_race
from tests.support.statements import Txn, export

SATURDAY = date(2026, 11, 28)
OPENED = wib(2026, 11, 27, 10, 0)
NOW = wib(2026, 11, 27, 12, 0)
STAFF_ID, OTHER_STAFF_ID = 777_001, 777_002
CODED = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout, unique_codes=True)
PLAIN = PaymentPolicy(merchant_payload=qris.SAMPLE_MERCHANT_PAYLOAD, timeout=POLICY.payment_timeout)
LOOKBACK = POLICY.payment_timeout
WORDS = PlainWords()
FORMATS = [("csv", "id"), ("csv", "en"), ("xlsx", "id"), ("xlsx", "en")]


async def _staff(shop: SessionFactory, *ids: int) -> None:
    """Staff members who may send statements."""
    async with shop.begin() as s:
        for telegram_id in ids:
            await staff.add_staff(s, telegram_id, f"Petugas {telegram_id}", StaffRole.STAFF)


async def _codes(shop: SessionFactory, count: int, policy: PaymentPolicy = CODED) -> list[Payment]:
    """`count` bread orders of Rp35.000 placed at 10.00 WIB, each with its open code."""
    async with shop.begin() as s:
        return [
            await payments.issue_payment(
                s, await order(s, "RTI-MNS-CKL", 10, now=OPENED, day=SATURDAY, telegram_id=1001 + n), policy,
                now=OPENED,
            )
            for n in range(count)
        ]


async def _send(shop: SessionFactory, data: bytes, name: str = "mutasi.csv", staff_id: int = STAFF_ID) -> Proposal:
    """A staff member sends a statement whose columns the headers tell."""
    async with shop.begin() as s:
        outcome = await statements.receive(s, data, name, staff_telegram_id=staff_id, now=NOW, lookback=LOOKBACK)
    assert isinstance(outcome, Proposal), outcome
    return outcome


async def _confirm(shop: SessionFactory, token: str, staff_id: int = STAFF_ID) -> statements.Confirmation:
    """A staff member presses the one confirm button."""
    async with shop.begin() as s:
        return await statements.confirm(s, token, staff_telegram_id=staff_id, now=NOW, wording=WORDS, policy=CODED)


async def _state(session: AsyncSession, payment_id: int) -> tuple[PaymentState, ConfirmedVia | None, str | None]:
    """A payment's state, how it was confirmed and the reference kept."""
    found = (await session.execute(
        select(Payment.state, Payment.confirmed_via, Payment.reference).where(Payment.id == payment_id)
    )).one()  # fmt: skip
    return found[0], found[1], found[2]


@pytest.mark.parametrize(("kind", "style"), FORMATS)
async def test_an_export_of_either_style_pays_the_codes_its_rows_match_and_lists_the_rest(
    shop: SessionFactory, kind: str, style: str
) -> None:
    await _staff(shop, STAFF_ID)
    paid, twice, waiting = await _codes(shop, 3)
    rows = [
        Txn(paid.payable_amount, OPENED + timedelta(minutes=7), "RRN0001"),
        Txn(twice.payable_amount, OPENED + timedelta(minutes=9), "RRN0002"),
        Txn(twice.payable_amount, OPENED + timedelta(minutes=11), "RRN0003"),  # the same buyer paid again
        Txn(waiting.payable_amount, OPENED - timedelta(days=1), "RRN0004"),  # before the order existed
        Txn(77_777, OPENED + timedelta(minutes=20), "RRN0005"),  # someone else's money
    ]
    proposal = await _send(shop, export(rows, kind, style), f"mutasi.{kind}")
    result = proposal.result
    assert [(m.payment_id, m.reference) for m in result.matches] == [(paid.id, "RRN0001"), (twice.id, "RRN0002")]
    assert sorted(u.why for u in result.unmatched if u.amount) == sorted(
        [Why.DUPLICATE, Why.NO_MATCH, Why.NO_MATCH]
    )
    duplicate = next(u for u in result.unmatched if u.why is Why.DUPLICATE)
    assert duplicate.amount == twice.payable_amount
    assert [i.payment_id for i in result.open_left] == [waiting.id]
    assert proposal.columns[Role.AMOUNT] in ("Nominal", "Amount")

    done = await _confirm(shop, proposal.token)
    assert sorted(code for code, _ in done.confirmed) == sorted([paid.order.code, twice.order.code])
    async with shop() as s:
        assert await _state(s, paid.id) == (PaymentState.PAID, ConfirmedVia.STATEMENT, "RRN0001")
        assert (await _state(s, waiting.id))[0] is PaymentState.PENDING
        settled = await s.get(Order, twice.order_id)
        assert settled is not None and (settled.status, settled.paid_amount) == (OrderStatus.PAID, 35_000)
        notices = list(await s.scalars(select(OutboxMessage.text).where(OutboxMessage.template == "notice.paid")))
        assert sorted(notices) == sorted([f"paid:{paid.order.code}", f"paid:{twice.order.code}"])
        audit = await s.scalar(select(func.count()).where(AuditEntry.action == "payment.statement"))
        assert audit == 2


async def test_a_second_press_and_a_second_staff_member_with_the_same_file_count_each_payment_once(
    shop: SessionFactory,
) -> None:
    await _staff(shop, STAFF_ID, OTHER_STAFF_ID)
    [code] = await _codes(shop, 1)
    data = export([Txn(code.payable_amount, OPENED + timedelta(minutes=5), "RRN9")], "csv", "id")
    mine = await _send(shop, data)
    theirs = await _send(shop, data, staff_id=OTHER_STAFF_ID)
    assert [m.payment_id for m in theirs.result.matches] == [code.id]  # proposed to both before anyone pressed
    assert len((await _confirm(shop, mine.token)).confirmed) == 1
    with pytest.raises(ProposalConfirmed):
        await _confirm(shop, mine.token)
    late = await _confirm(shop, theirs.token, OTHER_STAFF_ID)
    assert (late.confirmed, late.already) == ([], [code.order.code])
    again = await _send(shop, data)  # the same file sent a day later: nothing left to confirm
    assert again.result.matches == []
    assert [u.why for u in again.result.unmatched if u.amount] == [Why.ALREADY_PAID]
    async with shop() as s:
        placed = await s.get(Order, code.order_id)
        assert placed is not None and placed.paid_amount == 35_000
        assert await s.scalar(select(func.count()).where(OutboxMessage.template == "notice.paid")) == 1


async def test_two_staff_confirming_at_the_same_moment_count_each_payment_once(shop: SessionFactory) -> None:
    await _staff(shop, STAFF_ID, OTHER_STAFF_ID)
    codes = await _codes(shop, 2)
    data = export([Txn(c.payable_amount, OPENED + timedelta(minutes=5 + n)) for n, c in enumerate(codes)], "xlsx",
                  "en")
    tokens = [(await _send(shop, data, staff_id=who)).token for who in (STAFF_ID, OTHER_STAFF_ID)]

    def press(token: str, who: int) -> object:
        async def work(s: AsyncSession, me: Contender) -> int:
            await me.all_have_read()
            done = await statements.confirm(s, token, staff_telegram_id=who, now=NOW, wording=WORDS, policy=CODED)
            await me.hold()
            return len(done.confirmed)

        return work

    results = await run_race(shop, [press(tokens[0], STAFF_ID), press(tokens[1], OTHER_STAFF_ID)])  # type: ignore[list-item]
    assert sorted(results) == [0, 2], results  # type: ignore[type-var]
    async with shop() as s:
        paid = await s.scalar(select(func.sum(Order.paid_amount)))
        assert paid == 70_000
        assert await s.scalar(select(func.count()).where(OutboxMessage.template == "notice.paid")) == 2


async def test_a_buyer_who_paid_without_the_code_is_matched_by_the_bill_number_only(shop: SessionFactory) -> None:
    await _staff(shop, STAFF_ID)
    named, unnamed = await _codes(shop, 2)
    bill = named.order.code.replace("-", "")
    rows = [
        Txn(35_000, OPENED + timedelta(minutes=3), "RRN1", f"QRIS {bill}"),  # the bank shows the bill number
        Txn(35_000, OPENED + timedelta(minutes=4), "RRN2"),  # no bill number, no code: staff decide by hand
    ]
    proposal = await _send(shop, export(rows, "csv", "en"))
    assert [(m.payment_id, m.by_bill) for m in proposal.result.matches] == [(named.id, True)]
    assert [u.why for u in proposal.result.unmatched] == [Why.NO_MATCH]
    assert [i.payment_id for i in proposal.result.open_left] == [unnamed.id]
    assert (await _confirm(shop, proposal.token)).confirmed == [(named.order.code, 35_000)]
    async with shop() as s:
        paid = await s.get(Payment, named.id)
        assert paid is not None
        assert (paid.state, paid.amount, paid.unique_code, paid.payable_amount) == (PaymentState.PAID, 35_000, 0,
                                                                                   35_000)  # no code came in


async def test_an_amount_that_fits_two_open_codes_is_never_guessed(shop: SessionFactory) -> None:
    """Without unique codes two orders of Rp35.000 are open at once: a row of Rp35.000 is listed as ambiguous."""
    await _staff(shop, STAFF_ID)
    first, second = await _codes(shop, 2, PLAIN)
    proposal = await _send(shop, export([Txn(35_000, OPENED + timedelta(minutes=3))], "csv", "id"))
    assert proposal.result.matches == []
    [ambiguous] = [u for u in proposal.result.unmatched if u.why is not Why.UNREADABLE]  # not the "Total" line
    assert ambiguous.why is Why.AMBIGUOUS
    assert sorted(ambiguous.codes) == sorted([first.order.code, second.order.code])


async def test_a_row_after_the_deadline_or_marked_failed_pays_nothing(shop: SessionFactory) -> None:
    await _staff(shop, STAFF_ID)
    late, failed = await _codes(shop, 2)
    rows = [
        Txn(late.payable_amount, OPENED + POLICY.payment_timeout + timedelta(minutes=10)),
        Txn(failed.payable_amount, OPENED + timedelta(minutes=5), status="Gagal"),
    ]
    proposal = await _send(shop, export(rows, "csv", "id"))
    assert proposal.result.matches == []
    assert sorted(u.why for u in proposal.result.unmatched if u.amount) == sorted([Why.NO_MATCH, Why.FAILED])


async def test_unknown_columns_are_asked_once_and_remembered_for_the_next_file_with_those_headers(
    shop: SessionFactory,
) -> None:
    await _staff(shop, STAFF_ID)
    [code] = await _codes(shop, 1)
    data = (f"Kol1,Kol2,Kol3\r\nA-1,27/11/2026 10:05,{code.payable_amount}\r\n").encode()
    async with shop.begin() as s:
        asked = await statements.receive(s, data, "x.csv", staff_telegram_id=STAFF_ID, now=NOW, lookback=LOOKBACK)
    assert isinstance(asked, Question) and asked.role is Role.AMOUNT
    assert [c for c, _, _ in asked.choices] == [0, 1, 2]
    async with shop.begin() as s:
        with pytest.raises(ProposalGone):  # an answer to another question (a forged button) changes nothing
            await statements.answer(s, asked.token, Role.TIME, 1, staff_telegram_id=STAFF_ID, now=NOW,
                                    lookback=LOOKBACK)
    async with shop.begin() as s:
        then = await statements.answer(s, asked.token, Role.AMOUNT, 2, staff_telegram_id=STAFF_ID, now=NOW,
                                       lookback=LOOKBACK)
    assert isinstance(then, Question) and then.role is Role.TIME
    assert [c for c, _, _ in then.choices] == [0, 1]
    async with shop.begin() as s:
        done = await statements.answer(s, asked.token, Role.TIME, 1, staff_telegram_id=STAFF_ID, now=NOW,
                                       lookback=LOOKBACK)
    assert isinstance(done, Proposal) and [m.payment_id for m in done.result.matches] == [code.id]
    again = await _send(shop, data)  # the same headers: no question this time
    assert [m.payment_id for m in again.result.matches] == [code.id]


async def test_only_staff_may_send_a_statement(shop: SessionFactory) -> None:
    data = export([Txn(35_000, OPENED)], "csv", "id")
    async with shop.begin() as s:
        with pytest.raises(NotAllowed):
            await statements.receive(s, data, "m.csv", staff_telegram_id=1001, now=NOW, lookback=LOOKBACK)
        assert await s.scalar(select(func.count()).select_from(statements.StatementProposal)) == 0
