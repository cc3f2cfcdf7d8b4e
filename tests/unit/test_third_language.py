"""A third language is a new .po file: no Python changes, the bot finds it, offers it and formats for it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import write_po

import bot.texts as texts
from bot.render.buyer_account import language_screen
from bot.settings import load_settings
from bot.texts import catalogues, lang_of, languages, t, tn, unit_name
from bot.texts import format as fmt

MALAY = {
    "b_menu": "Menu utama. Sila pilih:",
    "lang_name": "Bahasa Melayu",
    "lang_button": "🇲🇾 Bahasa Melayu",
    "b_shelf_life": ("Tanpa pengawet, tahan {days} hari.",),
}


def _forget() -> None:
    """Drops what was read from the catalogues, so the next read sees the folder as it is now."""
    for cached in (catalogues.languages, catalogues.catalogue, texts.lang_of, fmt.number, fmt.long_date,
                   fmt.short_date):  # fmt: skip
        cached.cache_clear()


@pytest.fixture
def malay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped catalogues plus a Malay one made from the Indonesian file, as a translator would start."""
    locales = tmp_path / "locales"
    shutil.copytree(catalogues.LOCALES, locales)
    catalog = catalogues.read_catalog("id")
    catalog.locale = "ms"
    catalog.language_team = "Malay"
    for message in list(catalog)[1:]:
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        if message.context is None:
            # Translated texts as given; the rest left empty, as a translator's unfinished file has them.
            message.string = MALAY.get(key, ("",) if message.pluralizable else "")
    path = locales / "ms" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setattr(catalogues, "LOCALES", locales)
    _forget()
    yield path
    _forget()


def test_a_new_catalogue_is_a_new_language(malay: Path) -> None:
    assert languages() == ("id", "en", "ms")
    assert lang_of("ms-MY") == "ms"


def test_its_texts_are_used_and_what_it_leaves_untranslated_reads_in_indonesian(malay: Path) -> None:
    assert t("ms", "b_menu") == "Menu utama. Sila pilih:"
    assert t("ms", "flood") == t("id", "flood")
    assert tn("ms", "b_shelf_life", 3, days="3") == "Tanpa pengawet, tahan 3 hari."
    assert unit_name("ms", "pasang", 2) == "pasang"


def test_dates_and_numbers_follow_babels_data_for_the_new_language(malay: Path) -> None:
    assert fmt.long_date(date(2026, 3, 1), "ms") == "Ahad, 1 Mac 2026"
    assert fmt.number(2310, "ms") == "2,310"
    assert fmt.rupiah(4_620_000) == "Rp4.620.000"


def test_bahasa_offers_the_new_language_by_its_own_name(malay: Path) -> None:
    screen = language_screen("id")
    assert screen.markup is not None
    labels = [b.text for row in screen.markup.inline_keyboard for b in row]
    assert labels == ["🇮🇩 Bahasa Indonesia", "🇬🇧 English", "🇲🇾 Bahasa Melayu"]


def test_the_new_language_may_be_the_default_for_new_buyers(malay: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "ms")
    assert load_settings(_env_file=None).language == "ms"
