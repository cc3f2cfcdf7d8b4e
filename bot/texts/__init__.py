"""Every user-visible string, Indonesian first and English second; `t(lang, key, **values)` renders one."""

from __future__ import annotations

from bot.texts import en, id_

CATALOGS: dict[str, dict[str, str]] = {"id": id_.TEXTS, "en": en.TEXTS}


def t(lang: str | None, key: str, /, **values: object) -> str:
    """The text `key` in `lang` (Indonesian when unknown), formatted with `values`."""
    catalog = CATALOGS.get(lang or "id", id_.TEXTS)
    template = catalog.get(key) or id_.TEXTS[key]
    return template.format(**values) if values else template
