"""Staff record an order for a walk-in, phone or Instagram buyer: a short form kept in the chat's state.

Steps: source -> product -> quantity (typed) -> date and slot (bread) -> name -> phone -> cash or QRIS ->
check -> save. The order obeys the same rules and counts in the same capacity, sheets and reports as a
bot order; saving twice (a double tap) records it once (a checkout key drawn when the form opens).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from telegram import InputFile, Update

from bot.keyboards import parse_day_code
from bot.payments.codes import with_code
from bot.render import staff_walkin as form
from bot.render.payable import payable_text
from bot.render.screen import Screen
from bot.render.staff_cards import card_screen, status_label
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.router import Router, staff_only
from bot.texts import t
from models.catalog import Family
from models.errors import DomainError, FormExpired, FormOutOfStep
from models.order import OrderSource
from models.rules.parsing import parse_quantity
from models.rules.phone import normalize_phone
from models.services import catalogue, conversation, desk, walkin

router = Router()
MAX_QUANTITY = 1_000_000


async def _form(context: BotContext) -> dict[str, Any]:
    """The form data of the staff member's open walk-in form; FormExpired when none is open (an old button)."""
    state = await conversation.get_state(context.session, context.viewer.telegram_id)
    if not state.step.startswith(Step.WALKIN):
        raise FormExpired()
    return dict(state.data or {})


async def _next(context: BotContext, step: Step, data: dict[str, Any]) -> None:
    """Stores the form and the step it waits at."""
    await conversation.set_step(context.session, context.viewer.telegram_id, step, **data)


async def _show(update: Update, context: BotContext, screen: Screen) -> None:
    """Shows the form's next question in place of the pressed one."""
    await replies.answer(context)
    await replies.show(update, context, screen, track=False)


@router.command("catat")
@staff_only
async def begin(update: Update, context: BotContext) -> None:
    """Opens the form: where does the order come from?"""
    await desk.require_staff(context.session, context.viewer.telegram_id)
    await _next(context, Step.WALKIN, {"key": secrets.token_hex(8)})
    await replies.show(update, context, form.sources_screen(context.lang), track=False, in_place=False)


@router.button(Action.WALKIN_SOURCE)
@staff_only
async def on_source(update: Update, context: BotContext) -> None:
    """Stores the source and lists the products."""
    data = await _form(context)
    data["source"] = context.press.choice(0, frozenset(s.value for s in form.SOURCES))
    await _next(context, Step.WALKIN, data)
    products = await catalogue.active_products(context.session)
    await _show(update, context, form.products_screen(context.lang, products))


@router.button(Action.WALKIN_PRODUCT)
@staff_only
async def on_product(update: Update, context: BotContext) -> None:
    """Stores the product and asks for the quantity."""
    data = await _form(context)
    if "source" not in data:
        raise FormOutOfStep()
    product = await catalogue.get_product(context.session, context.press.int_arg(0))
    data["product_id"] = product.id
    await _next(context, Step.WALKIN_QUANTITY, data)
    await _show(update, context, form.quantity_screen(context.lang, product))


@router.step(Step.WALKIN_QUANTITY)
@staff_only
async def on_quantity(update: Update, context: BotContext) -> None:
    """Reads the typed quantity; bread goes on to the date, everything else to the buyer's name."""
    data, lang = context.step_data, context.lang
    message = update.effective_message
    try:
        data["qty"] = parse_quantity((message.text if message else None) or "", max_value=MAX_QUANTITY)
    except DomainError:
        await replies.show(update, context, form.ask(lang, t(lang, "st_walkin_bad_qty")), track=False)
        return
    product = await catalogue.get_product(context.session, int(data["product_id"]))
    if product.family is not Family.BREAD:
        await _next(context, Step.WALKIN_NAME, data)
        await replies.show(update, context, form.ask(lang, t(lang, "st_walkin_name")), track=False)
        return
    options = [o for o in await catalogue.pickup_options(context.session, product, context.now(), count=8)
               if o.available]
    if not options:
        await replies.say(update, context, t(lang, "st_walkin_no_dates"))
        return
    await _next(context, Step.WALKIN, data)
    await replies.show(update, context, form.dates_screen(lang, options), track=False)


@router.button(Action.WALKIN_DATE)
@staff_only
async def on_date(update: Update, context: BotContext) -> None:
    """Stores the pickup date and offers the slots with room."""
    data = await _form(context)
    day = parse_day_code(context.press.text_arg(0))
    if day is None or "qty" not in data:
        raise FormOutOfStep()
    data["day"] = day.isoformat()
    await _next(context, Step.WALKIN, data)
    slots = [o for o in await catalogue.slot_options(context.session, Family.BREAD, day) if o.remaining > 0]
    await _show(update, context, form.slots_screen(context.lang, slots))


