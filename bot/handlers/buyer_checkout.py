"""Buyer checkout: phone with consent, paving pickup or delivery with the address, summary, Konfirmasi.

Every choice made so far lives in the chat's step data (the database), so a restart in the middle of checkout
resumes where the buyer was. The Konfirmasi button carries the summary's token: a second press, or a press after
a restart, finds the orders of that token instead of placing them again.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy.exc import IntegrityError
from telegram import ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import NetworkError
from telegram.ext import ContextTypes

from bot.handlers import steps
from bot.handlers.buyer_cart import open_cart
from bot.handlers.buyer_payment import send_payment
from bot.handlers.buyer_screen import (
    Press,
    Stale,
    action,
    chat_id_of,
    guarded,
    lang,
    say,
    set_step,
    show,
    typed_text,
    viewer,
)
from bot.handlers.common import services
from bot.keyboards import button, markup
from bot.render.buyer_alerts import new_order_alert, order_card_button
from bot.render.buyer_checkout import (
    address_prompt,
    fulfilment_screen,
    payment_minutes,
    phone_prompt,
    placed_screen,
)
from bot.render.buyer_checkout import summary_screen as render_summary
from bot.render.buyer_common import Screen, esc
from bot.render.buyer_errors import error_text
from bot.texts import t
from models.calendar import PickupSlot
from models.catalog import Family
from models.errors import CapacityFull, ClosedDay, OutOfStock, PastCutoff, SlotFull
from models.order import Fulfilment
from models.people import Customer
from models.rules.phone import mask_phone
from models.services import checkout, conversation, customers, notify_staff, weekly
from models.services.checkout import CartChanged, CartEmpty, CheckoutDetails, CheckoutFailed, CheckoutResult

log = logging.getLogger(__name__)
PHONE_STEP = "buyer.phone"
FULFIL_STEP = "buyer.fulfil"
ADDRESS_STEP = "buyer.address"
CONFIRM_STEP = "buyer.confirm"
ADDRESS_MIN, ADDRESS_MAX = 15, 300
_KECAMATAN = re.compile(r"\bkec(amatan)?\b", re.IGNORECASE)
_KOTA = re.compile(
    r"\b(kota|kab|kabupaten|medan|binjai|deli\s+serdang|langkat|serdang\s+bedagai|tebing\s+tinggi)\b", re.IGNORECASE
)


def _is_cancel(context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """True for the "Batal" key or a typed "batal"/"cancel"."""
    return text.strip().casefold() in {t(lang(context), "b_key_cancel").casefold(), "batal", "cancel"}


async def _ask_with_keyboard(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    step: str,
    data: dict[str, Any],
    prompt: tuple[str, ReplyKeyboardMarkup],
) -> None:
    """Moves to a step that needs the reply keyboard (contact or location) and asks below the screen."""
    if update.callback_query is not None:
        await show(update, context, Screen(t(lang(context), "b_checkout_below")), step=step, data=data)
    else:
        await set_step(update, context, step, **data)
    await say(update, context, prompt[0], prompt[1])


async def continue_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Asks for whatever checkout still lacks (phone, paving fulfilment, address), else shows the summary."""
    svc = services(context)
    customer_id = viewer(context).customer_id
    async with svc.session_factory() as session:
        customer = await session.get(Customer, customer_id)
        planned = await checkout.plan(session, customer_id, now=svc.now(), policy=svc.order_policy)
    if customer is None or not planned:
        raise CartEmpty("cart_empty")
    data = {k: v for k, v in data.items() if k not in ("token", "total")}
    if not customer.phone:
        await _ask_with_keyboard(update, context, PHONE_STEP, data, phone_prompt(lang(context)))
        return
    if any(g.family is Family.PAVING for g in planned) and "fulfilment" not in data:
        screen = fulfilment_screen(lang(context), svc.settings.shop_address)
        await show(update, context, screen, step=FULFIL_STEP, data=data)
        return
    if data.get("fulfilment") == Fulfilment.DELIVERY.value and not data.get("address"):
        await _ask_with_keyboard(update, context, ADDRESS_STEP, data, address_prompt(lang(context)))
        return
    token = checkout.new_checkout_token(customer_id)
    total = sum(g.total for g in planned)
    screen = render_summary(
        lang(context),
        planned,
        token=token,
        phone=customer.phone,
        fulfilment=Fulfilment(data.get("fulfilment", Fulfilment.PICKUP.value)),
        address=data.get("address"),
        has_location=data.get("lat") is not None,
        payment_minutes=payment_minutes(svc.order_policy.payment_timeout),
    )
    await show(update, context, screen, step=CONFIRM_STEP, data={**data, "token": token, "total": total})


