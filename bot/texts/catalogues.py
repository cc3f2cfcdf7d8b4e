"""The gettext catalogues under `bot/locales/<lang>/LC_MESSAGES/messages.po`, read once through Babel.

Each `.po` file is parsed with Babel and compiled to an in-memory `.mo` the first time its language is
used, so there is no build step: dropping a new `xx/LC_MESSAGES/messages.po` in adds a language. The
stdlib `gettext` machinery (Babel's `Translations`) then does the lookups, the plural rule of each
language (its `Plural-Forms` header) and the fallback to Indonesian for anything untranslated.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "id"
UNIT_CONTEXT = "unit"
VEHICLE_CONTEXT = "vehicle"
# Two lowercase letters (ISO 639-1): the customers' language column holds two characters.
_CODE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class Catalogue:
    """One language's texts: the gettext lookups plus which keys it translates, singular and plural."""

    lang: str
    translations: Translations
    texts: frozenset[str]
    plurals: frozenset[str]
    num_plurals: int


def po_path(lang: str) -> Path:
    """Where the catalogue of `lang` lives."""
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def languages() -> tuple[str, ...]:
    """Every language that has a catalogue, Indonesian first, then by code."""
    found = sorted(p.name for p in LOCALES.iterdir() if _CODE.match(p.name) and po_path(p.name).is_file())
    if DEFAULT_LANGUAGE not in found:
        raise RuntimeError(f"the default language's catalogue is missing: {po_path(DEFAULT_LANGUAGE)}")
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


def read_catalog(lang: str) -> Catalog:
    """The parsed `.po` file of `lang` (Babel's Catalog, fuzzy and untranslated entries included)."""
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _is_translated(string: str | tuple[str, ...] | list[str] | None, fuzzy: bool) -> bool:
    """Whether an entry counts: not fuzzy and no empty form (a half-translated plural falls back whole)."""
    forms = [string] if isinstance(string, str) or string is None else list(string)
    return not fuzzy and all(forms)


@cache
def catalogue(lang: str) -> Catalogue:
    """The compiled catalogue of `lang`, falling back to Indonesian for what it does not translate."""
    catalog = read_catalog(lang)
    texts: set[str] = set()
    plurals: set[str] = set()
    for message in list(catalog)[1:]:
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        if not _is_translated(message.string, message.fuzzy):
            catalog.delete(message.id, context=message.context)
        elif message.context is None:
            (plurals if message.pluralizable else texts).add(key)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(buffer, domain=DOMAIN)
    if lang != DEFAULT_LANGUAGE:
        translations.add_fallback(catalogue(DEFAULT_LANGUAGE).translations)
    return Catalogue(lang, translations, frozenset(texts), frozenset(plurals), catalog.num_plurals)
