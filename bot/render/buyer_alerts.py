"""What staff read about buyers' actions: a new order, a payment proof to check, a cancellation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from bot.keyboards import button, markup
from bot.render.buyer_common import Lang, esc, family_label, lang_of, slot_label, status_label
from bot.render.payable import payable_text
from bot.routing.actions import Action
from bot.texts import t, unit_name
from bot.texts.format import long_date, number, rupiah
from bot.texts.labels import payment_kind_label
from models.calendar import PickupSlot
from models.order import Fulfilment, Order
from models.payment import Payment


def new_order_alert(code: str, order: Order, slot: PickupSlot | None, buyer_name: str) -> str:
    """The new-order alert in the staff member's language `code`."""
    lang: Lang = lang_of(code)
    day = long_date(order.fulfil_date, lang)
    if slot is not None:
        when = t(lang, "b_s_alert_pickup", date=day, slot=slot_label(slot))
    elif order.fulfilment is Fulfilment.DELIVERY:
        when = t(lang, "b_s_alert_delivery", date=day)
    else:
        when = t(lang, "b_s_alert_ready", date=day)
    lines = [t(lang, "b_s_alert_new", code=order.code, family=family_label(lang, order.family)), when]
    for line in order.lines:
        unit = esc(unit_name(lang, line.product.unit, line.quantity))
        lines.append(f"• {number(line.quantity, lang)} {unit} {esc(line.product.name)}")
    lines.append(t(lang, "b_s_alert_total", total=rupiah(order.total), status=status_label(lang, order.status)))
    if order.deposit_amount:
        lines.append(t(lang, "b_s_alert_deposit", deposit=rupiah(order.deposit_amount)))
    lines.append(t(lang, "b_s_alert_buyer", name=esc(buyer_name)))
    return "\n".join(lines)


def proof_alert(code: str, payment: Payment, order: Order) -> str:
    """The payment-proof alert (sent as the caption of the buyer's photo)."""
    lang: Lang = lang_of(code)
    kind = payment_kind_label(lang, payment.kind)
    return t(lang, "b_s_alert_proof", code=order.code, amount=payable_text(lang, payment), kind=kind)


def proof_buttons(payment: Payment) -> dict[str, Any]:
    """Approve / reject buttons for staff (handled by the staff module: spok / spno)."""
    keyboard = markup(
        [
            button(t("id", "b_s_btn_proof_ok"), Action.PROOF_OK, payment.id),
            button(t("id", "b_s_btn_proof_no"), Action.PROOF_NO, payment.id),
        ]
    )
    return keyboard.to_dict()


def order_card_button(order: Order) -> dict[str, Any]:
    """One button on a staff alert that opens the order's card (handled by the staff module: so)."""
    return markup([button(f"📋 {order.code}", Action.CARD, order.id)]).to_dict()


def cancelled_alert(code: str, order: Order) -> str:
    """Tells staff that a buyer cancelled, and whether money must be refunded."""
    lang: Lang = lang_of(code)
    lines = [t(lang, "b_s_alert_cancelled", code=order.code, date=long_date(order.fulfil_date, lang))]
    if order.paid_amount:
        lines.append(t(lang, "b_s_alert_refund", paid=rupiah(order.paid_amount)))
    return "\n".join(lines)


def gateway_paid_alert(code: str, payment: Payment, order: Order) -> str:
    """Tells staff a payment gateway reported a payment settled and the bot recorded it."""
    lang: Lang = lang_of(code)
    return t(lang, "b_s_alert_gateway_paid", code=order.code, amount=payable_text(lang, payment),
             kind=payment_kind_label(lang, payment.kind), status=status_label(lang, order.status))


def _received(amount: str) -> str:
    """The gateway's gross amount ("42000.00") as rupiah, or as sent when it is not a whole number."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError):
        return esc(amount)
    return rupiah(int(value)) if value.is_finite() and value == value.to_integral_value() else esc(amount)


def gateway_problem_alert(code: str, payment: Payment, order: Order, problem: str, received: str) -> str:
    """Tells staff about gateway money the bot did not record: a different amount, or an order already closed."""
    lang: Lang = lang_of(code)
    values = {"code": order.code, "received": _received(received), "amount": payable_text(lang, payment)}
    if problem == "amount":
        return t(lang, "b_s_alert_gateway_amount", **values)
    if problem == "confirmed":
        return t(lang, "b_s_alert_gateway_confirmed", **values)
    return t(lang, "b_s_alert_gateway_closed", **values, status=status_label(lang, order.status))


class StaffAlertWording:
    """The words and buttons of staff alerts (implements `notify_staff.AlertWording`)."""

    def new_order(self, lang: str, order: Order, slot: PickupSlot | None, buyer_name: str) -> str:
        """A new order: what, when, how much, who."""
        return new_order_alert(lang, order, slot, buyer_name)

    def order_card_button(self, order: Order) -> dict[str, Any]:
        """A keyboard that opens the order's card."""
        return order_card_button(order)

    def cancelled(self, lang: str, order: Order) -> str:
        """A buyer cancelled (and whether money must be refunded)."""
        return cancelled_alert(lang, order)

    def proof(self, lang: str, payment: Payment, order: Order) -> str:
        """A buyer sent a payment proof to check."""
        return proof_alert(lang, payment, order)

    def proof_buttons(self, payment: Payment) -> dict[str, Any]:
        """Approve / reject buttons for a proof."""
        return proof_buttons(payment)

    def gateway_paid(self, lang: str, payment: Payment, order: Order) -> str:
        """The payment gateway reported a payment as settled (no staff action needed)."""
        return gateway_paid_alert(lang, payment, order)

    def gateway_problem(self, lang: str, payment: Payment, order: Order, problem: str, received: str) -> str:
        """Money the gateway reported that the bot did not book (`problem`: "amount", "closed" or "confirmed")."""
        return gateway_problem_alert(lang, payment, order, problem, received)
