"""Every user-visible text exists in Indonesian and English with the same placeholders."""

from __future__ import annotations

import string

from bot.texts import catalogs, t


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_exists_in_both_languages() -> None:
    tables = catalogs()
    assert sorted(set(tables["id"]) - set(tables["en"])) == []
    assert sorted(set(tables["en"]) - set(tables["id"])) == []


def test_both_languages_use_the_same_placeholders() -> None:
    tables = catalogs()
    mismatched = [k for k in tables["id"] if _fields(tables["id"][k]) != _fields(tables["en"][k])]
    assert mismatched == []


def test_unknown_language_falls_back_to_indonesian() -> None:
    assert t("fr", "flood") == t("id", "flood")
    assert t("en", "flood").startswith("Sorry")
