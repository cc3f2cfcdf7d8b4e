"""Domain errors turned into short, polite sentences for buyers (never a stack trace, never a code)."""

from __future__ import annotations

from datetime import date, datetime

from bot.render.buyer_common import Lang, esc, status_label
from bot.texts import t, tn, unit_name
from bot.texts.format import clock, long_date, number, short_date
from models.errors import (
    AboveMaximum,
    AlreadyDone,
    BelowMinimum,
    CapacityFull,
    ClosedDay,
    DomainError,
    InvalidPhone,
    InvalidQuantity,
    NotAllowed,
    NotFound,
    OutOfStock,
    PastCutoff,
    PaymentError,
    ProductUnavailable,
    SlotFull,
    TooSoon,
)
from models.order import OrderStatus
from models.services.cart import CartFull
from models.services.checkout import CartChanged, CartEmpty, CheckoutFailed


def _day(lang: Lang, value: object) -> str:
    """A date detail as a long date."""
    return long_date(value, lang) if isinstance(value, date) else ""


def _quantity(lang: Lang, exc: InvalidQuantity) -> str:
    """Why a typed number is not a quantity."""
    reason = str(exc.details.get("reason", "not_a_number"))
    if reason == "too_large":
        return t(lang, "b_e_too_large")
    if reason == "not_whole":
        return t(lang, "b_e_not_whole")
    if reason == "zero_or_negative":
        return t(lang, "b_e_zero")
    return t(lang, "b_e_not_a_number")


def _phone(lang: Lang, exc: InvalidPhone) -> str:
    """Why a typed phone number was refused."""
    reason = exc.details.get("reason")
    return t(lang, "b_e_phone_foreign" if reason == "not_indonesian" else "b_e_phone_invalid")


def _order_rule(lang: Lang, exc: DomainError) -> str | None:
    """The sentence for an order rule, or None when `exc` is not one."""
    d = exc.details

    def unit(n: int) -> str:
        """The error's unit for `n` of it."""
        return esc(unit_name(lang, str(d.get("unit", "")), n))

    if isinstance(exc, BelowMinimum):
        least = int(str(d.get("minimum", 1)))
        return t(lang, "b_e_below_min", min=number(least, lang), unit=unit(least))
    if isinstance(exc, AboveMaximum):
        most = int(str(d.get("maximum", 1)))
        return t(lang, "b_e_above_max", max=number(most, lang), unit=unit(most))
    if isinstance(exc, CapacityFull):
        left = int(str(d.get("remaining", 0)))
        if left <= 0:
            return t(lang, "b_e_capacity_zero", date=_day(lang, d.get("day")))
        return tn(lang, "b_e_capacity", left, date=_day(lang, d.get("day")), left=number(left, lang), unit=unit(left))
    if isinstance(exc, SlotFull):
        return t(lang, "b_e_slot_full")
    if isinstance(exc, OutOfStock):
        left = int(str(d.get("on_hand", 0)))
        if not left:
            return t(lang, "b_e_sold_out")
        return tn(lang, "b_e_out_of_stock", left, left=number(left, lang), unit=unit(left))
    if isinstance(exc, PastCutoff):
        deadline = d.get("deadline")
        when = f"{short_date(deadline.date(), lang)} {clock(deadline)}" if isinstance(deadline, datetime) else ""
        return t(lang, "b_e_past_cutoff", date=_day(lang, d.get("pickup")), deadline=when)
    if isinstance(exc, ClosedDay):
        return t(lang, "b_e_closed_day", date=_day(lang, d.get("pickup")))
    if isinstance(exc, TooSoon):
        return t(lang, "b_e_too_soon", date=_day(lang, d.get("earliest")))
    if isinstance(exc, ProductUnavailable):
        return t(lang, "b_e_unavailable")
    return None


def _by_message(lang: Lang, message: str) -> str | None:
    """The sentence for an error known by its message, or None."""
    match message:
        case "fully_paid":
            return t(lang, "b_e_fully_paid")
        case "already_paid":
            return t(lang, "b_e_already_paid")
        case "already_cancelled":
            return t(lang, "b_e_already_cancelled")
        case "order_closed":
            return t(lang, "b_e_order_closed")
        case "order_expired":
            return t(lang, "b_e_order_expired")
        case "not_pending":
            return t(lang, "b_e_not_pending")
        case "open_orders":
            return t(lang, "b_e_open_orders")
        case "not_understood":
            return t(lang, "b_e_paving_not_understood")
        case "pickup_date_missing":
            return t(lang, "b_e_stale")
    return None


def error_text(lang: Lang, exc: DomainError) -> str:
    """A polite sentence for any domain error a buyer's action can cause."""
    if isinstance(exc, CheckoutFailed):
        reason = error_text(lang, exc.cause)
        return t(lang, "b_e_checkout_failed", product=esc(exc.product_name), reason=reason)
    if isinstance(exc, CartFull):
        most = int(str(exc.details.get("maximum", 0)))
        return tn(lang, "b_e_cart_full", most, max=number(most, lang))
    if isinstance(exc, CartEmpty):
        return t(lang, "b_e_cart_empty")
    if isinstance(exc, CartChanged):
        return t(lang, "b_e_cart_changed")
    if isinstance(exc, InvalidQuantity):
        return _quantity(lang, exc)
    if isinstance(exc, InvalidPhone):
        return _phone(lang, exc)
    rule = _order_rule(lang, exc)
    if rule is not None:
        return rule
    by_message = _by_message(lang, str(exc))
    if by_message is not None:
        return by_message
    if isinstance(exc, NotAllowed) and str(exc) == "cannot_cancel":
        status = exc.details.get("status")
        label = status_label(lang, status) if isinstance(status, OrderStatus) else ""
        return t(lang, "b_e_cannot_cancel", status=label)
    if isinstance(exc, NotFound):
        return t(lang, "b_e_stale")
    if isinstance(exc, (AlreadyDone, PaymentError)):
        return t(lang, "b_e_generic")
    return t(lang, "b_e_generic")
