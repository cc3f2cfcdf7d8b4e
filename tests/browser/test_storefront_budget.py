"""The storefront's own files stay small: a first paint on slow 3G needs them under 100 KB compressed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "bot" / "web" / "miniapp" / "static"
BUDGET = 100 * 1024


def test_the_page_code_and_styles_stay_under_100_kb_compressed() -> None:
    """index.html, app.css, app.js and any other own file, gzip-compressed as the server sends them."""
    files = sorted(p for p in STATIC.iterdir() if p.is_file())
    assert {"index.html", "app.css", "app.js"} <= {p.name for p in files}
    total = sum(len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in files)
    assert total < BUDGET, f"{total} bytes compressed"


def test_the_page_names_only_files_the_server_serves() -> None:
    """Every static file name matches the server's pattern (others would answer 404)."""
    pattern = re.compile(r"^[a-z0-9_-]+\.(js|css|html|svg|png|ico)$")
    assert [p.name for p in STATIC.iterdir() if not pattern.match(p.name)] == []
