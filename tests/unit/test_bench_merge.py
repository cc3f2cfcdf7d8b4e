"""`python -m bench --only NAME --readme merge`: one benchmark's rows replaced in the README block, the rest kept."""

from __future__ import annotations

from bench.report import Row, merge, not_measured, render


def _row(bench: str, case: str, value: str) -> Row:
    return Row(bench, case, value, "base", 1.0, ">= 1", "hit")


def test_a_merge_replaces_only_the_rows_of_the_benchmark_run_and_keeps_the_table_in_benchmark_order() -> None:
    """Rows of other benchmarks stay as they were; the new ones take their place by number; a note says when."""
    old = render(
        [_row("1 throughput", "browsing", "249 upd/s"), _row("6 QR", "code", "5.7 ms"),
         _row("7 processes", "two against one", "old figure")],
        {"Date": "2026-12-04 13:48 UTC", "Code": "commit aaa"},
        ["Per benchmark: 1 throughput took 108 s."],
    )
    merged = merge(old, [_row("7 processes", "two against one", "114 upd/s"), _row("7 processes", "lock", "79")],
                   ["7 processes"], {"Date": "2026-12-04 13:57 UTC", "Run": "full run of multiproc", "Code": "bbb"},
                   ["Per benchmark: 7 processes took 61 s."])
    table = [line for line in merged.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    assert [line.split(" | ")[2] for line in table] == ["249 upd/s", "5.7 ms", "114 upd/s", "79"]
    assert "old figure" not in merged
    assert "- **Date:** 2026-12-04 13:48 UTC" in merged  # the header still describes the full run
    assert merged.splitlines()[-1].startswith("- Rows 7 processes come from a later run than the header above: "
                                              "date 2026-12-04 13:57 UTC; run full run of multiproc; code bbb.")


def test_a_merge_into_an_empty_block_is_the_partial_run_alone() -> None:
    """Nothing to keep: the block is what `--readme yes` would write."""
    rows = [_row("7 processes", "lock", "79")]
    assert merge("", rows, ["7 processes"], {"Date": "d"}, []) == render(rows, {"Date": "d"}, [])


def test_a_benchmark_that_failed_with_a_long_story_stays_one_table_row() -> None:
    """A crash's transcript (line breaks, pipes) becomes one row, and a later merge still reads the table."""
    story = "AssertionError: no answer within 60 s\n--- transcript ---\n  Bot #3: Mohon maaf | coba lagi"
    old = render([_row("1 throughput", "browsing", "249 upd/s"), not_measured("7 processes", "all cases", story)],
                 {"Date": "d"}, [])
    rows = [line for line in old.splitlines() if line.startswith("| 7")]
    assert rows == ["| 7 processes | all cases | not measured: AssertionError: no answer within 60 s | - | - |  "
                    "| not measured |  |"]
    merged = merge(old, [_row("7 processes", "two against one", "114 upd/s")], ["7 processes"], {"Date": "e"}, [])
    assert "no answer" not in merged and "114 upd/s" in merged and "249 upd/s" in merged


def test_a_later_merge_drops_the_notes_of_rows_it_measured_again() -> None:
    """Each note names only the rows it still describes: an earlier note of the same rows goes, a shared one shrinks."""
    old = render([_row("1 throughput", "browsing", "249 upd/s"), _row("6 QR", "code", "5.7 ms"),
                  _row("7 processes", "two against one", "old")], {"Date": "a"}, [])
    both = merge(old, [_row("1 throughput", "browsing", "250 upd/s"), _row("7 processes", "two against one", "90")],
                 ["1 throughput", "7 processes"], {"Date": "b"}, ["Per benchmark: both took 4 min."])
    qr = merge(both, [_row("6 QR", "code", "4.6 ms")], ["6 QR"], {"Date": "c"}, [])
    again = merge(qr, [_row("1 throughput", "browsing", "260 upd/s")], ["1 throughput"], {"Date": "d"}, [])
    notes = [line for line in again.splitlines() if line.startswith("- Rows ")]
    assert notes == [
        "- Rows 7 processes come from a later run than the header above: date b. Per benchmark: both took 4 min.",
        "- Rows 6 QR come from a later run than the header above: date c.",
        "- Rows 1 throughput come from a later run than the header above: date d.",
    ]
    assert "260 upd/s" in again and "4.6 ms" in again and "| 90 |" in again