@action("bco")
async def start_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """Starts checkout from the cart."""
    await continue_checkout(update, context, {})


async def _cancel_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Leaves checkout from a reply-keyboard step: removes the keyboard and shows the cart."""
    await set_step(update, context, None)
    await say(update, context, t(lang(context), "b_checkout_cancelled"), ReplyKeyboardRemove())
    await open_cart(update, context)


@action("bx")
async def cancel_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Leaves checkout; the cart stays."""
    await open_cart(update, context)
    await press.answer(t(lang(context), "b_checkout_cancelled"))


@steps.step(PHONE_STEP)
@guarded
async def phone_given(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Stores the shared or typed phone (normalised, with the consent time) and goes on."""
    message = update.effective_message
    text = typed_text(update)
    if message is not None and message.contact is not None:
        raw = message.contact.phone_number
    elif text is not None and _is_cancel(context, text):
        await _cancel_typed(update, context)
        return
    elif text is not None:
        raw = text
    else:
        await say(update, context, t(lang(context), "b_e_need_phone"))
        return
    svc = services(context)
    async with svc.session_factory.begin() as session:
        customer = await session.get(Customer, viewer(context).customer_id)
        if customer is None:
            raise Stale()
        await customers.set_phone(session, customer, raw, now=svc.now())
        phone = customer.phone or ""
    await say(update, context, t(lang(context), "b_phone_saved", phone=mask_phone(phone)), ReplyKeyboardRemove())
    await continue_checkout(update, context, data)


async def _step_data(context: ContextTypes.DEFAULT_TYPE, chat_id: int, expected: str) -> dict[str, Any]:
    """The data of the chat's step, or Stale when the chat is not at `expected` (an old button)."""
    async with services(context).session_factory() as session:
        state = await conversation.get_state(session, chat_id)
    if state.step != expected:
        raise Stale()
    return dict(state.data or {})


@action("bfp")
async def own_pickup(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """The buyer collects the paving with their own truck."""
    data = await _step_data(context, chat_id_of(update), FULFIL_STEP)
    await continue_checkout(update, context, {**data, "fulfilment": Fulfilment.PICKUP.value})


@action("bfd")
async def delivery(update: Update, context: ContextTypes.DEFAULT_TYPE, _: Press) -> None:
    """The paving is delivered: the address comes next."""
    data = await _step_data(context, chat_id_of(update), FULFIL_STEP)
    await continue_checkout(update, context, {**data, "fulfilment": Fulfilment.DELIVERY.value})


def _address_problem(text: str) -> str | None:
    """The text key saying what is wrong with a typed address, or None when it will do."""
    if len(text) < ADDRESS_MIN:
        return "b_e_address_short"
    if len(text) > ADDRESS_MAX:
        return "b_e_address_long"
    if not (_KECAMATAN.search(text) and _KOTA.search(text)):
        return "b_e_address_area"
    return None


@steps.step(ADDRESS_STEP)
@guarded
async def address_given(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, Any]) -> None:
    """Keeps a shared location and the typed address (it must name the kecamatan and kota/kabupaten)."""
    message = update.effective_message
    if message is not None and message.location is not None:
        lat, lon = message.location.latitude, message.location.longitude
        await set_step(update, context, ADDRESS_STEP, **data, lat=str(round(lat, 6)), lon=str(round(lon, 6)))
        await say(update, context, t(lang(context), "b_location_saved"))
        return
    text = typed_text(update)
    if text is None:
        await say(update, context, t(lang(context), "b_e_need_address"))
        return
    if _is_cancel(context, text):
        await _cancel_typed(update, context)
        return
    address = " ".join(text.split())
    problem = _address_problem(address)
    if problem is not None:
        await say(update, context, t(lang(context), problem, max=ADDRESS_MAX))
        return
    await say(update, context, t(lang(context), "b_address_saved", address=esc(address)), ReplyKeyboardRemove())
    await continue_checkout(update, context, {**data, "address": address})


@steps.step(FULFIL_STEP)
@steps.step(CONFIRM_STEP)
async def buttons_expected(update: Update, context: ContextTypes.DEFAULT_TYPE, _: dict[str, Any]) -> None:
    """Typed input while the buyer should press a button: says so and keeps the checkout where it is."""
    await say(update, context, t(lang(context), "b_use_buttons"))


def _details(data: dict[str, Any]) -> CheckoutDetails:
    """The checkout choices kept in the step data."""
    lat, lon = data.get("lat"), data.get("lon")
    return CheckoutDetails(
        fulfilment=Fulfilment(data.get("fulfilment", Fulfilment.PICKUP.value)),
        address=data.get("address"),
        lat=Decimal(str(lat)) if lat is not None else None,
        lon=Decimal(str(lon)) if lon is not None else None,
    )


async def _place(context: ContextTypes.DEFAULT_TYPE, chat_id: int, token: str) -> CheckoutResult:
    """Places the orders of the summary `token` (or finds them), alerts staff, and ends the checkout step."""
    svc = services(context)
    customer_id = viewer(context).customer_id
    async with svc.session_factory.begin() as session:
        state = await conversation.get_state(session, chat_id)
        current = state.step == CONFIRM_STEP and (state.data or {}).get("token") == token
        if not current and not await checkout.orders_of_checkout(session, customer_id, token):
            raise Stale()
        customer = await session.get(Customer, customer_id)
        if customer is None:
            raise Stale()
        data = dict(state.data or {}) if current else {}
        result = await checkout.checkout(
            session,
            customer,
            token,
            _details(data),
            now=svc.now(),
            order_policy=svc.order_policy,
            payment_policy=svc.payment_policy,
            expected_total=data.get("total"),
        )
        if not result.replayed:
            for order in result.orders:
                slot = await session.get(PickupSlot, order.slot_id) if order.slot_id else None
                await notify_staff.alert_line(
                    session,
                    order.family,
                    partial(new_order_alert, order=order, slot=slot, buyer_name=customer.name),
                    now=svc.now(),
                    dedupe_key=f"order-new:{order.code}",
                    group_chat_id=svc.settings.staff_group_chat_id,
                    reply_markup=order_card_button(order),
                    template="buyer.new_order",
                )
        if current:
            await conversation.clear_step(session, chat_id)
    return result


@action("bok")
async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press) -> None:
    """Konfirmasi: places the orders exactly once and sends each payment code."""
    token, chat_id = press.text_arg(0), chat_id_of(update)
    try:
        result = await _place(context, chat_id, token)
    except IntegrityError:  # another process placed the same checkout key a moment ago
        result = await _place(context, chat_id, token)
    except CheckoutFailed as exc:
        await _record_refused_demand(context, exc)
        await _show_failure(update, context, exc)
        return
    except CartChanged as exc:
        await press.answer(error_text(lang(context), exc), alert=True)
        await continue_checkout(update, context, await _step_data(context, chat_id, CONFIRM_STEP))
        return
    if result.replayed:
        await press.answer(t(lang(context), "b_already_placed"), alert=True)
        unsent = [p for p in result.payments if not p.qr_file_id]
    else:
        # The orders are placed: a slow or failing answer must not keep their payment codes from going out.
        await _despite_telegram(press.answer(), "answer to Konfirmasi")  # the spinner stops before the photos
        await _despite_telegram(show(update, context, placed_screen(lang(context), result.orders)), "placed screen")
        unsent = result.payments
    orders = {o.id: o for o in result.orders}
    for payment in unsent:
        await send_payment(update, context, payment, orders[payment.order_id])


