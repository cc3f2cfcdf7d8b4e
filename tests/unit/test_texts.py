"""Every user-visible text exists in every language, with the same placeholders and the right plural forms."""

from __future__ import annotations

import string

import pytest
import yaml
from babel.messages.catalog import Catalog, Message

from bot.menus import BUYER_COMMANDS, buyer_commands
from bot.texts import languages, t, tn, unit_name, vehicle_name
from bot.texts.catalogues import DEFAULT_LANGUAGE, read_catalog
from tests.support.harness import CATALOGUE

Entry = tuple[str | None, str]  # (msgctxt, key)


def _fields(template: str) -> set[str]:
    """The {placeholders} of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _forms(message: Message) -> list[str]:
    """Every form of an entry: one for a singular text, one per plural form otherwise."""
    string = message.string
    return [string] if isinstance(string, str) else list(string or ())


def _entries(catalog: Catalog) -> dict[Entry, Message]:
    """The catalogue's entries by context and key (the header left out)."""
    found: dict[Entry, Message] = {}
    for message in list(catalog)[1:]:
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        found[(message.context, key)] = message
    return found


@pytest.fixture(scope="module")
def catalogs() -> dict[str, dict[Entry, Message]]:
    """Every language's entries, read from its .po file as a translator left it."""
    return {lang: _entries(read_catalog(lang)) for lang in languages()}


def test_indonesian_and_english_are_offered_indonesian_first() -> None:
    assert languages()[:1] == ("id",) and "en" in languages()


def test_every_text_exists_in_every_language(catalogs: dict[str, dict[Entry, Message]]) -> None:
    reference = set(catalogs[DEFAULT_LANGUAGE])
    for lang, entries in catalogs.items():
        assert sorted(reference - set(entries), key=str) == [], lang
        assert sorted(set(entries) - reference, key=str) == [], lang


def test_no_text_is_left_untranslated_or_fuzzy(catalogs: dict[str, dict[Entry, Message]]) -> None:
    for lang, entries in catalogs.items():
        assert [k for k, m in entries.items() if m.fuzzy or not all(_forms(m))] == [], lang


def test_every_language_uses_the_same_placeholders(catalogs: dict[str, dict[Entry, Message]]) -> None:
    reference = catalogs[DEFAULT_LANGUAGE]
    for lang, entries in catalogs.items():
        mismatched = []
        for entry, message in entries.items():
            expected = set().union(*(_fields(f) for f in _forms(reference[entry])))
            forms = [_fields(f) for f in _forms(message)]
            # A plural form may leave the number out ("the day before"), never add a placeholder.
            if set().union(*forms) != expected or any(not f <= expected for f in forms):
                mismatched.append(entry)
        assert mismatched == [], lang


def test_a_text_is_plural_in_every_language_or_in_none(catalogs: dict[str, dict[Entry, Message]]) -> None:
    reference = catalogs[DEFAULT_LANGUAGE]
    for lang, entries in catalogs.items():
        assert [e for e, m in entries.items() if m.pluralizable != reference[e].pluralizable] == [], lang


def test_plural_texts_have_one_form_per_plural_form_of_their_language() -> None:
    for lang in languages():
        catalog = read_catalog(lang)
        wrong = [m.id for m in list(catalog)[1:] if m.pluralizable and len(_forms(m)) != catalog.num_plurals]
        assert wrong == [], lang


def test_indonesian_has_one_plural_form_and_english_two() -> None:
    assert read_catalog("id").num_plurals == 1
    assert read_catalog("en").num_plurals == 2


def test_every_template_formats_with_its_own_placeholders(catalogs: dict[str, dict[Entry, Message]]) -> None:
    for entries in catalogs.values():
        for message in entries.values():
            for form in _forms(message):
                form.format(**dict.fromkeys(_fields(form), "x"))  # a stray brace raises here


def test_unknown_language_falls_back_to_indonesian() -> None:
    assert t("fr", "flood") == t("id", "flood")
    assert t("en", "flood").startswith("Sorry")
    assert t("en-GB", "flood") == t("en", "flood")


def test_english_counts_agree_with_their_number() -> None:
    assert tn("en", "b_shelf_life", 1, days="1") == "No preservatives, keeps 1 day."
    assert tn("en", "b_shelf_life", 3, days="3") == "No preservatives, keeps 3 days."
    one = tn("en", "b_added", 1, product="Roti", qty="12", unit="pieces", count="1", total="Rp42.000")
    assert one.endswith("Cart: 1 product, total Rp42.000.")
    two = tn("en", "b_added", 2, product="Roti", qty="12", unit="pieces", count="2", total="Rp42.000")
    assert two.endswith("Cart: 2 products, total Rp42.000.")
    assert tn("en", "b_e_capacity", 1, left="1", unit="piece", date="Monday") == (
        "Sorry, only 1 piece is left for Monday."
    )
    assert tn("en", "st_today_title", 1, date="today", count="1", paid="0").endswith("1 order · 0 paid")


def test_indonesian_counts_do_not_inflect() -> None:
    assert tn("id", "b_shelf_life", 1, days="1") == "Tanpa pengawet, tahan 1 hari."
    assert tn("id", "b_shelf_life", 3, days="3") == "Tanpa pengawet, tahan 3 hari."


def test_units_have_english_names_in_the_singular_and_plural() -> None:
    for unit, one, many in (
        ("biji", "piece", "pieces"),
        ("pcs", "piece", "pieces"),
        ("bungkus", "pack", "packs"),
        ("pak", "pack", "packs"),
        ("kotak", "box", "boxes"),
        ("pasang", "pair", "pairs"),
    ):
        assert (unit_name("en", unit, 1), unit_name("en", unit, 2)) == (one, many)
        assert unit_name("id", unit, 1) == unit_name("id", unit, 2) == unit


def test_a_unit_no_catalogue_knows_is_shown_as_the_catalogue_writes_it() -> None:
    assert unit_name("en", "tandan", 3) == "tandan"
    assert vehicle_name("en", "tronton") == "tronton"


def test_every_unit_and_vehicle_of_the_default_catalogue_has_an_english_name() -> None:
    catalogue = yaml.safe_load(CATALOGUE.read_text())
    units = {p["unit"] for p in catalogue["products"]}
    assert sorted(u for u in units if unit_name("en", u, 2) == u) == []
    vehicles = {v for d in catalogue["defaults"].values() for v in d.get("vehicle_capacity_pcs", {})}
    assert vehicles and sorted(v for v in vehicles if vehicle_name("en", v) == v) == []


def test_a_key_read_the_wrong_way_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        t("id", "b_shelf_life")  # plural: read with tn
    with pytest.raises(KeyError):
        tn("id", "flood", 2)
    with pytest.raises(KeyError):
        t("id", "no_such_text")


def test_the_buyers_command_menu_is_described_in_every_language() -> None:
    for lang in languages():
        menu = buyer_commands(lang)
        assert [c.command for c in menu] == list(BUYER_COMMANDS)
        assert all(3 <= len(c.description) <= 256 for c in menu), lang
    assert buyer_commands("en")[0].description == "Main menu" and buyer_commands("id")[0].description == "Menu utama"
