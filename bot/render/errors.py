"""Domain errors in words: one mapper for every audience (buyers, staff, managers), never a stack trace or a code.

Each audience has its own sentences (a buyer reads "this button is no longer valid", a baker "already confirmed;
not counted twice"); the error's class picks the sentence, its details fill it in.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from bot.render.buyer_common import esc, status_label
from bot.render.staff_cards import status_label as staff_status_label
from bot.routing.actions import Audience
from bot.texts import t
from bot.texts.format import Lang, clock, long_date, number_id, rupiah, short_date
from models import errors as e
from models.order import OrderStatus
from models.services.cart import CartFull
from models.services.checkout import CartChanged, CartEmpty, CheckoutFailed


def error_text(lang: Lang, exc: e.DomainError, audience: Audience) -> str:
    """A polite sentence for a domain error, in the words of the audience that caused it."""
    if audience is Audience.BUYER:
        return _buyer(lang, exc)
    if audience is Audience.STAFF:
        return _staff(lang, exc)
    return _manager(lang, exc)


def stale_text(lang: Lang, audience: Audience) -> str:
    """What a pressed button says when it no longer (or never did) match anything."""
    return t(lang, "b_e_stale" if audience is Audience.BUYER else "st_err_stale")


def refused_text(lang: Lang, audience: Audience) -> str:
    """What someone hears who reached a staff or manager action without the role."""
    return t(lang, "mg_refused" if audience is Audience.MANAGER else "st_refused")


# --- buyers ----------------------------------------------------------------------------------------------------

_BUYER_KEYS: tuple[tuple[type[e.DomainError], str], ...] = (
    (CartEmpty, "b_e_cart_empty"),
    (CartChanged, "b_e_cart_changed"),
    (e.TooLarge, "b_e_too_large"),
    (e.NotWhole, "b_e_not_whole"),
    (e.ZeroOrNegative, "b_e_zero"),
    (e.InvalidQuantity, "b_e_not_a_number"),
    (e.ForeignPhone, "b_e_phone_foreign"),
    (e.InvalidPhone, "b_e_phone_invalid"),
    (e.NotUnderstood, "b_e_paving_not_understood"),
    (e.SlotFull, "b_e_slot_full"),
    (e.ProductUnavailable, "b_e_unavailable"),
    (e.FullyPaid, "b_e_fully_paid"),
    (e.AlreadyPaid, "b_e_already_paid"),
    (e.AlreadyCancelled, "b_e_already_cancelled"),
    (e.OrderClosed, "b_e_order_closed"),
    (e.OrderExpired, "b_e_order_expired"),
    (e.PaymentNotPending, "b_e_not_pending"),
    (e.OpenOrders, "b_e_open_orders"),
    (e.PickupDateMissing, "b_e_stale"),
    (e.NotBread, "b_e_stale"),
    (e.NotPaving, "b_e_stale"),
    (e.NotFound, "b_e_stale"),
)


def _buyer(lang: Lang, exc: e.DomainError) -> str:
    """A buyer's sentence."""
    if isinstance(exc, CheckoutFailed):
        return t(lang, "b_e_checkout_failed", product=esc(exc.product_name), reason=_buyer(lang, exc.cause))
    if isinstance(exc, CartFull):
        return t(lang, "b_e_cart_full", max=exc.details.get("maximum", ""))
    if isinstance(exc, e.CannotCancel):
        status = exc.details.get("status")
        label = status_label(lang, status) if isinstance(status, OrderStatus) else ""
        return t(lang, "b_e_cannot_cancel", status=label)
    rule = _buyer_order_rule(lang, exc)
    if rule is not None:
        return rule
    key = next((k for cls, k in _BUYER_KEYS if isinstance(exc, cls)), "b_e_generic")
    return t(lang, key)


def _int(value: object, default: int = 0) -> int:
    """A detail as an int."""
    return value if isinstance(value, int) else default


def _day(lang: Lang, value: object) -> str:
    """A date detail as a long date."""
    return long_date(value, lang) if isinstance(value, date) else ""


def _buyer_order_rule(lang: Lang, exc: e.DomainError) -> str | None:
    """The sentence for a broken order rule, or None when `exc` is not one."""
    d = exc.details
    unit = esc(d.get("unit", ""))
    if isinstance(exc, e.BelowMinimum):
        return t(lang, "b_e_below_min", min=number_id(_int(d.get("minimum"), 1)), unit=unit)
    if isinstance(exc, e.AboveMaximum):
        return t(lang, "b_e_above_max", max=number_id(_int(d.get("maximum"), 1)), unit=unit)
    if isinstance(exc, e.CapacityFull):
        left = _int(d.get("remaining"))
        if left <= 0:
            return t(lang, "b_e_capacity_zero", date=_day(lang, d.get("day")))
        return t(lang, "b_e_capacity", date=_day(lang, d.get("day")), left=number_id(left), unit=unit)
    if isinstance(exc, e.OutOfStock):
        left = _int(d.get("on_hand"))
        return t(lang, "b_e_out_of_stock", left=number_id(left), unit=unit) if left else t(lang, "b_e_sold_out")
    if isinstance(exc, e.PastCutoff):
        deadline = d.get("deadline")
        when = f"{short_date(deadline.date(), lang)} {clock(deadline)}" if isinstance(deadline, datetime) else ""
        return t(lang, "b_e_past_cutoff", date=_day(lang, d.get("pickup")), deadline=when)
    if isinstance(exc, e.ClosedDay):
        return t(lang, "b_e_closed_day", date=_day(lang, d.get("pickup")))
    if isinstance(exc, e.TooSoon):
        return t(lang, "b_e_too_soon", date=_day(lang, d.get("earliest")))
    return None


