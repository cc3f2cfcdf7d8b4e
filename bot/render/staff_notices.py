"""The wording of buyer notices that staff actions and jobs send (implements `notices.Wording`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from bot.render.qr import render_payment_qr
from bot.render.staff_cards import slot_label
from bot.texts import lang_of, t
from bot.texts.format import long_date, rupiah
from models.calendar import PickupSlot
from models.order import Order
from models.payment import Payment
from models.services import notices


def _money(value: object) -> str:
    """Rupiah for ints, the value as text otherwise."""
    return rupiah(value) if isinstance(value, int) else str(value)


@dataclass(frozen=True)
class BuyerWording:
    """Buyer notices in the buyer's language, with the shop's pickup place."""

    place: str
    slots: Mapping[int, PickupSlot] | None = None

    def notice(self, kind: str, lang: str, order: Order, extra: Mapping[str, object]) -> str:
        """The text of one notice."""
        lg = lang_of(lang)
        values = {k: _money(v) for k, v in extra.items() if k != "reason"}
        if kind == notices.READY:
            slot = self.slots.get(order.slot_id) if self.slots and order.slot_id else None
            when = t(lg, "nt_when", date=long_date(order.fulfil_date, lg),
                     slot=f", {slot_label(slot)}" if slot else "")
            text = t(lg, "nt_ready", code=order.code, pickup_code=order.pickup_code or "-",
                     place=escape(self.place), when=when)
            if order.balance_due:
                text += "\n" + t(lg, "nt_ready_balance", balance=rupiah(order.balance_due))
            return text
        if kind == notices.OUT_FOR_DELIVERY:
            return t(lg, "nt_out_for_delivery", code=order.code, pickup_code=order.pickup_code or "-")
        if kind == notices.CANCELLED:
            text = t(lg, "nt_cancelled", code=order.code, reason=escape(str(extra.get("reason", ""))))
            if order.paid_amount:
                text += "\n" + t(lg, "nt_cancelled_refund", paid=rupiah(order.paid_amount))
            return text
        if kind == notices.EXPIRED:
            return t(lg, "nt_expired", code=order.code)
        if kind == notices.PAID:
            return t(lg, "nt_paid", code=order.code, **values)
        if kind == notices.PAID_PARTIAL:
            return t(lg, "nt_paid_partial", code=order.code, **values)
        if kind == notices.PAID_PARTIAL_ASK:
            return t(lg, "nt_paid_partial_ask", code=order.code, **values)
        if kind == notices.PROOF_REJECTED:
            return t(lg, "nt_proof_rejected", code=order.code, **values)
        raise ValueError(f"no text for the buyer notice {kind!r}")

    def payment_qr(self, payment: Payment, order: Order) -> bytes:
        """The payment's QRIS code as a PNG with the amount and order code under it."""
        assert payment.payload is not None
        return render_payment_qr(payment.payload, amount_text=rupiah(payment.payable_amount),
                                 caption_lines=[order.code])
