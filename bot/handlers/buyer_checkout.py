"""Buyer checkout: phone with consent, paving pickup or delivery with the address, summary, Konfirmasi.

Every choice made so far lives in the chat's step data (the database), so a restart in the middle of checkout
resumes where the buyer was. The Konfirmasi button carries the summary's token; `checkout.confirm` places its
orders exactly once (a second press, or a press after a restart, shows the orders already placed).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from telegram import ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import NetworkError

from bot.handlers.buyer_cart import open_cart
from bot.handlers.buyer_payment import send_payment
from bot.render.buyer_checkout import (
    address_problem_text,
    address_prompt,
    failure_screen,
    fulfilment_screen,
    payment_minutes,
    phone_prompt,
    placed_screen,
    summary_screen,
)
from bot.render.buyer_common import esc
from bot.render.errors import error_text
from bot.render.screen import Screen
from bot.routing import replies
from bot.routing.actions import Action, Audience, Step
from bot.routing.context import BotContext
from bot.routing.press import Stale
from bot.routing.replies import Notice
from bot.routing.router import Router
from bot.texts import t
from models.errors import DomainError
from models.order import Fulfilment
from models.rules.address import address_problem, clean_address
from models.rules.phone import mask_phone
from models.services import checkout, conversation, customers
from models.services.checkout import CartChanged, CheckoutFailed, Need

log = logging.getLogger(__name__)
router = Router()


def _is_cancel(context: BotContext, text: str) -> bool:
    """True for the "Batal" key or a typed "batal"/"cancel"."""
    return text.strip().casefold() in {t(context.lang, "b_key_cancel").casefold(), "batal", "cancel"}


def _typed(update: Update) -> str | None:
    """The text the buyer typed, or None for media, contacts and locations."""
    message = update.effective_message
    return message.text if message is not None and message.text else None


async def _ask_with_keyboard(
    update: Update, context: BotContext, step: Step, data: dict[str, Any], prompt: tuple[str, ReplyKeyboardMarkup],
    first: Notice | None,
) -> None:
    """Moves to a step that needs the reply keyboard (contact or location) and asks below the screen."""
    if update.callback_query is not None:
        screen = Screen(t(context.lang, "b_checkout_below"))
        await replies.show(update, context, screen, step=step, data=data, first=first)
    else:
        await replies.set_step(update, context, step, **data)
        if first is not None:
            await replies.say(update, context, first.text, first.keyboard)
    await replies.say(update, context, prompt[0], prompt[1])


async def continue_checkout(
    update: Update, context: BotContext, data: dict[str, Any], first: Notice | None = None
) -> None:
    """Asks for whatever checkout still lacks (phone, paving fulfilment, address), else shows the summary.

    `first`: what the buyer just gave, acknowledged before the next question in the same unit of work. When
    checkout cannot go on (the cart emptied meanwhile), it is committed and acknowledged before the refusal.
    """
    services = context.services
    data = {k: v for k, v in data.items() if k not in ("token", "total")}
    try:
        found = await checkout.progress(
            context.session, context.viewer.customer_id, data, now=context.now(), policy=services.order_policy
        )
    except DomainError:
        if first is not None:
            await replies.say(update, context, first.text, first.keyboard)
        raise
    if found.need is Need.PHONE:
        await _ask_with_keyboard(update, context, Step.PHONE, data, phone_prompt(context.lang), first)
    elif found.need is Need.FULFILMENT:
        screen = fulfilment_screen(context.lang, services.settings.shop_address)
        await replies.show(update, context, screen, step=Step.FULFILMENT, data=data, first=first)
    elif found.need is Need.ADDRESS:
        await _ask_with_keyboard(update, context, Step.ADDRESS, data, address_prompt(context.lang), first)
    else:
        screen = summary_screen(
            context.lang,
            found.planned,
            token=found.token,
            phone=found.phone,
            fulfilment=Fulfilment(data.get("fulfilment", Fulfilment.PICKUP.value)),
            address=data.get("address"),
            has_location=data.get("lat") is not None,
            payment_minutes=payment_minutes(services.order_policy.payment_timeout),
        )
        summary = {**data, "token": found.token, "total": found.total}
        await replies.show(update, context, screen, step=Step.CONFIRM, data=summary, first=first)


@router.button(Action.CHECKOUT)
async def start_checkout(update: Update, context: BotContext) -> None:
    """Starts checkout from the cart."""
    await continue_checkout(update, context, {})


async def _cancel_typed(update: Update, context: BotContext) -> None:
    """Leaves checkout from a reply-keyboard step: removes the keyboard and shows the cart."""
    await replies.set_step(update, context, None)
    await replies.say(update, context, t(context.lang, "b_checkout_cancelled"), ReplyKeyboardRemove())
    await open_cart(update, context)


@router.button(Action.CANCEL_CHECKOUT)
async def cancel_checkout(update: Update, context: BotContext) -> None:
    """Leaves checkout; the cart stays."""
    await open_cart(update, context)
    await replies.answer(context, t(context.lang, "b_checkout_cancelled"))


@router.step(Step.PHONE)
async def phone_given(update: Update, context: BotContext) -> None:
    """Stores the shared or typed phone (normalised, with the consent time) and goes on."""
    message = update.effective_message
    text = _typed(update)
    if message is not None and message.contact is not None:
        raw = message.contact.phone_number
    elif text is not None and _is_cancel(context, text):
        await _cancel_typed(update, context)
        return
    elif text is not None:
        raw = text
    else:
        await replies.say(update, context, t(context.lang, "b_e_need_phone"))
        return
    customer = await customers.set_phone_of(context.session, context.viewer.customer_id, raw, now=context.now())
    saved = t(context.lang, "b_phone_saved", phone=mask_phone(customer.phone or ""))
    await continue_checkout(update, context, context.step_data, first=Notice(saved, ReplyKeyboardRemove()))


async def _fulfilment_chosen(update: Update, context: BotContext, fulfilment: Fulfilment) -> None:
    """Pickup or delivery chosen on the current fulfilment question (an old one is stale)."""
    state = await conversation.get_state(context.session, replies.chat_id_of(update))
    if state.step != Step.FULFILMENT:
        raise Stale()
    await continue_checkout(update, context, {**(state.data or {}), "fulfilment": fulfilment.value})


@router.button(Action.OWN_PICKUP)
async def own_pickup(update: Update, context: BotContext) -> None:
    """The buyer collects the paving with their own truck."""
    await _fulfilment_chosen(update, context, Fulfilment.PICKUP)


@router.button(Action.DELIVERY)
async def delivery(update: Update, context: BotContext) -> None:
    """The paving is delivered: the address comes next."""
    await _fulfilment_chosen(update, context, Fulfilment.DELIVERY)


@router.step(Step.ADDRESS)
async def address_given(update: Update, context: BotContext) -> None:
    """Keeps a shared location and the typed address (it must name the kecamatan and kota/kabupaten)."""
    message, data, lang = update.effective_message, context.step_data, context.lang
    if message is not None and message.location is not None:
        lat, lon = message.location.latitude, message.location.longitude
        await replies.set_step(update, context, Step.ADDRESS, **data, lat=str(round(lat, 6)), lon=str(round(lon, 6)))
        await replies.say(update, context, t(lang, "b_location_saved"))
        return
    text = _typed(update)
    if text is None:
        await replies.say(update, context, t(lang, "b_e_need_address"))
        return
    if _is_cancel(context, text):
        await _cancel_typed(update, context)
        return
    address = clean_address(text)
    problem = address_problem(address)
    if problem is not None:
        await replies.say(update, context, address_problem_text(lang, problem))
        return
    saved = Notice(t(lang, "b_address_saved", address=esc(address)), ReplyKeyboardRemove())
    await continue_checkout(update, context, {**data, "address": address}, first=saved)


@router.step(Step.FULFILMENT, Step.CONFIRM)
async def buttons_expected(update: Update, context: BotContext) -> None:
    """Typed input while the buyer should press a button: says so and keeps the checkout where it is."""
    await replies.say(update, context, t(context.lang, "b_use_buttons"))


@router.button(Action.CONFIRM)
async def confirm(update: Update, context: BotContext) -> None:
    """Konfirmasi: places the orders exactly once and sends each payment code."""
    lang = context.lang
    outcome = await _confirm(update, context)
    if outcome is None:
        return
    if isinstance(outcome, CheckoutFailed):
        await replies.show(update, context, failure_screen(lang, outcome))
        return
    if outcome.replayed:
        await replies.answer(context, t(lang, "b_already_placed"), alert=True)
        unsent = [p for p in outcome.payments if not p.qr_file_id]
    else:
        # The orders are placed: a slow or failing answer must not keep their payment codes from going out.
        placed = replies.show(update, context, placed_screen(lang, outcome.orders), answer_first=True)
        await _despite_telegram(placed, "answer to Konfirmasi")
        unsent = outcome.payments
    orders = {o.id: o for o in outcome.orders}
    for payment in unsent:
        await send_payment(update, context, payment, orders[payment.order_id])


async def _confirm(update: Update, context: BotContext) -> checkout.CheckoutResult | CheckoutFailed | None:
    """Calls the checkout service; a changed cart is shown again as a new summary (None: nothing else to do)."""
    services = context.services
    try:
        return await checkout.confirm(
            context.session,
            customer_id=context.viewer.customer_id,
            chat_id=replies.chat_id_of(update),
            token=context.press.text_arg(0),
            summary_step=Step.CONFIRM,
            now=context.now(),
            order_policy=services.order_policy,
            payment_policy=services.payment_policy,
            alerts=services.staff_alerts,
        )
    except CartChanged as exc:
        await context.rollback()
        await replies.answer(context, error_text(context.lang, exc, Audience.BUYER), alert=True)
        state = await conversation.get_state(context.session, replies.chat_id_of(update))
        await continue_checkout(update, context, dict(state.data or {}))
        return None


async def _despite_telegram(step: Awaitable[object], what: str) -> None:
    """Runs one step of the answer to Konfirmasi; when Telegram fails it, logs that and goes on."""
    try:
        await step
    except NetworkError as exc:
        log.warning("%s not shown (%s: %s); sending the payment codes anyway", what, type(exc).__name__, exc)

