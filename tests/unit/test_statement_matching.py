"""The matching rules, row by row: a bill number first, else the unique amount inside the payment window; never a
guess between two codes, never a code paid twice, never a row from before the order."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.rules.calendar import WIB
from models.rules.statement_matching import Instalment, StatementRow, Why, match_rows

OPENED = datetime(2026, 11, 27, 10, 0, tzinfo=WIB)
HOUR = timedelta(hours=1)


def code(pid: int, order: str, payable: int, *, amount: int = 35_000, state: str = "pending", kind: str = "full",
         opened: datetime = OPENED) -> Instalment:
    """An open (or paid, or expired) code with a one-hour window."""
    return Instalment(pid, order, kind, amount, payable, state, opened, opened + HOUR)


def row(line: int, amount: int | None, minutes: float = 5, **extra: object) -> StatementRow:
    """A row that many minutes after the codes opened."""
    return StatementRow(line, amount, OPENED + timedelta(minutes=minutes), **extra)  # type: ignore[arg-type]


def test_each_unique_amount_pays_its_own_code() -> None:
    codes = [code(1, "KB-AAAAAA", 35_137), code(2, "KB-BBBBBB", 35_138)]
    result = match_rows([row(3, 35_138), row(2, 35_137)], codes)
    assert [(m.line, m.payment_id, m.by_bill) for m in result.matches] == [(2, 1, False), (3, 2, False)]
    assert result.unmatched == [] and result.open_left == []


def test_the_window_is_from_the_code_to_its_deadline_with_two_minutes_of_slack() -> None:
    codes = [code(1, "KB-AAAAAA", 35_137)]
    assert match_rows([row(1, 35_137, minutes=-1)], codes).matches  # a clock a minute behind
    assert match_rows([row(1, 35_137, minutes=61)], codes).matches
    early = match_rows([row(1, 35_137, minutes=-60 * 24)], codes)
    late = match_rows([row(1, 35_137, minutes=65)], codes)
    assert [u.why for u in early.unmatched + late.unmatched] == [Why.NO_MATCH, Why.NO_MATCH]


def test_a_day_without_time_counts_as_the_whole_day() -> None:
    day = StatementRow(1, 35_137, datetime(2026, 11, 27, tzinfo=WIB), timedelta(days=1))
    assert match_rows([day], [code(1, "KB-AAAAAA", 35_137)]).matches
    before = StatementRow(1, 35_137, datetime(2026, 11, 26, tzinfo=WIB), timedelta(days=1))
    assert not match_rows([before], [code(1, "KB-AAAAAA", 35_137)]).matches


def test_a_second_row_for_the_same_code_is_a_duplicate_whatever_the_order_of_the_file() -> None:
    result = match_rows([row(9, 35_137, minutes=20), row(4, 35_137, minutes=8)], [code(1, "KB-AAAAAA", 35_137)])
    assert [(m.line, m.payment_id) for m in result.matches] == [(4, 1)]  # the money that came first
    assert [(u.line, u.why, u.codes) for u in result.unmatched] == [(9, Why.DUPLICATE, ("KB-AAAAAA",))]


def test_an_amount_that_fits_two_open_codes_is_ambiguous() -> None:
    codes = [code(1, "KB-AAAAAA", 35_000), code(2, "KB-BBBBBB", 35_000)]
    result = match_rows([row(1, 35_000)], codes)
    assert result.matches == []
    assert [(u.why, u.codes) for u in result.unmatched] == [(Why.AMBIGUOUS, ("KB-AAAAAA", "KB-BBBBBB"))]
    assert len(result.open_left) == 2


def test_a_bill_number_matches_with_or_without_the_unique_code_and_settles_an_ambiguity() -> None:
    codes = [code(1, "KB-AAAAAA", 35_137), code(2, "KB-BBBBBB", 35_000)]
    without_code = row(1, 35_000, bills=(("KB-AAAAAA", ""),), reference="RRN1")
    result = match_rows([without_code], codes)
    assert [(m.payment_id, m.by_bill, m.reference) for m in result.matches] == [(1, True, "RRN1")]


def test_a_bill_number_with_a_foreign_amount_is_reported_not_matched() -> None:
    result = match_rows([row(1, 12_000, bills=(("KB-AAAAAA", ""),))], [code(1, "KB-AAAAAA", 35_137)])
    assert [(u.why, u.codes) for u in result.unmatched] == [(Why.AMOUNT_DIFFERS, ("KB-AAAAAA",))]


def test_the_bill_suffix_picks_the_instalment() -> None:
    deposit = code(1, "KB-AAAAAA", 2_000_000, amount=2_000_000, state="paid", kind="deposit")
    balance = code(2, "KB-AAAAAA", 2_000_000, amount=2_000_000, kind="balance")
    result = match_rows([row(1, 2_000_000, bills=(("KB-AAAAAA", "L1"),))], [deposit, balance])
    assert [m.payment_id for m in result.matches] == [2]
    again = match_rows([row(1, 2_000_000, bills=(("KB-AAAAAA", "DP"),))], [deposit, balance])
    assert [u.why for u in again.unmatched] == [Why.ALREADY_PAID]


def test_paid_expired_failed_outgoing_and_unreadable_rows_count_nothing() -> None:
    codes = [code(1, "KB-AAAAAA", 35_137, state="paid"), code(2, "KB-BBBBBB", 35_138, state="expired"),
             code(3, "KB-CCCCCC", 35_139)]
    rows = [row(1, 35_137), row(2, 35_138), row(3, 35_139, failed=True), row(4, -35_139), row(5, None),
            StatementRow(6, 35_139, None)]
    result = match_rows(rows, codes)
    assert result.matches == []
    assert [u.why for u in result.unmatched] == [
        Why.ALREADY_PAID, Why.EXPIRED, Why.FAILED, Why.NOT_INCOMING, Why.UNREADABLE, Why.UNREADABLE,
    ]
    assert [i.payment_id for i in result.open_left] == [3]


def test_codes_opened_after_the_last_row_are_not_listed_as_unpaid() -> None:
    later = code(2, "KB-BBBBBB", 35_138, opened=OPENED + 3 * HOUR)
    result = match_rows([row(1, 35_137)], [code(1, "KB-AAAAAA", 35_137), later])
    assert result.open_left == []
