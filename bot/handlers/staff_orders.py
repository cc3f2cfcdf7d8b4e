"""Staff order cards: open a card, and the buttons its state allows (payment, production, ready, handover,
cancel with a reason), plus Approve / Reject on a buyer's payment proof.

Callback data is untrusted: every press re-checks the role (the router, and again the service) and re-reads the
order, so a forged or stale button changes nothing and is answered politely.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.keyboards import button, markup
from bot.payments.codes import cancel_retired_soon
from bot.render.screen import Screen
from bot.render.staff_cards import card_screen, money_note
from bot.routing import replies
from bot.routing.actions import Action, Step
from bot.routing.context import BotContext
from bot.routing.router import Router, staff_only
from bot.texts import t
from models.errors import DomainError
from models.order import Order, OrderStatus
from models.payment import Payment
from models.services import conversation, desk

router = Router()


async def _card_after(update: Update, context: BotContext, order_id: int, note: str) -> None:
    """Answers with a toast and redraws the card in place with the buttons of its new state."""
    view = await desk.card(context.session, context.viewer.telegram_id, order_id)
    await replies.answer(context, note)
    await replies.show(update, context, card_screen(view, context.lang, note), track=False)


@router.button(Action.CARD)
@staff_only
async def open_card(update: Update, context: BotContext) -> None:
    """Shows an order's card as a new message."""
    view = await desk.card(context.session, context.viewer.telegram_id, context.press.int_arg(0))
    await replies.answer(context)
    await replies.show(update, context, card_screen(view, context.lang), track=False, in_place=False)


async def _confirm_pressed(context: BotContext) -> tuple[Order, Payment]:
    """Confirms the payment the pressed button names; a second press counts nothing."""
    services = context.services
    return await desk.confirm_payment(
        context.session, context.press.int_arg(0), staff_telegram_id=context.viewer.telegram_id, now=context.now(),
        wording=services.buyer_wording, policy=services.payment_policy,
    )


@router.button(Action.CONFIRM_PAYMENT)
@staff_only
async def confirm(update: Update, context: BotContext) -> None:
    """Confirms a payment from the card (the money was seen in the merchant app)."""
    order, payment = await _confirm_pressed(context)
    await _card_after(update, context, order.id, money_note(context.lang, order, payment))


@router.button(Action.CASH)
@staff_only
async def cash(update: Update, context: BotContext) -> None:
    """Records the balance paid in cash at the counter."""
    services = context.services
    order, payment = await desk.receive_cash(
        context.session, context.press.int_arg(0), staff_telegram_id=context.viewer.telegram_id, now=context.now(),
        wording=services.buyer_wording, policy=services.payment_policy,
    )
    await _card_after(update, context, order.id, money_note(context.lang, order, payment, cash=True))
    await cancel_retired_soon(context)  # cash replaced the open code


@router.button(Action.START_PRODUCTION)
@staff_only
async def start(update: Update, context: BotContext) -> None:
    """Marks the order as in production."""
    order = await desk.start_production(
        context.session, context.press.int_arg(0), staff_telegram_id=context.viewer.telegram_id, now=context.now()
    )
    await _card_after(update, context, order.id, t(context.lang, "st_ok_started", code=order.code))


@router.button(Action.READY)
@staff_only
async def ready(update: Update, context: BotContext) -> None:
    """Marks the order ready (or out for delivery); the buyer gets the pickup code."""
    order = await desk.mark_ready(
        context.session, context.press.int_arg(0), staff_telegram_id=context.viewer.telegram_id, now=context.now(),
        wording=context.services.buyer_wording,
    )
    lang = context.lang
    if order.status is OrderStatus.OUT_FOR_DELIVERY:
        note = t(lang, "st_ok_sent_out", code=order.code, pickup_code=order.pickup_code)
    elif order.customer.telegram_id is None:
        note = t(lang, "st_ok_ready_offline", code=order.code, pickup_code=order.pickup_code)
    else:
        note = t(lang, "st_ok_ready", code=order.code, pickup_code=order.pickup_code)
    await _card_after(update, context, order.id, note)


