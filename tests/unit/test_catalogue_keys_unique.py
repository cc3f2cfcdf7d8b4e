"""No text key is written twice in a catalogue: gettext would silently keep only one of the two texts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"
_ENTRY = re.compile(r'^(?:msgctxt "(?P<context>[^"]*)"\n)?msgid "(?P<key>[^"]*)"$', re.MULTILINE)


@pytest.mark.parametrize("catalogue", sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")), ids=lambda p: p.parts[-3])
def test_every_key_is_defined_once(catalogue: Path) -> None:
    text = catalogue.read_text(encoding="utf-8")
    keys = Counter((m["context"], m["key"]) for m in _ENTRY.finditer(text) if m["key"])
    assert [key for key, count in keys.items() if count > 1] == []