async def _despite_telegram(step: Awaitable[object], what: str) -> None:
    """Runs one step of the answer to Konfirmasi; when Telegram fails it, logs that and goes on."""
    try:
        await step
    except NetworkError as exc:
        log.warning("%s not shown (%s: %s); sending the payment codes anyway", what, type(exc).__name__, exc)


REFUSED_DEMAND = (PastCutoff, CapacityFull, ClosedDay, SlotFull, OutOfStock)


async def _record_refused_demand(context: ContextTypes.DEFAULT_TYPE, exc: CheckoutFailed) -> None:
    """Counts demand the rules turned away (cut-off, capacity, stock) for the managers' weekly summary."""
    if not isinstance(exc.cause, REFUSED_DEMAND):
        return
    svc = services(context)
    async with svc.session_factory.begin() as session:
        await weekly.record_refusal(
            session, reason=exc.cause.code, sku=exc.sku, quantity=exc.quantity, day=exc.fulfil_date, now=svc.now()
        )


async def _show_failure(update: Update, context: ContextTypes.DEFAULT_TYPE, exc: CheckoutFailed) -> None:
    """Says which item cannot be ordered and why (nothing was placed), with a way to fix it."""
    text = error_text(lang(context), exc)
    keyboard = markup(
        [button(t(lang(context), "b_btn_fix_item", product=exc.product_name[:30]), "bi", exc.item_id)],
        [button(t(lang(context), "b_btn_cart"), "bcart")],
    )
    await show(update, context, Screen(text, keyboard))
