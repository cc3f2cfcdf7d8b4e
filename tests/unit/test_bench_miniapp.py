"""Benchmark 8's rows: the storefront's median first paint against the floor page's, the verdict only under "3G Slow",
and "not measured" with the reason when no browser can run (the browser itself runs in `python -m bench`)."""

from __future__ import annotations

import pytest

from bench import browser, miniapp
from bench.browser import DEVTOOLS_SLOW_3G, THREE_G_SLOW, Load


def _load(fcp: float, grid: float | None = None) -> Load:
    return Load(fcp=fcp, html_end=400.0, own_bytes=14_000, html_bytes=5_000, grid=grid, screen=None, api_bytes=3_300)


def test_the_row_is_the_median_first_paint_against_the_floors_with_the_target_under_3g_slow() -> None:
    floors = [_load(450), _load(470), _load(460)]
    row = miniapp._row(THREE_G_SLOW, 3, floors, [_load(900, 1200), _load(520, 1100), _load(540, None)])
    assert (row.value, row.baseline, row.ratio) == ("FCP 540 ms", "floor page FCP 460 ms", pytest.approx(540 / 460))
    assert (row.target, row.verdict) == ("FCP < 1000 ms", "hit")
    assert "first product card 1150 ms" in row.note and "FCP runs: 900, 520, 540" in row.note
    assert "first screen's photos shown -" in row.note  # no load got there: said, not invented
    slow = miniapp._row(THREE_G_SLOW, 1, floors[:1], [_load(1000)])
    assert slow.verdict == "**missed**"
    preset = miniapp._row(DEVTOOLS_SLOW_3G, 1, floors[:1], [_load(2100)])
    assert (preset.target, preset.verdict) == ("-", "-")  # for information only


async def test_without_chromium_both_rows_say_not_measured_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", "/nonexistent/chromium")
    rows = await miniapp.run(quick=True)
    assert [r.verdict for r in rows] == ["not measured", "not measured"]
    assert all(r.value == "not measured: no Chromium at /nonexistent/chromium (apt-get install chromium, or set "
               "CHROMIUM)" for r in rows)
    assert [r.target for r in rows] == ["FCP < 1000 ms", "-"]
