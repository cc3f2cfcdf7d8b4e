"""Domain errors in words: one mapper for every audience (buyers, staff, managers), never a stack trace or a code.

Each audience has its own sentences (a buyer reads "this button is no longer valid", a baker "already confirmed;
not counted twice"); the error's class picks the sentence, its details fill it in.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from bot.render.buyer_common import esc, status_label
from bot.render.manager_products import field_error_text
from bot.render.photo_errors import photo_error_text
from bot.routing.actions import Audience
from bot.texts import Lang, t, tn, unit_name
from bot.texts.format import clock, long_date, number, rupiah, short_date
from bot.texts.labels import staff_status_label
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

def _buyer(lang: Lang, exc: e.DomainError) -> str:
    """A buyer's sentence."""
    if isinstance(exc, CheckoutFailed):
        return t(lang, "b_e_checkout_failed", product=esc(exc.product_name), reason=_buyer(lang, exc.cause))
    if isinstance(exc, CartFull):
        most = _int(exc.details.get("maximum"))
        return tn(lang, "b_e_cart_full", most, max=number(most, lang))
    if isinstance(exc, e.CannotCancel):
        status = exc.details.get("status")
        label = status_label(lang, status) if isinstance(status, OrderStatus) else ""
        return t(lang, "b_e_cannot_cancel", status=label)
    rule = _buyer_order_rule(lang, exc)
    if rule is not None:
        return rule
    return _buyer_plain(lang, exc)


def _buyer_plain(lang: Lang, exc: e.DomainError) -> str:
    """A buyer's sentence that needs no values (the first class that matches wins)."""
    match exc:
        case CartEmpty():
            return t(lang, "b_e_cart_empty")
        case CartChanged():
            return t(lang, "b_e_cart_changed")
        case e.TooLarge():
            return t(lang, "b_e_too_large")
        case e.NotWhole():
            return t(lang, "b_e_not_whole")
        case e.NothingToPave():
            return t(lang, "b_e_paving_zero")
        case e.ZeroOrNegative():
            return t(lang, "b_e_zero")
        case e.InvalidQuantity():
            return t(lang, "b_e_not_a_number")
        case e.ForeignPhone():
            return t(lang, "b_e_phone_foreign")
        case e.InvalidPhone():
            return t(lang, "b_e_phone_invalid")
        case e.NotUnderstood():
            return t(lang, "b_e_paving_not_understood")
        case e.SlotFull():
            return t(lang, "b_e_slot_full")
        case e.ProductUnavailable():
            return t(lang, "b_e_unavailable")
        case e.FullyPaid():
            return t(lang, "b_e_fully_paid")
        case e.NoUniqueCodeLeft():
            return t(lang, "b_e_no_unique_code")
        case e.AlreadyPaid():
            return t(lang, "b_e_already_paid")
        case e.AlreadyCancelled():
            return t(lang, "b_e_already_cancelled")
        case e.OrderClosed():
            return t(lang, "b_e_order_closed")
        case e.OrderExpired():
            return t(lang, "b_e_order_expired")
        case e.PaymentNotPending():
            return t(lang, "b_e_not_pending")
        case e.GatewayUnreachable():
            return t(lang, "b_e_gateway_unreachable")
        case e.OpenOrders():
            return t(lang, "b_e_open_orders")
        case e.PickupDateMissing():
            return t(lang, "b_e_stale")
        case e.NotBread():
            return t(lang, "b_e_stale")
        case e.NotPaving():
            return t(lang, "b_e_stale")
        case e.NotFound():
            return t(lang, "b_e_stale")
        case _:
            return t(lang, "b_e_generic")


def _int(value: object, default: int = 0) -> int:
    """A detail as an int."""
    return value if isinstance(value, int) else default


def _day(lang: Lang, value: object) -> str:
    """A date detail as a long date."""
    return long_date(value, lang) if isinstance(value, date) else ""


