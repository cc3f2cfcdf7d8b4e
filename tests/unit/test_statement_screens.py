"""The proposal staff read: a month's export with hundreds of rows still fits one Telegram message, names and
references from the file are shown literally (never as HTML), and the command line gets every line."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.render.staff_statements import confirmation_text, proposal_screen, proposal_text
from models.errors import OrderExpired
from models.rules.calendar import WIB
from models.rules.statement_columns import Role
from models.rules.statement_matching import Instalment, Match, MatchResult, Unmatched, Why
from models.services.statements import Confirmation, Proposal

AT = datetime(2026, 11, 27, 10, 0, tzinfo=WIB)
CODES = tuple(f"KB-{n:06d}".replace("0", "B") for n in range(40))


def _busy_month() -> Proposal:
    """300 matches, 300 ambiguous rows naming 40 codes each, 300 unreadable lines and 300 open codes."""
    matches = [Match(n, n, CODES[n % 40], 35_000 + n, 35_000 + n, AT + timedelta(minutes=n), "R" * 200, False)
               for n in range(300)]
    unmatched = [Unmatched(1000 + n, Why.AMBIGUOUS, 35_000, AT, CODES) for n in range(300)]
    unmatched += [Unmatched(2000 + n, Why.UNREADABLE) for n in range(300)]
    open_left = [Instalment(n, CODES[n % 40], "full", 35_000, 35_500, "pending", AT, AT + timedelta(hours=1))
                 for n in range(300)]
    result = MatchResult(matches, unmatched, open_left)
    return Proposal("tok", "<b>mutasi</b>" + "x" * 300 + ".csv", 1200, {Role.AMOUNT: "Nominal", Role.TIME: "Tgl"},
                    result)


def test_a_month_of_rows_fits_one_message_with_its_button() -> None:
    proposal = _busy_month()
    screen = proposal_screen("id", proposal)
    assert len(screen.text) <= 4096
    shown = screen.text.count("\n• KB-")  # matches and open codes listed
    assert 6 <= shown <= 24
    assert f"… dan {300 - shown // 2} lagi" in screen.text  # and the rest counted
    assert screen.markup is not None
    assert [b.text for row in screen.markup.inline_keyboard for b in row] == ["✅ Konfirmasi 300 pembayaran"]


def test_names_from_the_file_are_shown_literally() -> None:
    text = proposal_screen("id", _busy_month()).text
    assert "&lt;b&gt;mutasi&lt;/b&gt;" in text and "<b>mutasi</b>" not in text


def test_the_command_line_gets_every_line() -> None:
    text = proposal_text("en", _busy_month())
    assert text.count("\n• KB-") == 600  # 300 matches and 300 open codes, none cut
    assert "… and" not in text


def test_the_confirmation_says_what_was_refused_and_why() -> None:
    done = Confirmation([("KB-BBBBBB", 35_137)], ["KB-CCCCCC"], [("KB-DDDDDD", OrderExpired())])
    text = confirmation_text("en", done)
    assert text.startswith("✅ 1 payment confirmed; the buyer was told.")
    assert "Confirmed before (not counted twice): KB-CCCCCC" in text
    assert "Not confirmed: KB-DDDDDD — " in text
