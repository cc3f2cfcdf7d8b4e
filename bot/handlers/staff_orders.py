"""Staff order cards: open a card, and the buttons its state allows (payment, production, ready, handover,
cancel with a reason), plus Approve / Reject on a buyer's payment proof.

Callback data is untrusted: every press re-checks the role (here and in the service) and re-reads the
order, so a forged or stale button changes nothing and is answered politely.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import steps
from bot.handlers.common import Viewer, services
from bot.handlers.staff_common import error_text, lang, pressed, refuse, show, staff_gate, wording
from bot.keyboards import button, markup
from bot.render import staff_cards as cards
from bot.render.staff_cards import card_markup, card_text
from bot.texts import t
from bot.texts.format import rupiah
from models.errors import DomainError
from models.order import Order, OrderStatus
from models.payment import Payment
from models.services import conversation, desk

CANCEL_STEP = "staff.cancel_reason"
BACK = "sxq"
Action = Callable[[Update, ContextTypes.DEFAULT_TYPE, Viewer, int], Awaitable[None]]


async def open_card(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, order_id: int) -> None:
    """Shows (or refreshes in place) an order's card."""
    lg = lang(context)
    async with services(context).session_factory() as session:
        order = await desk.order_by_id(session, viewer.telegram_id, order_id)
        view = await desk.view_of(session, order)
    await _answer(update)
    await show(update, card_text(view, lg), card_markup(view, lg), edit=False)


async def _answer(update: Update, text: str | None = None) -> None:
    """Answers the press once (a toast when there is something to say)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text)


async def _card_after(update: Update, context: ContextTypes.DEFAULT_TYPE, order_id: int, toast: str) -> None:
    """Answers with a toast and redraws the card in place with the buttons of its new state."""
    lg = lang(context)
    async with services(context).session_factory() as session:
        order = await desk.order_by_id(session, viewer_id(update), order_id)
        view = await desk.view_of(session, order)
    await _answer(update, toast[:190])
    await show(update, card_text(view, lg) + "\n\n" + toast, card_markup(view, lg), edit=True)


def viewer_id(update: Update) -> int:
    """The Telegram id of the person pressing."""
    assert update.effective_user is not None
    return update.effective_user.id


async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, payment_id: int) -> None:
    """Confirms a payment from the card; a second press counts nothing."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order, payment = await desk.confirm_payment(
            session, payment_id, staff_telegram_id=viewer.telegram_id, now=svc.now(), wording=wording(context),
            policy=svc.payment_policy,
        )
    await _money_in(update, context, "st_ok_paid", order, payment)


async def cash(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, order_id: int) -> None:
    """Records the balance paid in cash at the counter."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order, payment = await desk.receive_cash(
            session, order_id, staff_telegram_id=viewer.telegram_id, now=svc.now(), wording=wording(context),
            policy=svc.payment_policy,
        )
    await _money_in(update, context, "st_ok_cash", order, payment)


async def _money_in(
    update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, order: Order, payment: Payment
) -> None:
    """Shows the card again with a toast saying how much came in and where the order stands now."""
    lg = lang(context)
    toast = t(lg, key, code=order.code, amount=rupiah(payment.amount), status=cards.status_label(lg, order.status))
    await _card_after(update, context, order.id, toast)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, order_id: int) -> None:
    """Marks the order as in production."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order = await desk.start_production(session, order_id, staff_telegram_id=viewer.telegram_id, now=svc.now())
    await _card_after(update, context, order.id, t(lang(context), "st_ok_started", code=order.code))


async def ready(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, order_id: int) -> None:
    """Marks the order ready (or out for delivery); the buyer gets the pickup code."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order = await desk.mark_ready(
            session, order_id, staff_telegram_id=viewer.telegram_id, now=svc.now(), wording=wording(context)
        )
        offline = order.customer.telegram_id is None
    lg = lang(context)
    if order.status is OrderStatus.OUT_FOR_DELIVERY:
        toast = t(lg, "st_ok_sent_out", code=order.code, pickup_code=order.pickup_code)
    else:
        key = "st_ok_ready_offline" if offline else "st_ok_ready"
        toast = t(lg, key, code=order.code, pickup_code=order.pickup_code)
    await _card_after(update, context, order.id, toast)


async def done(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, order_id: int) -> None:
    """Marks the order picked up or delivered."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order = await desk.hand_over(session, order_id, staff_telegram_id=viewer.telegram_id, now=svc.now())
    await _card_after(update, context, order.id, t(lang(context), "st_ok_done", code=order.code))