@router.button(Action.HAND_OVER)
@staff_only
async def done(update: Update, context: BotContext) -> None:
    """Marks the order picked up or delivered."""
    order = await desk.hand_over(
        context.session, context.press.int_arg(0), staff_telegram_id=context.viewer.telegram_id, now=context.now()
    )
    await _card_after(update, context, order.id, t(context.lang, "st_ok_done", code=order.code))


@router.button(Action.ASK_CANCEL_REASON)
@staff_only
async def ask_reason(update: Update, context: BotContext) -> None:
    """Asks for the cancel reason the buyer will read; the order stays as it is until it is typed."""
    staff_id = context.viewer.telegram_id
    order = await desk.start_cancelling(context.session, staff_id, context.press.int_arg(0))
    await conversation.set_step(context.session, staff_id, Step.CANCEL_REASON, order_id=order.id)
    await replies.answer(context)
    back = Screen(t(context.lang, "st_ask_reason", code=order.code),
                  markup([button(t(context.lang, "st_btn_back"), Action.LEAVE_STEP)]))
    # Asked privately: the typed reason is read in the private chat even when the card is in the staff group.
    await replies.send_to(context, staff_id, back.text, back)


@router.button(Action.LEAVE_STEP)
@staff_only
async def back(update: Update, context: BotContext) -> None:
    """Leaves a staff text step without changing anything."""
    await conversation.leave_step(context.session, context.viewer.telegram_id, prefix="staff.")
    await replies.answer(context)
    await replies.show(update, context, Screen(t(context.lang, "st_step_cancelled")), track=False)


@router.step(Step.CANCEL_REASON)
@staff_only
async def cancel_reason(update: Update, context: BotContext) -> None:
    """Cancels the order with the typed reason and tells the buyer; a refusal ends the step too."""
    message = update.effective_message
    reason = (message.text or "").strip() if message is not None else ""
    lang, staff_id = context.lang, context.viewer.telegram_id
    if not reason:
        await replies.say(update, context, t(lang, "st_reason_empty"))
        return
    try:
        order = await desk.cancel(
            context.session, int(str(context.step_data.get("order_id", 0))), reason, staff_telegram_id=staff_id,
            now=context.now(), wording=context.services.buyer_wording,
        )
    except DomainError:
        await context.rollback()
        await conversation.clear_step(context.session, staff_id)
        await context.commit()  # the step ends even though the cancel was refused
        raise  # the router says why
    await conversation.clear_step(context.session, staff_id)
    view = await desk.card(context.session, staff_id, order.id)
    note = t(lang, "st_ok_cancelled", code=order.code)
    await replies.show(update, context, card_screen(view, lang, note), track=False, in_place=False)
    await cancel_retired_soon(context)


@router.button(Action.PROOF_OK)
@staff_only
async def proof_ok(update: Update, context: BotContext) -> None:
    """Approves a buyer's payment proof: the payment is confirmed (once) and the buyer told."""
    order, payment = await _confirm_pressed(context)
    await _proof_done(update, context, money_note(context.lang, order, payment))


@router.button(Action.PROOF_NO)
@staff_only
async def proof_no(update: Update, context: BotContext) -> None:
    """Rejects a buyer's payment proof: the buyer is told, the code stays payable."""
    order, _ = await desk.reject_proof(
        context.session, context.press.int_arg(0), staff_telegram_id=context.viewer.telegram_id, now=context.now(),
        wording=context.services.buyer_wording, reason="bukti tidak sesuai",
    )
    await _proof_done(update, context, t(context.lang, "st_ok_proof_rejected", code=order.code))


async def _proof_done(update: Update, context: BotContext, result: str) -> None:
    """Answers the press and replaces the proof's buttons with the outcome."""
    await replies.answer(context, result)
    message = update.callback_query.message if update.callback_query else None
    original = (message.caption or message.text or "") if isinstance(message, Message) else ""
    await replies.show(update, context, Screen((original + "\n\n" + result).strip()), track=False)
