"""Statement matching: staff send their merchant app's transaction export (CSV or XLSX); the bot reads it, asks
which column is which when the headers do not say (and remembers the answer for that set of headers), proposes
which rows pay which open codes, and confirms them all with one press.

Each confirmation goes through the staff desk's confirmation (`desk.confirm_payment`), the one way a payment
becomes paid, recorded as confirmed via the statement with the row's reference; the buyer is told as after a
hand confirmation. The proposal lives in the database under a random token: a second press, a second staff
member confirming the same file, or a statement sent twice finds the payments already paid and counts nothing
twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.errors import AlreadyDone, DomainError, ProposalConfirmed, ProposalGone
from models.order import Order
from models.payment import ConfirmedVia, Payment, PaymentMethod, PaymentState
from models.rules.calendar import WIB
from models.rules.codes import new_token
from models.rules.statement_columns import Role, clock_columns, detect, has_clock, header_key
from models.rules.statement_matching import SLACK, Instalment, MatchResult, StatementRow, match_rows
from models.services import desk
from models.services.notices import Wording
from models.services.payments import PaymentPolicy
from models.services.statement_files import Table, read_table
from models.services.statement_records import column, dump_result, load_result, read_rows
from models.statement import ProposalState, StatementLayout, StatementProposal

LIFETIME = timedelta(days=1)  # a proposal older than this is refused: the money may have moved on since
KEPT = timedelta(days=30)  # proposals are deleted after this
ASKED = "asked"  # layout key: staff answered at least one question (their answer is remembered)


@dataclass(frozen=True)
class Question:
    """Which column holds `role`? `choices`: (column, header, a value from it); `optional`: "none" is an answer."""

    token: str
    file_name: str
    role: Role
    choices: list[tuple[int, str, str]]
    optional: bool = False


@dataclass(frozen=True)
class Proposal:
    """The matches proposed for a statement, what is left over, and the columns they were read from."""

    token: str
    file_name: str
    rows: int
    columns: dict[Role, str]
    result: MatchResult
    confirmed: bool = False


@dataclass(frozen=True)
class Confirmation:
    """What one confirm press did: payments confirmed now, found paid before, or refused (with the error)."""

    confirmed: list[tuple[str, int]] = field(default_factory=list)  # (order code, amount received)
    already: list[str] = field(default_factory=list)
    refused: list[tuple[str, DomainError]] = field(default_factory=list)


Outcome = Question | Proposal


async def receive(
    session: AsyncSession, data: bytes, file_name: str, *, staff_telegram_id: int | None, now: datetime,
    lookback: timedelta,
) -> Outcome:
    """Reads a statement file and proposes matches, or asks for the first column the headers do not settle.

    `staff_telegram_id` None is the command line (the operator); `lookback`: how long a code stays payable.
    """
    if staff_telegram_id is not None:
        await desk.require_staff(session, staff_telegram_id)
    table = read_table(data)
    await session.execute(delete(StatementProposal).where(StatementProposal.created_at < now - KEPT))
    key = header_key(table.headers)
    proposal = StatementProposal(
        token=new_token(9), staff_telegram_id=staff_telegram_id, file_name=(file_name or "statement")[:255],
        header_key=key, cells={"headers": table.headers, "rows": table.rows, "lines": table.lines},
        layout=await _layout(session, key, table), state=ProposalState.ASKING, created_at=now,
    )
    session.add(proposal)
    return await _advance(session, proposal, now=now, lookback=lookback, staff_telegram_id=staff_telegram_id)


async def _layout(session: AsyncSession, key: str, table: Table) -> dict[str, Any]:
    """The columns remembered for this header set, else those the headers tell (the rest is asked)."""
    saved = await session.scalar(select(StatementLayout).where(StatementLayout.header_key == key))
    width = len(table.headers)
    if saved is not None and all(c is None or 0 <= c < width for c in _columns_of(saved)):
        return {Role.AMOUNT.value: saved.amount_column, Role.TIME.value: saved.time_column,
                Role.CLOCK.value: saved.clock_column, Role.REFERENCE.value: saved.reference_column,
                Role.STATUS.value: saved.status_column}  # fmt: skip
    detection = detect(table.headers, table.rows)
    layout: dict[str, Any] = {role.value: col for role, col in detection.found.items()}
    if not detection.missing:
        layout.setdefault(Role.CLOCK.value, None)  # the headers settled everything: no question at all
    return layout


def _columns_of(saved: StatementLayout) -> tuple[int | None, ...]:
    """Every column a remembered layout names."""
    return (saved.amount_column, saved.time_column, saved.clock_column, saved.reference_column, saved.status_column)


def _table(proposal: StatementProposal) -> Table:
    """The stored table of a proposal."""
    return Table(proposal.cells["headers"], proposal.cells["rows"], proposal.cells["lines"])


def _question(proposal: StatementProposal) -> Question | None:
    """The next column to ask about, or None when the layout is complete (filling in what needs no answer)."""
    table, layout = _table(proposal), proposal.layout
    width = len(table.headers)
    used = {v for k, v in layout.items() if k != ASKED and isinstance(v, int)}
    for role in (Role.AMOUNT, Role.TIME):
        if column(layout, role) is None:
            return _ask(proposal, role, [i for i in range(width) if i not in used])
    if Role.CLOCK.value not in layout:
        when = column(layout, Role.TIME)
        assert when is not None
        options = [] if has_clock(table.rows, when) else clock_columns(table.rows, width, used)
        if options:
            return _ask(proposal, Role.CLOCK, options, optional=True)
        proposal.layout = {**layout, Role.CLOCK.value: None}
    return None


def _ask(proposal: StatementProposal, role: Role, columns: list[int], *, optional: bool = False) -> Question:
    """A question with the header and a sample value of each column to choose from."""
    table = _table(proposal)
    sample = table.rows[0] if table.rows else []
    choices = [(i, table.headers[i], sample[i] if i < len(sample) else "") for i in columns]
    return Question(proposal.token, proposal.file_name, role, choices, optional)


async def _advance(
    session: AsyncSession, proposal: StatementProposal, *, now: datetime, lookback: timedelta,
    staff_telegram_id: int | None,
) -> Outcome:
    """Asks the next question, or (all columns known) remembers staff's answers and proposes the matches."""
    question = _question(proposal)
    if question is not None:
        await session.flush()
        return question
    layout = proposal.layout
    if layout.get(ASKED):
        await _remember(session, proposal, now=now, staff_telegram_id=staff_telegram_id)
    rows = read_rows(proposal.cells, layout, WIB)
    result = match_rows(rows, await _instalments(session, rows, lookback))
    proposal.result = dump_result(result, len(rows))
    proposal.state = ProposalState.PROPOSED
    await session.flush()
    return _proposal(proposal)


