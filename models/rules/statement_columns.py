"""Which column of a merchant export holds the amount, the time and the reference, told from its headers
(Indonesian and English) and checked against the cells under them.

An amount and a time are needed to match rows; a reference (RRN) and a status are read when found. When the
headers do not say, or say it of two columns alike, the role is left missing and the bot asks staff.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from models.rules.statement_values import cell_kind, parse_amount


class Role(enum.StrEnum):
    """What a column holds; the values travel in callback data and are stored: never change them."""

    AMOUNT = "a"
    TIME = "t"  # a date, or a date with its time
    CLOCK = "c"  # the time of day, in its own column
    REFERENCE = "r"
    STATUS = "s"


REQUIRED = (Role.AMOUNT, Role.TIME)

# Header words per role, best first; a header with an excluded word is never that role ("Net Amount", "MDR").
WORDS: dict[Role, tuple[str, ...]] = {
    Role.AMOUNT: ("nominal", "amount", "jumlah", "nilai", "total", "gross", "harga"),
    Role.TIME: ("waktu transaksi", "tanggal transaksi", "transaction time", "transaction date", "datetime",
                "timestamp", "tanggal", "tgl", "date", "waktu", "time", "jam"),
    Role.CLOCK: ("jam", "waktu", "time", "pukul"),
    Role.REFERENCE: ("rrn", "retrieval reference", "referensi", "reference", "ref", "id transaksi",
                     "transaction id", "trx id", "invoice", "bill", "keterangan", "deskripsi", "description",
                     "berita", "catatan", "note", "remark"),
    Role.STATUS: ("status",),
}  # fmt: skip
EXCLUDED: dict[Role, tuple[str, ...]] = {
    Role.AMOUNT: ("fee", "mdr", "net", "bersih", "biaya", "potongan", "diskon", "discount", "saldo", "balance",
                  "tip", "pajak", "tax", "komisi", "charge", "refund", "qty", "item"),
    Role.TIME: ("settlement", "settle", "penyelesaian", "update", "updated", "expired", "kedaluwarsa", "cair",
                "pencairan", "refund"),
    Role.CLOCK: ("settlement", "settle", "update", "updated", "expired"),
    Role.REFERENCE: (),
    Role.STATUS: (),
}  # fmt: skip
SAMPLE_ROWS = 50


def normalize(header: str) -> str:
    """A header as compared: lower case, words only ("No. Ref (RRN)" -> "no ref rrn")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


def header_key(headers: Sequence[str]) -> str:
    """The identity of a header set, under which staff's answer is remembered."""
    return hashlib.sha256("\x1f".join(normalize(h) for h in headers).encode()).hexdigest()


def _rank(header: str, role: Role) -> int | None:
    """How well a header names a role (0 best), or None when it does not."""
    words = f" {normalize(header)} "
    if any(f" {w} " in words for w in EXCLUDED[role]):
        return None
    for rank, phrase in enumerate(WORDS[role]):
        if f" {phrase} " in words:
            return rank
    return None


def column_kinds(rows: Sequence[Sequence[str]], column: int) -> dict[str, int]:
    """How many of the first rows' cells in a column read as each kind (datetime, date, clock, amount)."""
    counts: dict[str, int] = {}
    for row in rows[:SAMPLE_ROWS]:
        kind = cell_kind(row[column]) if column < len(row) and row[column].strip() else None
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def _filled(rows: Sequence[Sequence[str]], column: int) -> int:
    """How many of the first rows have something in a column."""
    return sum(1 for row in rows[:SAMPLE_ROWS] if column < len(row) and row[column].strip())


def _mostly(rows: Sequence[Sequence[str]], column: int, *kinds: str) -> bool:
    """True when at least half of a column's filled cells read as one of `kinds`."""
    counts = column_kinds(rows, column)
    filled = _filled(rows, column)
    return filled > 0 and sum(counts.get(k, 0) for k in kinds) * 2 >= filled


def _amounts(rows: Sequence[Sequence[str]], column: int) -> bool:
    """True when at least half of a column's filled cells are positive amounts (not dates, not times)."""
    filled = _filled(rows, column)
    good = sum(
        1 for row in rows[:SAMPLE_ROWS]
        if column < len(row) and cell_kind(row[column]) == "amount" and (parse_amount(row[column]) or 0) > 0
    )  # fmt: skip
    return filled > 0 and good * 2 >= filled


@dataclass(frozen=True)
class Detection:
    """The columns found per role, and the required roles the headers did not settle."""

    found: dict[Role, int]
    missing: tuple[Role, ...]


def _best(candidates: list[tuple[int, int]]) -> int | None:
    """The column of the best rank, or None when two columns share it (the headers do not tell them apart)."""
    if not candidates:
        return None
    candidates.sort()
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        return None
    return candidates[0][1]


def detect(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Detection:
    """Finds the amount, time (and a separate time of day), reference and status columns from the headers."""
    found: dict[Role, int] = {}
    ranked = {role: [(r, i) for i, h in enumerate(headers) if (r := _rank(h, role)) is not None] for role in Role}
    amount = _best([(r, i) for r, i in ranked[Role.AMOUNT] if _amounts(rows, i)])
    if amount is not None:
        found[Role.AMOUNT] = amount
    with_time = [(r, i) for r, i in ranked[Role.TIME] if i != amount and _mostly(rows, i, "datetime")]
    with_day = [(r, i) for r, i in ranked[Role.TIME] if i != amount and _mostly(rows, i, "date")]
    when = min(with_time)[1] if with_time else (min(with_day)[1] if with_day else None)
    if when is not None:
        found[Role.TIME] = when
        clocks = [(r, i) for r, i in ranked[Role.CLOCK] if i not in (amount, when) and _mostly(rows, i, "clock")]
        if not with_time and clocks:
            found[Role.CLOCK] = min(clocks)[1]
    taken = set(found.values())
    for role in (Role.REFERENCE, Role.STATUS):
        options = [(r, i) for r, i in ranked[role] if i not in taken]
        if options:
            found[role] = min(options)[1]
            taken.add(found[role])
    return Detection(found, tuple(role for role in REQUIRED if role not in found))


def looks_like_statement(rows: Sequence[Sequence[str]]) -> bool:
    """True when some column holds amounts and another dates: what any transaction export has."""
    width = max((len(r) for r in rows[:SAMPLE_ROWS]), default=0)
    dated = {i for i in range(width) if _mostly(rows, i, "datetime", "date")}
    priced = {i for i in range(width) if _amounts(rows, i)}
    return bool(dated) and bool(priced - dated)


def clock_columns(rows: Sequence[Sequence[str]], width: int, skip: set[int]) -> list[int]:
    """Columns (other than `skip`) whose cells are mostly times of day: the choices for a separate time column."""
    return [i for i in range(width) if i not in skip and _mostly(rows, i, "clock")]


def has_clock(rows: Sequence[Sequence[str]], column: int) -> bool:
    """True when a time column carries the time of day, not the date alone."""
    return _mostly(rows, column, "datetime")
