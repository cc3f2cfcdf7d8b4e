"""Staff send their merchant app's transaction export (CSV or XLSX) as a file: the bot proposes which rows pay
which open payment codes, asks which column is which when it cannot tell, and confirms every match with one press.

The file route takes files from staff only (a buyer's file goes to the buyers' idle answer, never downloaded).
The size is checked before the download and bounded during it; everything else is the statements service's.
"""

from __future__ import annotations

from telegram import Update

from bot import telegram_files
from bot.render.screen import Screen
from bot.render.staff_statements import confirmation_text, proposal_screen, question_screen
from bot.routing import replies
from bot.routing.actions import Action, lookup
from bot.routing.context import BotContext
from bot.routing.press import Stale
from bot.routing.router import Router, staff_only
from bot.texts import t, tn
from models.errors import StatementTooLarge
from models.rules.statement_columns import Role
from models.services import statements
from models.services.statement_files import MAX_BYTES

router = Router()


def _screen(context: BotContext, outcome: statements.Outcome) -> Screen:
    """The question, or the proposal with its confirm button."""
    if isinstance(outcome, statements.Question):
        return question_screen(context.lang, outcome)
    return proposal_screen(context.lang, outcome)


@router.command("mutasi")
@staff_only
async def statement_help(update: Update, context: BotContext) -> None:
    """Says how to have a merchant statement matched: send the export file here."""
    await replies.say(update, context, t(context.lang, "st_statement_help"))


@router.on_document
@staff_only
async def statement_file(update: Update, context: BotContext) -> None:
    """Reads the statement staff sent and proposes its matches (or asks which column is which)."""
    message = update.effective_message
    document = message.document if message is not None else None
    if document is None:
        return
    await context.commit()  # the gates' work is done before the download (Bot API calls)
    try:
        data = await telegram_files.download(context.bot, document.file_id, document.file_size, MAX_BYTES)
    except telegram_files.FileTooLarge:
        raise StatementTooLarge(limit=MAX_BYTES) from None
    outcome = await statements.receive(
        context.session, data, document.file_name or "", staff_telegram_id=context.viewer.telegram_id,
        now=context.now(), lookback=context.services.payment_policy.timeout,
    )
    screen = _screen(context, outcome)
    await replies.say(update, context, screen.text, screen.markup)


@router.button(Action.STATEMENT_COLUMN)
@staff_only
async def statement_column(update: Update, context: BotContext) -> None:
    """Takes the column staff chose (or "none") and asks the next question or shows the proposal, in place."""
    press = context.press
    role = lookup(Role, press.text_arg(1))
    if role is None:
        raise Stale()
    choice = None if press.text_arg(2) == "none" else press.int_arg(2)
    outcome = await statements.answer(
        context.session, press.text_arg(0), role, choice, staff_telegram_id=context.viewer.telegram_id,
        now=context.now(), lookback=context.services.payment_policy.timeout,
    )
    await replies.answer(context)
    await replies.show(update, context, _screen(context, outcome), track=False)


@router.button(Action.STATEMENT_CONFIRM)
@staff_only
async def statement_confirm(update: Update, context: BotContext) -> None:
    """Confirms every proposed match once; buyers are told; a second press is refused politely."""
    services = context.services
    done = await statements.confirm(
        context.session, context.press.text_arg(0), staff_telegram_id=context.viewer.telegram_id,
        now=context.now(), wording=services.buyer_wording, policy=services.payment_policy,
    )
    count = len(done.confirmed)
    await replies.answer(context, tn(context.lang, "st_statement_done", count, count=count))
    await replies.strip_buttons(update, context)
    await replies.say(update, context, confirmation_text(context.lang, done))