def _proposal(proposal: StatementProposal) -> Proposal:
    """The stored proposal as typed values."""
    headers = proposal.cells["headers"]
    columns = {role: headers[col] for role in Role if (col := column(proposal.layout, role)) is not None}
    assert proposal.result is not None
    return Proposal(proposal.token, proposal.file_name, int(proposal.result.get("rows", 0)), columns,
                    load_result(proposal.result), proposal.state is ProposalState.CONFIRMED)


async def _remember(
    session: AsyncSession, proposal: StatementProposal, *, now: datetime, staff_telegram_id: int | None
) -> None:
    """Stores staff's answer for this header set (replacing an older one), so the next export is not asked."""
    layout = proposal.layout
    found = select(StatementLayout).where(StatementLayout.header_key == proposal.header_key)
    saved = await session.scalar(found)
    if saved is None:
        try:
            async with session.begin_nested():  # two staff answering for the same headers at once: one row
                saved = StatementLayout(header_key=proposal.header_key, amount_column=0, time_column=0, saved_at=now)
                session.add(saved)
        except IntegrityError:
            saved = await session.scalar(found)
            assert saved is not None
    saved.amount_column = column(layout, Role.AMOUNT) or 0
    saved.time_column = column(layout, Role.TIME) or 0
    saved.clock_column = column(layout, Role.CLOCK)
    saved.reference_column = column(layout, Role.REFERENCE)
    saved.status_column = column(layout, Role.STATUS)
    saved.saved_by, saved.saved_at = staff_telegram_id, now


