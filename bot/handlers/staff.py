"""Staff handlers (bakery, paving yard, galeri): today's list, production sheet, order cards, payments.

Registered before the buyer handlers (group 0). Every command checks the role here and again in the
service; a buyer who types a staff command or forges a staff button gets a polite refusal.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.handlers import staff_orders, staff_walkin
from bot.handlers.common import services
from bot.handlers.staff_common import (
    RoleFilter,
    error_text,
    lang,
    parse_day,
    pressed,
    refuse,
    staff_gate,
    today_of,
    wording,
)
from bot.render.staff_cards import card_markup, card_text, status_label, today_markup, today_text
from bot.render.staff_sheets import sheet_html
from bot.texts import t
from bot.texts.format import long_date, rupiah
from models.errors import DomainError
from models.people import Role
from models.services import desk, reports
from models.services import staff as staff_service


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the staff commands."""
    if await staff_gate(update, context) is None or update.effective_message is None:
        return
    await update.effective_message.reply_text(t(lang(context), "st_help"))


async def today(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows today's pickups by slot, paid or not, with a button per order."""
    viewer = await staff_gate(update, context)
    if viewer is None or update.effective_message is None:
        return
    lg, day = lang(context), today_of(context)
    async with services(context).session_factory() as session:
        views = await desk.todays_pickups(session, viewer.telegram_id, day)
    await update.effective_message.reply_text(
        today_text(views, long_date(day, lg), lg), reply_markup=today_markup(views) if views else None
    )


async def production(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the production sheet of a day (today by default): ordered, batches, planned, surplus, trays."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    text = " ".join(context.args or [])
    day = parse_day(text, today_of(context)) if text else today_of(context)
    if day is None:
        await message.reply_text(t(lg, "st_usage_date"))
        return
    async with services(context).session_factory() as session:
        await staff_service.require_role(session, viewer.telegram_id, Role.STAFF)
        sheet = await reports.production_sheet(session, day)
    await message.reply_text(sheet_html(sheet, lg))


async def find(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Finds an order by code and shows its card."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    code = "".join(context.args or [])
    if not code:
        await message.reply_text(t(lg, "st_usage_order"))
        return
    try:
        async with services(context).session_factory() as session:
            order = await desk.find_order(session, viewer.telegram_id, code)
            view = await desk.view_of(session, order)
    except DomainError as exc:
        await message.reply_text(error_text(lg, exc, code.upper()))
        return
    await message.reply_text(card_text(view, lg), reply_markup=card_markup(view, lg))


async def pay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirms the open payment code of an order seen in the merchant app (`/bayar KODE`)."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    code = "".join(context.args or [])
    if not code:
        await message.reply_text(t(lg, "st_usage_pay"))
        return
    svc = services(context)
    try:
        async with svc.session_factory.begin() as session:
            order, payment = await desk.confirm_by_code(
                session, code, staff_telegram_id=viewer.telegram_id, now=svc.now(), wording=wording(context),
                policy=svc.payment_policy,
            )
        async with svc.session_factory() as session:
            view = await desk.view_of(session, await desk.order_by_id(session, viewer.telegram_id, order.id))
    except DomainError as exc:
        await message.reply_text(error_text(lg, exc, code.upper()))
        return
    done = t(lg, "st_ok_paid", code=order.code, amount=rupiah(payment.amount), status=status_label(lg, order.status))
    await message.reply_text(card_text(view, lg) + "\n\n" + done, reply_markup=card_markup(view, lg))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every staff button ("s..."): order cards, proofs and the walk-in form; unknown ones answered politely."""
    callback = pressed(update)
    if callback is not None and callback.action in staff_orders.ACTIONS:
        await staff_orders.on_button(update, context)
    elif callback is not None and callback.action in staff_walkin.ACTIONS:
        await staff_walkin.on_button(update, context)
    else:
        viewer = await staff_gate(update, context)
        if viewer is not None:
            await refuse(update, "st_err_stale", viewer.lang)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the staff handlers."""
    application.add_handler(CommandHandler("hariini", today))
    application.add_handler(CommandHandler("produksi", production))
    staff_only = RoleFilter(application)  # a buyer's /pesanan or /bayar goes on to the buyer handlers
    application.add_handler(CommandHandler("pesanan", find, filters=staff_only))
    application.add_handler(CommandHandler("bayar", pay, filters=staff_only))
    application.add_handler(CommandHandler("petugas", help_command))
    application.add_handler(CommandHandler("catat", staff_walkin.begin))
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^s[a-z]*(:|$)"))
