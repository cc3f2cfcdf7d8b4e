"""Reading the cells of a merchant's transaction export: amounts written the Indonesian or the English way, dates
and times in the forms bank portals and merchant apps use, and the bill numbers the bot put in its QRIS codes.

Every reader returns None for a cell it cannot read with certainty; nothing is guessed. "42.000" is forty-two
thousand (Indonesian thousands), "42,000.00" too (English); an amount with a fraction of a rupiah is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from models.rules.codes import ORDER_ALPHABET, ORDER_PREFIX

MAX_DIGITS = 15

_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s*(?:rp|idr)$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def parse_amount(text: str) -> int | None:
    """Whole rupiah from "42.000", "42,000.00", "Rp 42.000", "IDR 42,000", "42000", "42.000,-" or "(42.000)"."""
    s = text.strip().replace("\u00a0", " ")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = _CURRENCY.sub("", s)
    if s[:1] in ("-", "+"):
        negative, s = negative or s[0] == "-", s[1:].strip()
    s = _CURRENCY_AFTER.sub("", _CURRENCY.sub("", s))
    s = re.sub(r"[.,]-$", "", s).replace(" ", "")
    if not s or not s[0].isdigit() or not re.fullmatch(r"[0-9.,]+", s):
        return None
    value = _whole(s)
    if value is None:
        return None
    return -value if negative else value


def _whole(s: str) -> int | None:
    """The whole number a digit string with separators writes, or None when it is not certain or not whole."""
    seps = [c for c in s if c in ".,"]
    whole, fraction = s, ""
    if len(set(seps)) == 2:  # "42,000.00" or "42.000,00": the last separator is the decimal one
        decimal = s[max(s.rfind("."), s.rfind(","))]
        whole, _, fraction = s.rpartition(decimal)
        if decimal in whole or not _GROUPED.match(whole):
            return None
    elif len(seps) == 1:
        head, _, tail = s.partition(seps[0])
        if len(tail) == 3 and head:  # "42.000" / "42,000": thousands
            whole = head + tail
        elif len(tail) in (1, 2) and head:  # "42000.00" / "42000,5": a decimal fraction
            whole, fraction = head, tail
        else:
            return None
    elif len(seps) > 1 and not _GROUPED.match(s):  # "1.234.567": thousands only
        return None
    if len(fraction) > 2 or fraction.strip("0"):
        return None  # a fraction of a rupiah: QRIS amounts are whole
    digits = re.sub(r"[.,]", "", whole)
    if not digits.isdigit() or len(digits) > MAX_DIGITS:
        return None
    return int(digits)


# --- dates and times -------------------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "peb": 2, "mar": 3, "maret": 3,
    "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7,
    "july": 7, "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11, "nop": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip
_ZONES: dict[str, tzinfo] = {
    "wib": timezone(timedelta(hours=7)), "wita": timezone(timedelta(hours=8)), "wit": timezone(timedelta(hours=9)),
    "utc": UTC, "gmt": UTC, "z": UTC,
}  # fmt: skip
_WEEKDAY = re.compile(r"^[a-z]+,\s*", re.IGNORECASE)
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)")
_D_MON_Y = re.compile(r"^(\d{1,2})[\s\-/]+([a-z]+)\.?[\s\-/]+(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
_MON_D_Y = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.IGNORECASE)
_CLOCK = re.compile(
    r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d{1,9})?)?\s*(am|pm)?\s*"
    r"(wib|wita|wit|utc|gmt|z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_JOINERS = re.compile(r"^(?:t|,|pukul|jam|at)?\s*", re.IGNORECASE)

SECOND, MINUTE, DAY = timedelta(seconds=1), timedelta(minutes=1), timedelta(days=1)


@dataclass(frozen=True)
class Clock:
    """A time of day as written: the time, how precise it is (a minute or a second), and its zone if it says."""

    at: time
    span: timedelta
    zone: tzinfo | None = None


@dataclass(frozen=True)
class Moment:
    """When a transaction happened: it started at `start` (aware) and the cell cannot tell closer than `span`."""

    start: datetime
    span: timedelta

    @property
    def end(self) -> datetime:
        """The first instant after the period the cell names."""
        return self.start + self.span


def _year(text: str) -> int:
    """A four-digit year ("26" is 2026)."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def _date_part(text: str, month_first: bool = False) -> tuple[date, str] | None:
    """The date at the start of a cell and what follows it (numeric dates day first unless `month_first`)."""
    s = _WEEKDAY.sub("", text.strip())
    try:
        if m := _YMD.match(s):
            return date(int(m[1]), int(m[2]), int(m[3])), s[m.end():]
        if m := _DMY.match(s):  # day first, as Indonesia writes it; a US export says so by a day above 12
            first, second = (int(m[2]), int(m[1])) if month_first else (int(m[1]), int(m[2]))
            return date(_year(m[3]), second, first), s[m.end():]
        if (m := _D_MON_Y.match(s)) and m[2].lower() in MONTHS:
            return date(_year(m[3]), MONTHS[m[2].lower()], int(m[1])), s[m.end():]
        if (m := _MON_D_Y.match(s)) and m[1].lower() in MONTHS:
            return date(int(m[3]), MONTHS[m[1].lower()], int(m[2])), s[m.end():]
    except ValueError:  # 31 November and the like
        return None
    return None


