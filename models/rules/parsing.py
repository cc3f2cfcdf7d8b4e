"""Reading what people type: quantities, decimals, money, days and weeks, the Indonesian way. Pure functions.

Numbers: dots group thousands, a comma marks decimals.

Whole quantities (`parse_quantity`):
  * "10", " 10 ", "10000", "10.000" (ten thousand), "1.234.567": dots only in groups of exactly three digits.
  * An optional unit word after the number, with or without a space, any case:
    pcs, pc, biji, bj, buah, bh, bungkus, bks, pak, pack, kotak, box, unit, pasang.
  * Refused with InvalidQuantity(reason=...):
    "not_a_number" (garbage, "", "1e3", emoji, non-ASCII digits, malformed grouping such as "10.00"),
    "not_whole" ("10,5", "2.5"), "zero_or_negative" ("0", "-3"), "too_large" (above `max_value`).

Decimals (`parse_decimal_id`), used for metres and square metres:
  * "5,5" = 5.5, "1.234,5" = 1234.5, "1.234" = 1234 (a dot before exactly three digits groups thousands).
  * "5.5" and "5.25" = 5.5 and 5.25: a single dot followed by other than three digits is read as a decimal
    point, because buyers type measurements that way.
  * English grouping ("1,234.5") is refused as ambiguous.

Money (`parse_amount`): "3500", "3.500", "Rp3.500", "Rp 3.500" = 3500 whole rupiah; "3,5" and words are refused.

Days (`parse_day`): "hari ini", "besok", "lusa", a weekday ("senin": the next one, today included), "28-11-2026",
"28/11/2026", "2026-11-28", "28-11" (this year). Weeks (`parse_week`): "2026-W48", or any day of the week;
`report_week` adds "" (this week) and "lalu" (last week) for /laporan.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from models.errors import NotANumber, NotWhole, TooLarge, ZeroOrNegative

NOT_A_NUMBER = "not_a_number"
NOT_WHOLE = "not_whole"
ZERO_OR_NEGATIVE = "zero_or_negative"
TOO_LARGE = "too_large"

UNIT_WORDS: tuple[str, ...] = (
    "pcs", "pc", "biji", "bj", "buah", "bh", "bungkus", "bks",
    "pack", "pak", "kotak", "box", "unit", "pasang",
)  # fmt: skip

_MAX_TEXT = 64
_MINUS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash (phones type the latter two)
_UNIT_RE = re.compile(r"^(?P<num>.*?)\s*(?:" + "|".join(UNIT_WORDS) + r")\.?$", re.IGNORECASE)
_LONG_DIGITS_RE = re.compile(r"^[0-9][0-9.]*$")
_PLAIN_RE = re.compile(r"^[0-9]+$")
_GROUPED_RE = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_COMMA_DECIMAL_RE = re.compile(r"^(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]*),[0-9]+$")
_DOT_DECIMAL_RE = re.compile(r"^[0-9]*\.(?:[0-9]{1,2}|[0-9]{4,})$")


def _split_sign(text: str) -> tuple[bool, str]:
    """Separates a leading minus sign (of any common kind) from the rest of the text."""
    if text and text[0] in _MINUS:
        return True, text[1:].lstrip()
    return False, text


def _unsigned_decimal(body: str) -> Decimal | None:
    """Reads an unsigned Indonesian number into a Decimal, or None when it is not one."""
    if _PLAIN_RE.match(body) or _GROUPED_RE.match(body):
        return Decimal(body.replace(".", ""))
    if _COMMA_DECIMAL_RE.match(body):
        return Decimal(body.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL_RE.match(body):
        return Decimal(body)
    return None


def parse_decimal_id(text: str) -> Decimal:
    """Reads an Indonesian decimal ("5,5", "1.234,5", "5.5") into a Decimal; the sign is kept."""
    stripped = text.strip()
    if len(stripped) > _MAX_TEXT:
        raise NotANumber(reason=NOT_A_NUMBER)
    negative, body = _split_sign(stripped)
    value = _unsigned_decimal(body)
    if value is None:
        raise NotANumber(reason=NOT_A_NUMBER)
    return -value if negative else value


def strip_unit(text: str) -> str:
    """Removes one trailing unit word ("10 pcs" -> "10"); returns the text unchanged when there is none."""
    match = _UNIT_RE.match(text.strip())
    return match.group("num") if match else text.strip()


def parse_quantity(text: str, *, max_value: int = 1_000_000) -> int:
    """Reads a whole positive number of units ("10", "10.000", "25 pcs"), else raises InvalidQuantity."""
    if max_value < 1:
        raise ValueError("max_value must be at least 1")
    stripped = text.strip()
    if len(stripped) > _MAX_TEXT and _LONG_DIGITS_RE.match(stripped):
        raise TooLarge(reason=TOO_LARGE, max_value=max_value)
    if not stripped or len(stripped) > _MAX_TEXT:
        raise NotANumber(reason=NOT_A_NUMBER)
    negative, body = _split_sign(strip_unit(stripped))
    if _PLAIN_RE.match(body) or _GROUPED_RE.match(body):
        digits = body.replace(".", "").lstrip("0")
        # A number longer than max_value is too large whatever it is; this also avoids int() on huge strings.
        value = max_value + 1 if len(digits) > len(str(max_value)) else int(digits or "0")
    else:
        decimal = _unsigned_decimal(body)
        if decimal is None or decimal == decimal.to_integral_value():
            # "10.00" is neither a valid grouping nor a fraction anyone means: ask again.
            raise NotANumber(reason=NOT_A_NUMBER)
        raise NotWhole(reason=NOT_WHOLE)
    if negative or value == 0:
        raise ZeroOrNegative(reason=ZERO_OR_NEGATIVE)
    if value > max_value:
        raise TooLarge(reason=TOO_LARGE, max_value=max_value)
    return value


_AMOUNT_RE = re.compile(r"^(?:rp\.?\s*)?([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,15})$")


def parse_amount(text: str) -> int | None:
    """Whole rupiah or a count ("3500", "3.500", "Rp3.500", "Rp 3.500"), or None when it is not one."""
    match = _AMOUNT_RE.match(text.strip().lower())
    return int(match.group(1).replace(".", "")) if match else None


WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_RELATIVE_DAYS = {"hariini": 0, "hari ini": 0, "today": 0, "besok": 1, "tomorrow": 1, "lusa": 2}
LAST_WEEK_WORDS = frozenset({"lalu", "last"})


def parse_day(text: str, today: date) -> date | None:
    """The day meant by a word or a date as people write it (see the module docstring), else None."""
    word = text.strip().lower()
    if word in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[word])
    if word in WEEKDAYS:  # the next such day, today included ("senin" on a Monday is today)
        return today + timedelta(days=(WEEKDAYS[word] - today.weekday()) % 7)
    try:
        return date.fromisoformat(word)
    except ValueError:
        pass
    parts = word.replace("/", "-").replace(".", "-").split("-")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        day, month = int(parts[0]), int(parts[1])
        year = int(parts[2]) if len(parts) == 3 else today.year
        year += 2000 if year < 100 else 0
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def monday_of(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def parse_week(text: str) -> date | None:
    """The Monday of an ISO week ("2026-W48") or of the week holding an ISO date ("2026-11-28"), else None."""
    text = text.strip().upper()
    try:
        if "-W" in text:
            year, week = text.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        return monday_of(date.fromisoformat(text))
    except ValueError:
        return None


def week_name(day: date) -> str:
    """The ISO week holding `day`, as `parse_week` reads it back: "2026-W48"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def report_week(text: str, today: date) -> date | None:
    """The Monday /laporan means: this week for "", last week for "lalu", else the week of a day or ISO week."""
    word = text.strip().lower()
    if not word:
        return monday_of(today)
    if word in LAST_WEEK_WORDS:
        return monday_of(today) - timedelta(days=7)
    day = parse_day(word, today)
    return monday_of(day) if day is not None else parse_week(word)
