"""Staff screens of statement matching: the column question, the proposal with its one confirm button, and what
the press confirmed. Lists are cut short (fewer lines as needed) so a month's export still fits one message; the
command line prints them whole."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton

from bot.keyboards import button, markup
from bot.render.errors import error_text
from bot.render.screen import Screen
from bot.routing.actions import Action, Audience
from bot.texts import Lang, t, tn
from bot.texts.format import clock, rupiah, short_date
from models.rules.calendar import WIB
from models.rules.statement_columns import Role
from models.rules.statement_matching import Unmatched, Why
from models.services.statements import Confirmation, Proposal, Question

SHOWN = (12, 6, 3)  # lines per list, fewer until the message fits Telegram's 4096 characters
MESSAGE = 4096
LABEL = 40  # characters of a column button
CODES = 3  # order codes named in one reason
NAME = 60  # characters of a file or column name


def _when(lang: Lang, at: datetime | None) -> str:
    """ "Jum 27/11 10.05 WIB", or a dash."""
    return f"{short_date(at.astimezone(WIB).date(), lang)} {clock(at)}" if at is not None else "-"


def _cut(lang: Lang, lines: Sequence[str], shown: int | None) -> list[str]:
    """The first `shown` lines of a list (all for None), and how many more there are."""
    if shown is None or len(lines) <= shown:
        return list(lines)
    return [*lines[:shown], t(lang, "st_statement_more", count=len(lines) - shown)]


def _name(text: str) -> str:
    """A file or column name as shown: escaped, and cut when long."""
    return escape(text if len(text) <= NAME else text[: NAME - 1] + "…")


def question_screen(lang: Lang, question: Question) -> Screen:
    """Which column holds the amount / the date / the time of day? One button per column, with a sample value."""
    key = {Role.AMOUNT: "st_statement_ask_amount", Role.TIME: "st_statement_ask_time"}.get(
        question.role, "st_statement_ask_clock"
    )
    text = t(lang, key, file=_name(question.file_name))
    buttons: list[InlineKeyboardButton] = []
    for column, header, sample in question.choices:
        name = header or t(lang, "st_statement_column", n=column + 1)
        label = f"{name} · {sample}" if sample else name
        buttons.append(button(label[:LABEL], Action.STATEMENT_COLUMN, question.token, question.role.value, column))
    if question.optional:
        buttons.append(button(t(lang, "st_statement_btn_none"), Action.STATEMENT_COLUMN, question.token,
                              question.role.value, "none"))
    return Screen(text, markup(*([b] for b in buttons)))


def _why(lang: Lang, row: Unmatched) -> str:
    """Why a row was not proposed, in staff's words (naming at most a few codes)."""
    codes = ", ".join(row.codes[:CODES]) + ("…" if len(row.codes) > CODES else "")
    match row.why:
        case Why.AMBIGUOUS:
            return t(lang, "st_why_ambiguous", codes=codes)
        case Why.DUPLICATE:
            return t(lang, "st_why_duplicate", codes=codes)
        case Why.ALREADY_PAID:
            return t(lang, "st_why_already_paid", codes=codes)
        case Why.EXPIRED:
            return t(lang, "st_why_expired", codes=codes)
        case Why.AMOUNT_DIFFERS:
            return t(lang, "st_why_amount_differs", codes=codes)
        case Why.NOT_INCOMING:
            return t(lang, "st_why_not_incoming")
        case Why.FAILED:
            return t(lang, "st_why_failed")
        case _:
            return t(lang, "st_why_no_match")


def proposal_text(lang: Lang, proposal: Proposal, shown: int | None = None) -> str:
    """The proposal: what was read, the matches, the rows and the open codes left over (`shown` lines a list)."""
    result = proposal.result
    columns = ", ".join(_name(proposal.columns[r]) or "-" for r in (Role.AMOUNT, Role.TIME) if r in proposal.columns)
    out = [t(lang, "st_statement_head", file=_name(proposal.file_name), rows=proposal.rows, columns=columns)]
    if result.matches:
        out.append("\n" + t(lang, "st_statement_matches", count=len(result.matches)))
        out += _cut(lang, [
            t(lang, "st_statement_match", code=m.order_code, amount=rupiah(m.amount), when=_when(lang, m.at),
              ref=f" · {escape(m.reference[:24])}" if m.reference else "")
            for m in result.matches
        ], shown)  # fmt: skip
    listed = [u for u in result.unmatched if u.why is not Why.UNREADABLE]
    if listed:
        out.append("\n" + t(lang, "st_statement_unmatched", count=len(listed)))
        out += _cut(lang, [
            t(lang, "st_statement_row", line=u.line, amount=rupiah(u.amount) if u.amount is not None else "-",
              when=_when(lang, u.at), why=_why(lang, u))
            for u in listed
        ], shown)  # fmt: skip
    skipped = [str(u.line) for u in result.unmatched if u.why is Why.UNREADABLE]
    if skipped:
        lines = ", ".join(_cut(lang, skipped, shown))
        out.append("\n" + t(lang, "st_statement_unreadable", lines=lines))
    if result.open_left:
        out.append("\n" + t(lang, "st_statement_open", count=len(result.open_left)))
        out += _cut(lang, [
            t(lang, "st_statement_open_line", code=i.order_code, amount=rupiah(i.payable),
              deadline=_when(lang, i.deadline))
            for i in result.open_left
        ], shown)  # fmt: skip
    if not result.matches:
        out.append("\n" + t(lang, "st_statement_nothing"))
    return "\n".join(out)


def proposal_screen(lang: Lang, proposal: Proposal) -> Screen:
    """The proposal with one button that confirms every match (none when nothing matched or it was confirmed)."""
    for shown in SHOWN:  # the shortest form is sent whatever its length: each line is bounded, it fits
        text = proposal_text(lang, proposal, shown)
        if len(text) <= MESSAGE:
            break
    count = len(proposal.result.matches)
    if not count or proposal.confirmed:
        return Screen(text)
    label = tn(lang, "st_statement_btn_confirm", count, count=count)
    return Screen(text, markup([button(label, Action.STATEMENT_CONFIRM, proposal.token)]))


def confirmation_text(lang: Lang, done: Confirmation, shown: int | None = SHOWN[0]) -> str:
    """What the press confirmed, what had been confirmed before, and what was refused (and why)."""
    out = [tn(lang, "st_statement_done", len(done.confirmed), count=len(done.confirmed))]
    out += _cut(lang, [t(lang, "st_statement_done_line", code=code, amount=rupiah(amount))
                       for code, amount in done.confirmed], shown)
    if done.already:
        out.append(t(lang, "st_statement_done_already", codes=", ".join(_cut(lang, done.already, shown))))
    out += _cut(lang, [t(lang, "st_statement_done_refused", code=code, reason=error_text(lang, error, Audience.STAFF))
                       for code, error in done.refused], shown)
    return "\n".join(out)