async def ask_reason(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, order_id: int) -> None:
    """Asks for the cancel reason the buyer will read; the order stays as it is until it is typed."""
    async with services(context).session_factory.begin() as session:
        order = await desk.order_by_id(session, viewer.telegram_id, order_id)
        code, status = order.code, order.status
        if status in (OrderStatus.CANCELLED, OrderStatus.DONE, OrderStatus.EXPIRED, OrderStatus.NO_SHOW):
            lg = lang(context)
            await _answer(update, t(lg, "st_err_transition", code=code, status=cards.status_label(lg, status)))
            return
        await conversation.set_step(session, viewer.telegram_id, CANCEL_STEP, order_id=order.id)
    await _answer(update)
    back = markup([button(t(lang(context), "st_btn_back"), BACK)])
    # Asked privately: the typed reason is read in the private chat even when the card is in the staff group.
    await context.bot.send_message(viewer.telegram_id, t(lang(context), "st_ask_reason", code=code), reply_markup=back)


async def back(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, _: int) -> None:
    """Leaves a staff text step without changing anything."""
    async with services(context).session_factory.begin() as session:
        state = await conversation.get_state(session, viewer.telegram_id)
        if state.step.startswith("staff."):
            await conversation.clear_step(session, viewer.telegram_id)
    await _answer(update)
    await show(update, t(lang(context), "st_step_cancelled"), edit=True)


@steps.step(CANCEL_STEP)
async def cancel_reason(update: Update, context: ContextTypes.DEFAULT_TYPE, data: dict[str, object]) -> None:
    """Cancels the order with the typed reason and tells the buyer."""
    viewer = await staff_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg = lang(context)
    reason = (message.text or "").strip()
    if not reason:
        await message.reply_text(t(lg, "st_reason_empty"))
        return
    svc = services(context)
    order_id = int(str(data.get("order_id", 0)))
    try:
        async with svc.session_factory.begin() as session:
            await conversation.clear_step(session, viewer.telegram_id)
            order = await desk.cancel(
                session, order_id, reason, staff_telegram_id=viewer.telegram_id, now=svc.now(),
                wording=wording(context),
            )
    except DomainError as exc:
        async with svc.session_factory.begin() as session:
            await conversation.clear_step(session, viewer.telegram_id)
        await message.reply_text(error_text(lg, exc))
        return
    async with svc.session_factory() as session:
        view = await desk.view_of(session, await desk.order_by_id(session, viewer.telegram_id, order.id))
    await message.reply_text(
        card_text(view, lg) + "\n\n" + t(lg, "st_ok_cancelled", code=order.code), reply_markup=card_markup(view, lg)
    )


async def proof_ok(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, payment_id: int) -> None:
    """Approves a buyer's payment proof: the payment is confirmed (once) and the buyer told."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order, payment = await desk.confirm_payment(
            session, payment_id, staff_telegram_id=viewer.telegram_id, now=svc.now(), wording=wording(context),
            policy=svc.payment_policy,
        )
    lg = lang(context)
    toast = t(lg, "st_ok_paid", code=order.code, amount=rupiah(payment.amount),
              status=cards.status_label(lg, order.status))
    await _proof_done(update, toast)


async def proof_no(update: Update, context: ContextTypes.DEFAULT_TYPE, viewer: Viewer, payment_id: int) -> None:
    """Rejects a buyer's payment proof: the buyer is told, the code stays payable."""
    svc = services(context)
    async with svc.session_factory.begin() as session:
        order, _ = await desk.reject_proof(
            session, payment_id, staff_telegram_id=viewer.telegram_id, now=svc.now(), wording=wording(context),
            reason="bukti tidak sesuai",
        )
    await _proof_done(update, t(lang(context), "st_ok_proof_rejected", code=order.code))


async def _proof_done(update: Update, result: str) -> None:
    """Answers the press and replaces the proof's buttons with the outcome."""
    await _answer(update, result[:190])
    query = update.callback_query
    message = query.message if query else None
    original = (getattr(message, "caption", None) or getattr(message, "text", None) or "") if message else ""
    await show(update, (original + "\n\n" + result).strip(), None, edit=True)


ACTIONS: dict[str, Action] = {
    cards.OPEN_CARD: open_card,
    cards.CONFIRM: confirm,
    cards.CASH: cash,
    cards.START: start,
    cards.READY: ready,
    cards.DONE: done,
    cards.CANCEL: ask_reason,
    cards.PROOF_OK: proof_ok,
    cards.PROOF_NO: proof_no,
    BACK: back,
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Routes a staff button press; forged, unknown or stale presses get a polite answer and change nothing."""
    callback = pressed(update)
    if callback is None or callback.action not in ACTIONS:
        return  # not a staff card button: other handlers (walk-in) take it
    viewer = await staff_gate(update, context)
    if viewer is None:
        return
    action = ACTIONS[callback.action]
    target = callback.int_arg(0)
    if target is None and action is not back:
        await refuse(update, "st_err_stale", viewer.lang)
        return
    try:
        await action(update, context, viewer, target or 0)
    except DomainError as exc:
        text = error_text(lang(context), exc)
        await refuse_text(update, text)


async def refuse_text(update: Update, text: str) -> None:
    """Answers a press with an alert (nothing changed)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text[:190], show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
