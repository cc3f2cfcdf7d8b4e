"""Matching the rows of a merchant statement to the bot's payment codes (pure: the service loads and stores).

A row pays a code when it carries the code's bill number (then the amount with or without its unique code), or
else when its amount is the code's payable amount (instalment plus unique code) and its time falls inside the
code's payment window (created .. deadline, with two minutes of slack for clocks and exports that write minutes
only). Nothing is guessed: an amount that fits two open codes is listed as ambiguous; a second row for a code
already matched (a buyer who paid twice, or the same row sent again) is a duplicate; a code paid before is
reported as such and counts nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SLACK = timedelta(minutes=2)
KIND_OF_SUFFIX = {"DP": "deposit", "": "full"}


class Why(enum.StrEnum):
    """Why a row was not proposed; the values are stored with the proposal."""

    NO_MATCH = "no_match"  # no open code for that amount at that time (also: a row before the order existed)
    AMBIGUOUS = "ambiguous"  # the amount fits two or more open codes: staff decide by hand
    DUPLICATE = "duplicate"  # an earlier row of this statement already pays that code
    ALREADY_PAID = "already_paid"  # the code was paid before (an earlier statement, or by hand)
    EXPIRED = "expired"  # the code's time ran out before it was paid
    AMOUNT_DIFFERS = "amount_differs"  # the row names an order but not the amount of its code
    NOT_INCOMING = "not_incoming"  # zero, or money going out (a refund)
    FAILED = "failed"  # the export says the transaction did not go through
    UNREADABLE = "unreadable"  # no amount or no date that reads with certainty (a total line, a note)


@dataclass(frozen=True)
class StatementRow:
    """One transaction of the export, as read (`line`: the row number staff see in their file)."""

    line: int
    amount: int | None
    start: datetime | None
    span: timedelta = timedelta(minutes=1)
    reference: str = ""
    bills: tuple[tuple[str, str], ...] = ()  # (order code, "DP" / "L1" / "")
    failed: bool = False


@dataclass(frozen=True)
class Instalment:
    """A QRIS payment code of the bot: which order, how much (with and without its unique code), its window."""

    payment_id: int
    order_code: str
    kind: str
    amount: int
    payable: int
    state: str  # "pending", "paid", "expired"
    opened: datetime
    deadline: datetime | None

    def covers(self, row: StatementRow) -> bool:
        """True when the row's time falls inside the code's payment window (with slack)."""
        assert row.start is not None
        if row.start + row.span <= self.opened - SLACK:
            return False
        return self.deadline is None or row.start <= self.deadline + SLACK


@dataclass(frozen=True)
class Match:
    """A row that pays an open code."""

    line: int
    payment_id: int
    order_code: str
    amount: int
    payable: int
    at: datetime
    reference: str
    by_bill: bool


@dataclass(frozen=True)
class Unmatched:
    """A row left for staff, with the reason and the order codes it concerns."""

    line: int
    why: Why
    amount: int | None = None
    at: datetime | None = None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    """What a statement proposes: the matches, the rows left over, and the open codes no row paid."""

    matches: list[Match] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    open_left: list[Instalment] = field(default_factory=list)


def _kind_fits(instalment: Instalment, suffix: str) -> bool:
    """True when a bill number's suffix names the instalment's kind (DP: deposit, L<n>: balance, none: full)."""
    wanted = KIND_OF_SUFFIX.get(suffix, "balance")
    return instalment.kind == wanted


def _by_bill(row: StatementRow, instalments: Sequence[Instalment]) -> tuple[list[Instalment], bool]:
    """The codes a row's bill numbers name that its amount and time fit, and whether it named any code at all."""
    named = [i for i in instalments for code, suffix in row.bills if i.order_code == code and _kind_fits(i, suffix)]
    if not named:
        named = [i for i in instalments for code, _ in row.bills if i.order_code == code]
    return [i for i in named if row.amount in (i.payable, i.amount) and i.covers(row)], bool(named)


def _decide(row: StatementRow, fits: list[Instalment], taken: dict[int, int], by_bill: bool) -> Match | Unmatched:
    """A match when exactly one open code fits and no earlier row took it; otherwise why not."""
    assert row.amount is not None and row.start is not None
    open_ = list({i.payment_id: i for i in fits if i.state == "pending"}.values())
    codes = tuple(sorted({i.order_code for i in fits}))
    if len(open_) > 1:
        return Unmatched(row.line, Why.AMBIGUOUS, row.amount, row.start, codes)
    if len(open_) == 1:
        chosen = open_[0]
        if chosen.payment_id in taken:
            return Unmatched(row.line, Why.DUPLICATE, row.amount, row.start, (chosen.order_code,))
        taken[chosen.payment_id] = row.line
        return Match(row.line, chosen.payment_id, chosen.order_code, row.amount, chosen.payable, row.start,
                     row.reference, by_bill)
    if any(i.state == "paid" for i in fits):
        return Unmatched(row.line, Why.ALREADY_PAID, row.amount, row.start, codes)
    if fits:
        return Unmatched(row.line, Why.EXPIRED, row.amount, row.start, codes)
    return Unmatched(row.line, Why.NO_MATCH, row.amount, row.start)


def match_row(row: StatementRow, instalments: Sequence[Instalment], taken: dict[int, int]) -> Match | Unmatched:
    """Matches one row, noting in `taken` the code it pays (payment id -> line)."""
    if row.amount is None or row.start is None:
        return Unmatched(row.line, Why.UNREADABLE, row.amount, row.start)
    if row.failed:
        return Unmatched(row.line, Why.FAILED, row.amount, row.start)
    if row.amount <= 0:
        return Unmatched(row.line, Why.NOT_INCOMING, row.amount, row.start)
    if row.bills:
        fits, named = _by_bill(row, instalments)
        if fits:
            return _decide(row, fits, taken, by_bill=True)
        if named:
            codes = tuple(sorted({code for code, _ in row.bills}))
            by_amount = [i for i in instalments if i.payable == row.amount and i.covers(row)]
            if not by_amount:
                return Unmatched(row.line, Why.AMOUNT_DIFFERS, row.amount, row.start, codes)
    return _decide(row, [i for i in instalments if i.payable == row.amount and i.covers(row)], taken, by_bill=False)


def match_rows(rows: Iterable[StatementRow], instalments: Sequence[Instalment]) -> MatchResult:
    """Matches every row in the order the money came in; lists the open codes of the period no row paid."""
    taken: dict[int, int] = {}
    result = MatchResult()
    ordered = sorted(rows, key=lambda r: (r.start is None, r.start or datetime.min, r.line))
    for row in ordered:
        outcome = match_row(row, instalments, taken)
        (result.matches if isinstance(outcome, Match) else result.unmatched).append(outcome)  # type: ignore[arg-type]
    ends = [r.start + r.span for r in ordered if r.start is not None]
    last = max(ends) if ends else None
    result.open_left.extend(
        i for i in instalments
        if i.state == "pending" and i.payment_id not in taken and last is not None and i.opened <= last
    )  # fmt: skip
    result.unmatched.sort(key=lambda u: u.line)
    result.matches.sort(key=lambda m: m.line)
    return result
