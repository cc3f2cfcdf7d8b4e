"""Pesanan Saya: the buyer's orders, details, cancel while the rules allow, and "Pesan lagi"."""

from __future__ import annotations

from datetime import date
from functools import partial

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.buyer_cart import open_cart
from bot.handlers.buyer_screen import Press, Stale, action, lang, show, viewer
from bot.handlers.common import services
from bot.keyboards import button
from bot.render.buyer_alerts import cancelled_alert
from bot.render.buyer_catalogue import dates_screen, slots_screen
from bot.render.buyer_common import parse_day
from bot.render.buyer_orders import cancel_confirm_screen, order_screen, orders_screen
from bot.texts import t
from models.calendar import PickupSlot
from models.catalog import Family
from models.rules.codes import normalize_order_code
from models.services import buyer_orders, cart, catalogue, notify_staff, ordering


def _code(press: Press) -> str:
    """The order code of a button, or Stale when it is not one."""
    code = normalize_order_code(press.text_arg(0))
    if code is None:
        raise Stale()
    return code


@action("bol")
async def list_orders(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """Shows the buyer's recent orders."""
    await open_orders(update, context)


async def open_orders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the buyer's recent orders (also for /pesananku)."""
    async with services(context).session_factory() as session:
        found = await ordering.list_customer_orders(session, viewer(context).customer_id, limit=10)
    await show(update, context, orders_screen(lang(context), found))


async def open_order(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    """Shows one of the buyer's orders (a button, a deep link or a typed code)."""
    svc = services(context)
    async with svc.session_factory() as session:
        order = await ordering.get_customer_order(session, viewer(context).customer_id, code)
        slot = await session.get(PickupSlot, order.slot_id) if order.slot_id else None
    screen = order_screen(lang(context), order, slot, now=svc.now(), place=svc.settings.shop_address)
    await show(update, context, screen)


@action("bor")
async def order(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows one order."""
    await open_order(update, context, _code(press))


@action("bcan")
async def ask_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Asks before cancelling an order."""
    async with services(context).session_factory() as session:
        found = await ordering.get_customer_order(session, viewer(context).customer_id, _code(press))
    await show(update, context, cancel_confirm_screen(lang(context), found))


@action("bcany")
async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Cancels the order (capacity, slot and stock go back) and tells the staff of its line."""
    svc = services(context)
    who = viewer(context)
    async with svc.session_factory.begin() as session:
        found = await buyer_orders.cancel(
            session, who.customer_id, _code(press), telegram_id=who.telegram_id, now=svc.now()
        )
        await notify_staff.alert_line(
            session,
            found.family,
            partial(cancelled_alert, order=found),
            now=svc.now(),
            dedupe_key=f"order-cancelled:{found.code}",
            group_chat_id=svc.settings.staff_group_chat_id,
            template="buyer.cancelled",
        )
        code = found.code
    await open_order(update, context, code)
    await press.answer(t(lang(context), "b_cancelled_toast", code=code))


@action("bre")
async def reorder(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """ "Pesan lagi": bread asks for a new pickup date first; other orders go straight back into the cart."""
    svc = services(context)
    code = _code(press)
    async with svc.session_factory() as session:
        found = await ordering.get_customer_order(session, viewer(context).customer_id, code)
        if found.family is Family.BREAD:
            first = found.lines[0].product
            options = await catalogue.pickup_options(session, first, svc.now())
    if found.family is Family.BREAD:
        back = button(t(lang(context), "b_btn_back"), "bor", code)
        screen = dates_screen(lang(context), first, options, back=back, action="bred", target=code)
        await show(update, context, screen)
        return
    await _reorder_into_cart(update, context, press, code)


@action("bred")
async def reorder_slots(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Shows the pickup slots for a reordered bread order."""
    svc = services(context)
    code, day = _code(press), parse_day(press.text_arg(1))
    if day is None:
        raise Stale()
    async with svc.session_factory() as session:
        found = await ordering.get_customer_order(session, viewer(context).customer_id, code)
        first = found.lines[0].product
        await cart.check_pickup(session, first, day, None, svc.now())
        options = await catalogue.slot_options(session, Family.BREAD, day)
    screen = slots_screen(lang(context), first, day, options, action="bres", target=code, back_action="bre")
    await show(update, context, screen)


@action("bres")
async def reorder_bread(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Puts a bread order back in the cart for the chosen date and slot."""
    day = parse_day(press.text_arg(1))
    if day is None:
        raise Stale()
    await _reorder_into_cart(update, context, press, _code(press), day=day, slot_id=press.int_arg(2))


async def _reorder_into_cart(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    press: Press,
    code: str,
    *,
    day: date | None = None,
    slot_id: int | None = None,
) -> None:
    """Adds the order's lines to the cart (bread for the chosen date and slot) and shows it."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        await cart.reorder(session, viewer(context).customer_id, code, now=svc.now(), fulfil_date=day, slot_id=slot_id)
    await open_cart(update, context)
    await press.answer(t(lang(context), "b_reordered_toast"))
