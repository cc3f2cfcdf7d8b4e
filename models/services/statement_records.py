"""A statement's match result as stored with its proposal (JSON) and read back, and its rows read with a layout."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, tzinfo
from typing import Any

from models.rules.statement_columns import Role
from models.rules.statement_matching import Instalment, Match, MatchResult, StatementRow, Unmatched, Why
from models.rules.statement_values import bill_numbers, month_first_dates, parse_amount, parse_moment, went_through

_TIMES = ("at", "opened", "deadline")


def _plain(item: object) -> dict[str, Any]:
    """A match, an unmatched row or an instalment as JSON values (times in ISO form)."""
    data = asdict(item)  # type: ignore[call-overload]
    for key in _TIMES:
        if isinstance(data.get(key), datetime):
            data[key] = data[key].isoformat()
    if "codes" in data:
        data["codes"] = list(data["codes"])
    return dict(data)


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    """JSON values back with their times."""
    out = dict(data)
    for key in _TIMES:
        if isinstance(out.get(key), str):
            out[key] = datetime.fromisoformat(out[key])
    if "codes" in out:
        out["codes"] = tuple(out["codes"])
    return out


def dump_result(result: MatchResult, rows: int) -> dict[str, Any]:
    """The result as stored with the proposal (`rows`: how many rows the file had)."""
    return {
        "rows": rows,
        "matches": [_plain(m) for m in result.matches],
        "unmatched": [_plain(u) for u in result.unmatched],
        "open_left": [_plain(i) for i in result.open_left],
    }


def load_result(data: dict[str, Any]) -> MatchResult:
    """The stored result as typed values."""
    unmatched = [Unmatched(**{**_typed(u), "why": Why(u["why"])}) for u in data.get("unmatched", [])]
    return MatchResult(
        matches=[Match(**_typed(m)) for m in data.get("matches", [])],
        unmatched=unmatched,
        open_left=[Instalment(**_typed(i)) for i in data.get("open_left", [])],
    )


def column(layout: dict[str, Any], role: Role) -> int | None:
    """The column stored for a role, or None."""
    value = layout.get(role.value)
    return value if isinstance(value, int) else None


def read_rows(table: dict[str, Any], layout: dict[str, Any], local: tzinfo) -> list[StatementRow]:
    """Every row of a stored table as a statement row, read with the layout's columns."""
    amount_at, time_at, clock_at = column(layout, Role.AMOUNT), column(layout, Role.TIME), column(layout, Role.CLOCK)
    ref_at, status_at = column(layout, Role.REFERENCE), column(layout, Role.STATUS)
    assert amount_at is not None and time_at is not None
    rows: list[list[str]] = table["rows"]
    month_first = month_first_dates([row[time_at] for row in rows])
    out = []
    for line, row in zip(table["lines"], rows, strict=True):
        moment = parse_moment(row[time_at], local, row[clock_at] if clock_at is not None else "",
                              month_first=month_first)
        bills = tuple(dict.fromkeys(b for cell in row for b in bill_numbers(cell)))
        out.append(StatementRow(
            line=line, amount=parse_amount(row[amount_at]), start=moment.start if moment else None,
            span=moment.span if moment else StatementRow.span, reference=row[ref_at] if ref_at is not None else "",
            bills=bills, failed=status_at is not None and not went_through(row[status_at]),
        ))  # fmt: skip
    return out