# --- staff -----------------------------------------------------------------------------------------------------

_STAFF_KEYS: tuple[tuple[type[e.DomainError], str], ...] = (
    (e.NotAllowed, "st_refused"),
    (e.AlreadyPaid, "st_err_already_paid"),
    (e.FullyPaid, "st_err_already_paid"),
    (e.AlreadyDone, "st_err_already"),
    (e.PastCutoff, "st_err_cutoff"),
    (e.ClosedDay, "st_err_closed"),
    (e.SlotFull, "st_err_slot"),
    (e.InvalidPhone, "st_err_phone"),
    (e.ProductUnavailable, "st_err_unavailable"),
    (e.FormExpired, "st_walkin_expired"),
    (e.FormOutOfStep, "st_err_stale"),
)


def _staff(lang: Lang, exc: e.DomainError) -> str:
    """A staff member's sentence."""
    d = exc.details
    code = str(d.get("code") or "?")
    if isinstance(exc, e.NotFound):
        return t(lang, "st_err_not_found", code=code)
    if isinstance(exc, e.InvalidTransition):
        return t(lang, "st_err_transition", code=code, status=_staff_status(lang, d.get("current")))
    if isinstance(exc, e.BalanceDue):
        return t(lang, "st_err_balance", amount=rupiah(_int(d.get("due"))))
    if isinstance(exc, e.NoOpenCode):
        return t(lang, "st_err_no_code", code=code)
    if isinstance(exc, e.PaymentError):
        return t(lang, "st_err_payment", status=_staff_status(lang, d.get("status")))
    if isinstance(exc, e.CapacityFull):
        return t(lang, "st_err_capacity", remaining=d.get("remaining", 0))
    if isinstance(exc, e.OutOfStock):
        return t(lang, "st_err_stock", on_hand=d.get("on_hand", 0))
    if isinstance(exc, e.BelowMinimum):
        return t(lang, "st_err_minimum", minimum=d.get("minimum", 1), unit=d.get("unit", ""))
    if isinstance(exc, e.AboveMaximum):
        return t(lang, "st_err_maximum", maximum=d.get("maximum", 0), unit=d.get("unit", ""))
    key = next((k for cls, k in _STAFF_KEYS if isinstance(exc, cls)), None)
    return t(lang, key) if key is not None else t(lang, "st_err_generic", reason=exc.code)


def _staff_status(lang: Lang, status: object) -> str:
    """An order status detail as staff read it."""
    return staff_status_label(lang, status) if isinstance(status, OrderStatus) else "?"


# --- managers --------------------------------------------------------------------------------------------------

_MANAGER_KEYS: tuple[tuple[type[e.DomainError], str], ...] = (
    (e.InviteError, "mg_invite_unknown"),
    (e.CannotRemoveSelf, "mg_err_self"),
    (e.AlreadyDone, "mg_err_already"),
    (e.BadPrice, "mg_err_bad_price"),
    (e.BadAmount, "mg_err_bad_amount"),
    (e.NoStockForBread, "mg_err_bread_stock"),
    (e.NoDailyCapacity, "mg_err_no_capacity"),
)


def _manager(lang: Lang, exc: e.DomainError) -> str:
    """A manager's sentence."""
    d = exc.details
    if isinstance(exc, e.RoleRequired):
        return t(lang, "mg_err_not_allowed" if d.get("minimum") == "admin" else "mg_refused")
    if isinstance(exc, e.NotFound):
        what = " ".join(str(v) for k, v in d.items() if k != "what") or str(d.get("what", ""))
        return t(lang, "mg_err_not_found", what=escape(what))
    if isinstance(exc, e.BelowCommitted):
        return t(lang, "mg_err_below_committed", committed=d.get("committed", 0))
    key = next((k for cls, k in _MANAGER_KEYS if isinstance(exc, cls)), None)
    if key is not None:
        return t(lang, key)
    if isinstance(exc, e.NotAllowed):
        return t(lang, "mg_refused")
    return _staff(lang, exc)  # order rules and payments read the same for a manager as for staff