def _buyer_order_rule(lang: Lang, exc: e.DomainError) -> str | None:
    """The sentence for a broken order rule, or None when `exc` is not one."""
    d = exc.details

    def unit(n: int) -> str:
        """The error's unit for `n` of it, in the buyer's language."""
        return esc(unit_name(lang, str(d.get("unit", "")), n))

    if isinstance(exc, e.BelowMinimum):
        least = _int(d.get("minimum"), 1)
        return t(lang, "b_e_below_min", min=number(least, lang), unit=unit(least))
    if isinstance(exc, e.AboveMaximum):
        most = _int(d.get("maximum"), 1)
        return t(lang, "b_e_above_max", max=number(most, lang), unit=unit(most))
    if isinstance(exc, e.CapacityFull):
        left = _int(d.get("remaining"))
        if left <= 0:
            return t(lang, "b_e_capacity_zero", date=_day(lang, d.get("day")))
        return tn(lang, "b_e_capacity", left, date=_day(lang, d.get("day")), left=number(left, lang), unit=unit(left))
    if isinstance(exc, e.OutOfStock):
        left = _int(d.get("on_hand"))
        if not left:
            return t(lang, "b_e_sold_out")
        return tn(lang, "b_e_out_of_stock", left, left=number(left, lang), unit=unit(left))
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
    if isinstance(exc, e.NoUniqueCodeLeft):
        return t(lang, "st_err_no_unique_code", amount=rupiah(_int(d.get("amount"))))
    if isinstance(exc, e.StatementTooLarge):
        return t(lang, "st_err_statement_large", limit=f"{_int(d.get('limit')) // (1024 * 1024)} MB")
    if isinstance(exc, e.PaymentError):
        return t(lang, "st_err_payment", status=_staff_status(lang, d.get("status")))
    if isinstance(exc, e.CapacityFull):
        return t(lang, "st_err_capacity", remaining=d.get("remaining", 0))
    if isinstance(exc, e.OutOfStock):
        return t(lang, "st_err_stock", on_hand=d.get("on_hand", 0))
    unit = str(d.get("unit", ""))
    if isinstance(exc, e.BelowMinimum):
        least = _int(d.get("minimum"), 1)
        return t(lang, "st_err_minimum", minimum=number(least, lang), unit=unit_name(lang, unit, least))
    if isinstance(exc, e.AboveMaximum):
        most = _int(d.get("maximum"))
        return t(lang, "st_err_maximum", maximum=number(most, lang), unit=unit_name(lang, unit, most))
    return _staff_plain(lang, exc)


def _staff_plain(lang: Lang, exc: e.DomainError) -> str:
    """A staff member's sentence that needs no values (the first class that matches wins)."""
    match exc:
        case e.NotAllowed():
            return t(lang, "st_refused")
        case e.ProposalConfirmed():
            return t(lang, "st_err_proposal_confirmed")
        case e.ProposalGone():
            return t(lang, "st_err_proposal_gone")
        case e.EmptyStatement():
            return t(lang, "st_err_statement_empty")
        case e.NotAStatement():
            return t(lang, "st_err_not_statement")
        case e.AlreadyPaid():
            return t(lang, "st_err_already_paid")
        case e.FullyPaid():
            return t(lang, "st_err_already_paid")
        case e.AlreadyDone():
            return t(lang, "st_err_already")
        case e.PastCutoff():
            return t(lang, "st_err_cutoff")
        case e.ClosedDay():
            return t(lang, "st_err_closed")
        case e.SlotFull():
            return t(lang, "st_err_slot")
        case e.InvalidPhone():
            return t(lang, "st_err_phone")
        case e.ProductUnavailable():
            return t(lang, "st_err_unavailable")
        case e.FormExpired():
            return t(lang, "st_walkin_expired")
        case e.FormOutOfStep():
            return t(lang, "st_err_stale")
        case _:
            return t(lang, "st_err_generic", reason=exc.code)


def _staff_status(lang: Lang, status: object) -> str:
    """An order status detail as staff read it."""
    return staff_status_label(lang, status) if isinstance(status, OrderStatus) else "?"


# --- managers --------------------------------------------------------------------------------------------------

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
    if isinstance(exc, e.FieldInvalid):
        return field_error_text(lang, exc)
    if isinstance(exc, e.CategoryNotEmpty):
        count = _int(d.get("count"))
        return tn(lang, "mg_k_e_not_empty", count, name=escape(str(d.get("name", ""))), count=number(count, lang))
    photo = photo_error_text(lang, exc)
    if photo is not None:
        return photo
    match exc:
        case e.DuplicateSku():
            return t(lang, "mg_p_e_duplicate_sku", sku=escape(str(d.get("sku", ""))))
        case e.CategoryExists():
            return t(lang, "mg_k_e_exists", name=escape(str(d.get("name", ""))))
        case e.NoDraft():
            return t(lang, "mg_p_e_no_draft")
        case e.InviteError():
            return t(lang, "mg_invite_unknown")
        case e.CannotRemoveSelf():
            return t(lang, "mg_err_self")
        case e.AlreadyDone():
            return t(lang, "mg_err_already")
        case e.BadPrice():
            return t(lang, "mg_err_bad_price")
        case e.BadAmount():
            return t(lang, "mg_err_bad_amount")
        case e.NoStockForBread():
            return t(lang, "mg_err_bread_stock")
        case e.NoDailyCapacity():
            return t(lang, "mg_err_no_capacity")
        case e.NotAllowed():
            return t(lang, "mg_refused")
        case _:
            return _staff(lang, exc)  # order rules and payments read the same for a manager as for staff