@router.button(Action.WALKIN_SLOT)
@staff_only
async def on_slot(update: Update, context: BotContext) -> None:
    """Stores the slot and asks for the buyer's name."""
    data = await _form(context)
    if "day" not in data:
        raise FormOutOfStep()
    data["slot_id"] = context.press.int_arg(0)
    await _next(context, Step.WALKIN_NAME, data)
    await _show(update, context, form.ask(context.lang, t(context.lang, "st_walkin_name")))


@router.step(Step.WALKIN_NAME)
@staff_only
async def on_name(update: Update, context: BotContext) -> None:
    """Reads the buyer's name and asks for the phone number."""
    lang, message = context.lang, update.effective_message
    name = " ".join(((message.text if message else None) or "").split())[:128]
    if not name:
        await replies.show(update, context, form.ask(lang, t(lang, "st_walkin_name")), track=False)
        return
    await _next(context, Step.WALKIN_PHONE, {**context.step_data, "name": name})
    await replies.show(update, context, form.ask(lang, t(lang, "st_walkin_phone")), track=False)


@router.step(Step.WALKIN_PHONE)
@staff_only
async def on_phone(update: Update, context: BotContext) -> None:
    """Reads the phone number (any Indonesian form) and asks how the buyer pays."""
    lang, message = context.lang, update.effective_message
    try:
        phone = normalize_phone((message.text if message else None) or "")
    except DomainError:
        await replies.show(update, context, form.ask(lang, t(lang, "st_err_phone")), track=False)
        return
    await _next(context, Step.WALKIN, {**context.step_data, "phone": phone})
    await replies.show(update, context, form.payment_screen(lang), track=False)


@router.button(Action.WALKIN_METHOD)
@staff_only
async def on_method(update: Update, context: BotContext) -> None:
    """Stores cash or QRIS and shows the summary to check."""
    data = await _form(context)
    method = context.press.choice(0, frozenset({"cash", "qris"}))
    if "phone" not in data:
        raise FormOutOfStep()
    data["pay"] = method
    await _next(context, Step.WALKIN, data)
    product = await catalogue.get_product(context.session, int(data["product_id"]))
    day = date.fromisoformat(data["day"]) if data.get("day") else None
    screen = form.summary_screen(
        context.lang, name=data["name"], source=OrderSource(data["source"]), product=product,
        quantity=int(data["qty"]), day=day, cash=method == "cash",
    )
    await _show(update, context, screen)


@router.button(Action.WALKIN_SAVE)
@staff_only
async def on_save(update: Update, context: BotContext) -> None:
    """Records the order (once), takes the cash or shows the QRIS code, and shows the order card."""
    data = await _form(context)
    if "pay" not in data:
        raise FormOutOfStep()
    services, staff_id, lang = context.services, context.viewer.telegram_id, context.lang
    request = walkin.WalkInOrder(
        source=OrderSource(data["source"]), product_id=int(data["product_id"]), quantity=int(data["qty"]),
        fulfil_date=date.fromisoformat(data["day"]) if data.get("day") else None,
        slot_id=int(data["slot_id"]) if data.get("slot_id") else None, name=str(data["name"]),
        phone=str(data["phone"]), cash=data["pay"] == "cash",
    )
    saved = await walkin.save(
        context.session, request, staff_telegram_id=staff_id, now=context.now(), order_policy=services.order_policy,
        payment_policy=services.payment_policy, checkout_key=f"walkin:{staff_id}:{data.get('key', '')}",
    )
    if isinstance(saved, walkin.Refused):
        await context.commit()  # the refused demand stays counted
        raise saved.cause  # the router says why
    order, payment = saved
    await conversation.clear_step(context.session, staff_id)
    view = await desk.card(context.session, staff_id, order.id)
    note = t(lang, "st_walkin_saved", code=view.order.code, status=status_label(lang, view.order.status))
    await _show(update, context, card_screen(view, lang, note))
    if payment is not None and not payment.payload:
        payment = await with_code(context, payment)  # a gateway's code, made now that the order is committed
    if payment is not None and payment.payload:
        png = services.buyer_wording.payment_qr(payment, view.order)
        caption = t(lang, "st_walkin_qr", amount=payable_text(lang, payment), code=view.order.code)
        await replies.send_photo(update, context, InputFile(png, filename=f"qris-{view.order.code}.png"),
                                 caption=caption)


@router.button(Action.WALKIN_ABORT)
@staff_only
async def on_abort(update: Update, context: BotContext) -> None:
    """Drops the form; nothing was recorded."""
    await _form(context)
    await conversation.clear_step(context.session, context.viewer.telegram_id)
    await _show(update, context, Screen(t(context.lang, "st_step_cancelled")))