def parse_clock(text: str) -> Clock | None:
    """A time of day: "10:05", "10.05.33", "2:05 PM", "10:05:33 WIB", "10:05:33+07:00"."""
    m = _CLOCK.match(text.strip())
    if m is None:
        return None
    hour, minute = int(m[1]), int(m[2])
    if m[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[4].lower() == "pm" else 0)
    if hour > 23 or minute > 59 or (m[3] is not None and int(m[3]) > 59):
        return None
    zone = _zone(m[5]) if m[5] else None
    at = time(hour, minute, int(m[3]) if m[3] else 0)
    return Clock(at, SECOND if m[3] else MINUTE, zone)


def _zone(text: str) -> tzinfo:
    """A zone written as WIB, UTC, Z or an offset."""
    found = _ZONES.get(text.lower())
    if found is not None:
        return found
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def month_first_dates(texts: list[str]) -> bool:
    """True when a column writes numeric dates month first (11/27/2026): some second number is above 12 and no
    first one is. Otherwise day first, as Indonesian exports do."""
    pairs = [(int(m[1]), int(m[2])) for text in texts if (m := _DMY.match(_WEEKDAY.sub("", text.strip())))]
    return any(b > 12 for _, b in pairs) and not any(a > 12 for a, _ in pairs)


def parse_moment(text: str, local: tzinfo, clock_text: str = "", *, month_first: bool = False) -> Moment | None:
    """When a row happened: a date with its time ("27/11/2026 10:05"), or a date alone (then the whole day), with
    the time of day from a column of its own when the export keeps it apart; naive times are in `local`."""
    found = _date_part(text, month_first)
    if found is None:
        return None
    day, rest = found
    rest = _JOINERS.sub("", rest.strip()).strip()
    clock = parse_clock(rest) if rest else None
    if rest and clock is None:
        return None
    if clock is None and clock_text.strip():
        clock = parse_clock(clock_text)
    if clock is None:
        return Moment(datetime.combine(day, time(0), tzinfo=local), DAY)
    return Moment(datetime.combine(day, clock.at, tzinfo=clock.zone or local), clock.span)


def cell_kind(text: str) -> str | None:
    """What a cell holds: "datetime", "date", "clock" or "amount" (the first that reads), else None."""
    found = _date_part(text) or _date_part(text, month_first=True)
    if found is not None:
        rest = _JOINERS.sub("", found[1].strip()).strip()
        if not rest:
            return "date"
        return "datetime" if parse_clock(rest) is not None else None
    if parse_clock(text) is not None:
        return "clock"
    return "amount" if parse_amount(text) is not None else None


# --- bill numbers ----------------------------------------------------------------------------------------------

_BILL = re.compile(
    rf"(?<![A-Z0-9]){ORDER_PREFIX[:2]}-?([{ORDER_ALPHABET}]{{6}})(DP|L\d{{1,2}})?(?![A-Z0-9])", re.IGNORECASE
)


def bill_numbers(text: str) -> list[tuple[str, str]]:
    """The order codes the bot's bill numbers name in a cell ("KB7K3QXMDP" -> ("KB-7K3QXM", "DP")), in order."""
    return [(ORDER_PREFIX + m[1].upper(), (m[2] or "").upper()) for m in _BILL.finditer(text)]


# --- transaction status ----------------------------------------------------------------------------------------

_NOT_THROUGH = frozenset({
    "gagal", "failed", "fail", "failure", "batal", "dibatalkan", "cancel", "cancelled", "canceled", "refund",
    "refunded", "expired", "kedaluwarsa", "kadaluarsa", "pending", "menunggu", "ditolak", "rejected", "declined",
    "void", "reversal", "reversed",
})  # fmt: skip


def went_through(status: str) -> bool:
    """False when a status cell says the transaction failed, was cancelled, refunded or is still pending."""
    words = set(re.sub(r"[^a-z]+", " ", status.lower()).split())
    return not words & _NOT_THROUGH
