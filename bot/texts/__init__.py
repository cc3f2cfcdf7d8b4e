"""Every user-visible string, Indonesian first and English second; `t(lang, key, **values)` renders one.

Each audience keeps its texts in its own module (`common`, `buyer`, `staff`, ...) with an `ID` and an
`EN` dict; they are merged here. A test checks that every key exists in both languages.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def catalogs() -> dict[str, dict[str, str]]:
    """All text modules merged per language; a key defined twice is a programming error."""
    merged: dict[str, dict[str, str]] = {"id": {}, "en": {}}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "format":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang, attr in (("id", "ID"), ("en", "EN")):
            table: dict[str, str] = getattr(module, attr, {})
            clash = merged[lang].keys() & table.keys()
            if clash:
                raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
            merged[lang].update(table)
    return merged


def t(lang: str | None, key: str, /, **values: object) -> str:
    """The text `key` in `lang` (Indonesian when unknown or missing), formatted with `values`."""
    tables = catalogs()
    template = tables.get(lang or "id", tables["id"]).get(key) or tables["id"][key]
    return template.format(**values) if values else template
