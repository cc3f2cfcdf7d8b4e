"""Formatting at the edge: rupiah, numbers and dates in the reader's language, WIB times, amounts in words.

Babel does what it is good at: CLDR number symbols and grouping per language ("2.310" in Indonesian, "2,310"
in English) and CLDR dates with a pattern each catalogue chooses (`fmt_long_date`). Rupiah is the one
exception: `Rp4.620.000` in every language (a domain rule), from Babel's Indonesian currency format.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from bot.texts import Lang, lang_of, languages, t, tn
from models.rules.calendar import WIB

__all__ = ["Lang"]  # re-exported for the renderers that import it from here

_ID_ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_ID_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
_EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen")  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
MAX_WORDS = 10**15 - 1
# Screens repeat the same prices, quantities and dates; Babel takes microseconds per call, a cache hit less.
_CACHE = 4096


@lru_cache(maxsize=_CACHE)
def rupiah(amount: int) -> str:
    """Formats rupiah the Indonesian way in every language: "Rp28.500.000", "Rp0", "-Rp5.000"."""
    text = format_currency(amount, "IDR", format="¤#,##0", locale="id_ID", currency_digits=False)
    # Guard against CLDR variants that put a (non-breaking) space between the symbol and the number.
    return text.replace("\xa0", "").replace("\u202f", "").replace(" ", "")


@lru_cache(maxsize=_CACHE)
def number(n: int, lang: Lang = "id") -> str:
    """A whole number grouped the way `lang` writes it: 2310 -> "2.310" (id), "2,310" (en)."""
    return format_decimal(n, format="#,##0", locale=lang_of(lang))


def number_id(n: int) -> str:
    """Groups thousands with dots, the Indonesian way: 2310 -> "2.310"."""
    return number(n, "id")


def decimal(value: Decimal | int, lang: Lang = "id", places: int = 1) -> str:
    """A decimal rounded half up and written the way `lang` does: 6.7 -> "6,7" (id), "6.7" (en)."""
    if places < 0:
        raise ValueError("places must not be negative")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    # Already rounded half up: Babel's own (half-even) rounding has nothing left to change.
    text = format_decimal(rounded, format=pattern, locale=lang_of(lang))
    return text if rounded or not text.startswith("-") else text[1:]


def decimal_id(value: Decimal | int, places: int = 1) -> str:
    """Writes a decimal the Indonesian way, rounded half up: Decimal("6.7") -> "6,7", 1234.5 -> "1.234,5"."""
    return decimal(value, "id", places)


def short_decimal(value: Decimal | int, lang: Lang = "id", places: int = 2) -> str:
    """A decimal without trailing zeros: 50 -> "50", 52.5 -> "52,5" (id) / "52.5" (en)."""
    value = Decimal(value)
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    exponent = rounded.as_tuple().exponent
    return decimal(rounded, lang, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def weight(kg: Decimal | int, lang: Lang = "id") -> str:
    """A weight for buyers: "850 kg" below a tonne, "6,7 ton" (id) or "6.7 t" (en) from 1,000 kg on."""
    kg = Decimal(kg)
    if abs(kg) >= 1000:
        return t(lang, "w_tonnes", n=short_decimal(kg / 1000, lang, places=1))
    if 0 < abs(kg) < 1:
        return t(lang, "w_kg", n=decimal(kg, lang, places=1))
    return t(lang, "w_kg", n=decimal(kg, lang, places=0))


def weight_id(kg: Decimal | int) -> str:
    """Writes a weight for buyers in Indonesian: "850 kg" below a tonne, "6,7 ton" from 1.000 kg on."""
    return weight(kg, "id")


@lru_cache(maxsize=_CACHE)
def long_date(d: date, lang: Lang = "id") -> str:
    """Writes a full date: "Sabtu, 28 November 2026" / "Saturday, 28 November 2026" (the catalogue's pattern)."""
    return format_date(d, t(lang, "fmt_long_date"), locale=lang_of(lang))


@lru_cache(maxsize=_CACHE)
def short_date(d: date, lang: Lang = "id") -> str:
    """Writes a compact date for buttons: "Sab 28/11" / "Sat 28/11"."""
    return format_date(d, t(lang, "fmt_short_date"), locale=lang_of(lang))


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
    """A rupiah amount in words: English words for English, Indonesian "terbilang" for every other language.

    Babel has no number spell-out, so each language's words are code; the terbilang of a rupiah amount is
    what Indonesian receipts print, and the fallback for a language without a speller here.
    """
    if lang_of(lang) != "en":
        return terbilang(n)
    words = _en_words(abs(_checked(n)))
    return f"{'minus ' if n < 0 else ''}{words} rupiah"


def preload() -> None:
    """Reads every catalogue and Babel's data for its language now, so no buyer's first press waits for them."""
    for lang in languages():
        long_date(date(2026, 1, 1), lang)
        short_date(date(2026, 1, 1), lang)
        decimal(Decimal("1.5"), lang)
        tn(lang, "n_orders", 2, n=number(2, lang))
    rupiah(0)