async def _instalments(session: AsyncSession, rows: list[StatementRow], lookback: timedelta) -> list[Instalment]:
    """The QRIS codes the rows may pay: opened within a code's lifetime before the rows, still open, or named."""
    starts = [r.start for r in rows if r.start is not None]
    if not starts:
        return []
    first = min(starts) - lookback - SLACK
    last = max(r.start + r.span for r in rows if r.start is not None) + SLACK
    codes = sorted({code for r in rows for code, _ in r.bills})
    near = or_(
        and_(Payment.created_at >= first, Payment.created_at <= last),
        and_(Payment.state == PaymentState.PENDING, Payment.created_at <= last),
    )
    stmt = (
        select(Payment.id, Order.code, Payment.kind, Payment.amount, Payment.payable_amount, Payment.state,
               Payment.created_at, Payment.expires_at)
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.method == PaymentMethod.QRIS, Payment.payload.is_not(None),
               or_(near, Order.code.in_(codes)) if codes else near)
    )  # fmt: skip
    return [
        Instalment(pid, code, kind.value, amount, payable, state.value, opened, deadline)
        for pid, code, kind, amount, payable, state, opened, deadline in await session.execute(stmt)
    ]


async def _locked(session: AsyncSession, token: str, now: datetime) -> StatementProposal:
    """The proposal of a button, locked until commit; ProposalGone when unknown or too old."""
    proposal = await session.scalar(
        select(StatementProposal).where(StatementProposal.token == token).with_for_update()
    )
    if proposal is None or proposal.created_at < now - LIFETIME:
        raise ProposalGone(token=token)
    return proposal


async def answer(
    session: AsyncSession, token: str, role: Role, choice: int | None, *, staff_telegram_id: int | None,
    now: datetime, lookback: timedelta,
) -> Outcome:
    """Takes staff's answer to the column question (None: no such column) and goes on; a stale answer shows
    where the statement stands instead."""
    if staff_telegram_id is not None:
        await desk.require_staff(session, staff_telegram_id)
    proposal = await _locked(session, token, now)
    question = _question(proposal) if proposal.state is ProposalState.ASKING else None
    if question is None:
        return _proposal(proposal)
    valid = {c for c, _, _ in question.choices} | ({None} if question.optional else set())
    if question.role is not role or choice not in valid:
        raise ProposalGone(token=token)  # a forged answer, or one to a question no longer asked
    proposal.layout = {**proposal.layout, role.value: choice, ASKED: True}
    return await _advance(session, proposal, now=now, lookback=lookback, staff_telegram_id=staff_telegram_id)


async def confirm(
    session: AsyncSession, token: str, *, staff_telegram_id: int, now: datetime, wording: Wording,
    policy: PaymentPolicy,
) -> Confirmation:
    """Confirms every proposed match once; a second press raises ProposalConfirmed, and payments paid meanwhile
    (another staff member's file, a hand confirmation) are reported, not counted again."""
    await desk.require_staff(session, staff_telegram_id)
    proposal = await _locked(session, token, now)
    if proposal.state is ProposalState.CONFIRMED:
        raise ProposalConfirmed(by=proposal.confirmed_by, at=proposal.confirmed_at)
    if proposal.state is not ProposalState.PROPOSED or proposal.result is None:
        raise ProposalGone(token=token)
    done = Confirmation()
    for match in load_result(proposal.result).matches:
        try:
            async with session.begin_nested():  # a refused payment undoes only itself
                await desk.confirm_payment(
                    session, match.payment_id, staff_telegram_id=staff_telegram_id, now=now, wording=wording,
                    policy=policy, via=ConfirmedVia.STATEMENT, reference=match.reference or None,
                    received=match.amount,
                )
            done.confirmed.append((match.order_code, match.amount))
        except AlreadyDone:
            done.already.append(match.order_code)
        except DomainError as exc:
            done.refused.append((match.order_code, exc))
    proposal.state, proposal.confirmed_by, proposal.confirmed_at = ProposalState.CONFIRMED, staff_telegram_id, now
    session.add(AuditEntry(
        actor_telegram_id=staff_telegram_id, action="statement.confirm", subject=f"statement:{proposal.file_name}",
        detail={"confirmed": len(done.confirmed), "already": len(done.already), "refused": len(done.refused)},
        at=now,
    ))  # fmt: skip
    await session.flush()
    return done
