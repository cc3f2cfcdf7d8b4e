"""Formatting at the edge: rupiah, Indonesian numbers, dates, WIB times, weights and amounts in words."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from babel.numbers import format_currency

from models.rules.calendar import WIB

Lang = Literal["id", "en"]


def lang_of(code: str | None) -> Lang:
    """A stored language code as a language of the texts (Indonesian unless English)."""
    return "en" if code == "en" else "id"


# Own tables rather than CLDR so texts never change with a babel upgrade.
_DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_SHORT_DAYS = {
    "id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip

_ID_ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_ID_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
_EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen")  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
MAX_WORDS = 10**15 - 1


def rupiah(amount: int) -> str:
    """Formats rupiah the Indonesian way: "Rp28.500.000", "Rp0", "-Rp5.000"."""
    text = format_currency(amount, "IDR", format="¤#,##0", locale="id_ID", currency_digits=False)
    # Guard against CLDR variants that put a (non-breaking) space between the symbol and the number.
    return text.replace("\xa0", "").replace("\u202f", "").replace(" ", "")


def number_id(n: int) -> str:
    """Groups thousands with dots: 2310 -> "2.310"."""
    return f"{n:,}".replace(",", ".")


def decimal_id(value: Decimal | int, places: int = 1) -> str:
    """Writes a decimal the Indonesian way, rounded half up: Decimal("6.7") -> "6,7", 1234.5 -> "1.234,5"."""
    if places < 0:
        raise ValueError("places must not be negative")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = sign + number_id(int(whole))
    return f"{text},{fraction}" if fraction else text


def weight_id(kg: Decimal | int) -> str:
    """Writes a weight for buyers: "850 kg" below a tonne, "6,7 ton" from 1.000 kg on."""
    kg = Decimal(kg)
    if abs(kg) >= 1000:
        text = decimal_id(kg / 1000, places=1)
        return (text.removesuffix(",0")) + " ton"
    if 0 < abs(kg) < 1:
        return decimal_id(kg, places=1) + " kg"
    return decimal_id(kg, places=0) + " kg"


def long_date(d: date, lang: Lang = "id") -> str:
    """Writes a full date: "Sabtu, 28 November 2026" / "Saturday, 28 November 2026"."""
    return f"{_DAYS[lang][d.weekday()]}, {d.day} {_MONTHS[lang][d.month - 1]} {d.year}"


def short_date(d: date, lang: Lang = "id") -> str:
    """Writes a compact date for buttons: "Sab 28/11" / "Sat 28/11"."""
    return f"{_SHORT_DAYS[lang][d.weekday()]} {d.day:02d}/{d.month:02d}"


def clock(t: time | datetime) -> str:
    """Writes a WIB clock time "07.30 WIB"; aware datetimes are converted, naive ones are taken as WIB."""
    if isinstance(t, datetime) and t.tzinfo is not None and t.utcoffset() is not None:
        t = t.astimezone(WIB)
    return f"{t.hour:02d}.{t.minute:02d} WIB"


def _id_below_thousand(n: int) -> list[str]:
    """Indonesian words for 1..999 (empty for 0), with the se- forms sepuluh, sebelas, seratus."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ID_ONES[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [_ID_ONES[rest - 10], "belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        words += [_ID_ONES[tens], "puluh"] + ([_ID_ONES[ones]] if ones else [])
    elif rest:
        words.append(_ID_ONES[rest])
    return words


def _id_words(n: int) -> str:
    """Indonesian words for a whole number: 1000 "seribu", 101000 "seratus satu ribu", 10**6 "satu juta"."""
    if n == 0:
        return "nol"
    words: list[str] = []
    for scale, name in _ID_SCALES:
        group, n = divmod(n, scale)
        if group == 1 and name == "ribu":
            words.append("seribu")
        elif group:
            words += [*_id_below_thousand(group), name]
    words += _id_below_thousand(n)
    return " ".join(words)


def _en_below_thousand(n: int) -> list[str]:
    """English words for 1..999 (empty for 0), hyphenating tens and ones: "twenty-five"."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_EN_ONES[hundreds], "hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_EN_ONES[rest])
    return words


def _en_words(n: int) -> str:
    """English words for a whole number, US style without "and" or commas: "one hundred one"."""
    if n == 0:
        return "zero"
    words: list[str] = []
    for scale, name in _EN_SCALES:
        group, n = divmod(n, scale)
        if group:
            words += [*_en_below_thousand(group), name]
    words += _en_below_thousand(n)
    return " ".join(words)


def _checked(n: int) -> int:
    """Refuses amounts beyond what the words cover (up to 999 triliun)."""
    if abs(n) > MAX_WORDS:
        raise ValueError(f"amount too large to write in words: {n}")
    return n


def terbilang(n: int, *, with_currency: bool = True) -> str:
    """Writes an amount in Indonesian words: 25000 -> "dua puluh lima ribu rupiah" (bare words on request)."""
    words = _id_words(abs(_checked(n)))
    text = f"minus {words}" if n < 0 else words
    return f"{text} rupiah" if with_currency else text


def amount_in_words(n: int, lang: Lang = "id") -> str:
    """Writes a rupiah amount in words in the buyer's language: "twenty-five thousand rupiah" in English."""
    if lang == "id":
        return terbilang(n)
    words = _en_words(abs(_checked(n)))
    return f"{'minus ' if n < 0 else ''}{words} rupiah"
