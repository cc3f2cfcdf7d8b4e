"""Every user-visible string, in gettext catalogues (`bot/locales/<lang>/LC_MESSAGES/messages.po`).

`t(lang, "key", **values)` renders a text; `tn(lang, "key", n, **values)` renders a text that counts
something, in the plural form of `lang` for `n` (Indonesian has one form, English two). Keys are the
msgids and string literals at the call site, so an extractor (and `tests/unit/test_text_keys.py`) sees
every one. Catalogue data is translated by its own word under a gettext context: `unit_name` names a
unit ("biji" -> "piece"/"pieces"), `vehicle_name` a paving vehicle; a word no catalogue knows is shown
as written. Languages are the folders under `bot/locales`; Indonesian is the default and the fallback
for anything untranslated.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeAlias

from bot.texts.catalogues import DEFAULT_LANGUAGE, UNIT_CONTEXT, VEHICLE_CONTEXT, Catalogue, catalogue, languages

# A language code that has a catalogue ("id", "en", ...); any other code renders in Indonesian.
Lang: TypeAlias = str

__all__ = ["DEFAULT_LANGUAGE", "Lang", "lang_of", "languages", "t", "texts_named", "tn", "unit_name", "vehicle_name"]


@lru_cache(maxsize=256)  # codes come from Telegram clients: bounded, not trusted
def lang_of(code: str | None) -> Lang:
    """The language to write in for a Telegram or stored code ("en", "en-GB", None): Indonesian unless offered."""
    if code:
        primary = code.replace("_", "-").split("-", 1)[0].lower()
        if primary in languages():
            return primary
    return DEFAULT_LANGUAGE


def _catalogue(lang: str | None) -> Catalogue:
    """The catalogue to read `lang`'s texts from."""
    return catalogue(lang_of(lang))


def t(lang: str | None, key: str, /, **values: object) -> str:
    """The text `key` in `lang` (Indonesian when the language or the translation is missing), formatted."""
    if key not in catalogue(DEFAULT_LANGUAGE).texts:
        raise KeyError(f"no text {key!r} (plural texts are read with tn)")
    template = _catalogue(lang).translations.gettext(key)
    return template.format(**values) if values else template


def tn(lang: str | None, key: str, n: int, /, **values: object) -> str:
    """The plural text `key` in the form `lang` uses for the number `n`, formatted with `values`."""
    if key not in catalogue(DEFAULT_LANGUAGE).plurals:
        raise KeyError(f"no plural text {key!r} (singular texts are read with t)")
    return _catalogue(lang).translations.ngettext(key, key, n).format(**values)


def unit_name(lang: str | None, unit: str, n: int) -> str:
    """A catalogue unit ("biji", "pasang") for `n` of it in `lang`; a unit the catalogues lack stays as written."""
    return _catalogue(lang).translations.npgettext(UNIT_CONTEXT, unit, unit, n)


def vehicle_name(lang: str | None, vehicle: str) -> str:
    """A vehicle of the paving settings ("engkel") in `lang`; one the catalogues lack stays as written."""
    return str(_catalogue(lang).translations.pgettext(VEHICLE_CONTEXT, vehicle))


def texts_named(lang: str | None, prefix: str) -> dict[str, str]:
    """Every plain text whose key starts with `prefix`, in `lang` (a page that reads its words by key: the Mini App)."""
    keys = sorted(k for k in catalogue(DEFAULT_LANGUAGE).texts if k.startswith(prefix))
    translations = _catalogue(lang).translations
    return {key: translations.gettext(key) for key in keys}
