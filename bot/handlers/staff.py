"""Staff commands (bakery, paving yard, galeri): help, today's pickups, the production sheet, find, pay by code.

Every handler is `@staff_only`; the services check the role again. A buyer who types a staff command is refused
politely (or, for /pesanan and /bayar, told the command is unknown, as buyers have no such commands).
"""

from __future__ import annotations

from telegram import Update

from bot.render.staff_cards import card_screen, money_note, today_markup, today_text
from bot.render.staff_sheets import sheet_html
from bot.routing import replies
from bot.routing.context import BotContext
from bot.routing.router import Router, staff_only
from bot.texts import t
from bot.texts.format import long_date
from models.rules.calendar import wib_today
from models.rules.parsing import parse_day
from models.services import desk

router = Router()


@router.command("petugas")
@staff_only
async def help_command(update: Update, context: BotContext) -> None:
    """Lists the staff commands."""
    await replies.say(update, context, t(context.lang, "st_help"))


@router.command("hariini")
@staff_only
async def today(update: Update, context: BotContext) -> None:
    """Shows today's pickups by slot, paid or not, with a button per order."""
    day = wib_today(context.services.clock)
    views = await desk.todays_pickups(context.session, context.viewer.telegram_id, day)
    text = today_text(views, long_date(day, context.lang), context.lang)
    await replies.say(update, context, text, today_markup(views) if views else None)


@router.command("produksi")
@staff_only
async def production(update: Update, context: BotContext) -> None:
    """Shows the production sheet of a day (today by default): ordered, batches, planned, surplus, trays."""
    words = " ".join(context.args or [])
    today_ = wib_today(context.services.clock)
    day = parse_day(words, today_) if words else today_
    if day is None:
        await replies.say(update, context, t(context.lang, "st_usage_date"))
        return
    sheet = await desk.production_sheet(context.session, context.viewer.telegram_id, day)
    await replies.say(update, context, sheet_html(sheet, context.lang))


@router.command("pesanan", quiet_for_buyers=True)
@staff_only
async def find(update: Update, context: BotContext) -> None:
    """Finds an order by code and shows its card."""
    code = "".join(context.args or [])
    if not code:
        await replies.say(update, context, t(context.lang, "st_usage_order"))
        return
    view = await desk.card_by_code(context.session, context.viewer.telegram_id, code)
    await replies.show(update, context, card_screen(view, context.lang), track=False, in_place=False)


@router.command("bayar", quiet_for_buyers=True)
@staff_only
async def pay(update: Update, context: BotContext) -> None:
    """Confirms the open payment code of an order seen in the merchant app (`/bayar KODE`)."""
    code = "".join(context.args or [])
    lang = context.lang
    if not code:
        await replies.say(update, context, t(lang, "st_usage_pay"))
        return
    services, staff_id = context.services, context.viewer.telegram_id
    order, payment = await desk.confirm_by_code(
        context.session, code, staff_telegram_id=staff_id, now=context.now(), wording=services.buyer_wording,
        policy=services.payment_policy,
    )
    view = await desk.card(context.session, staff_id, order.id)
    await replies.show(update, context, card_screen(view, lang, money_note(lang, order, payment)), track=False,
                       in_place=False)
