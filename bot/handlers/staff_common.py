"""Helpers shared by the staff and manager handlers: role gates, polite refusals, domain errors in words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes, filters

from bot.handlers.common import Viewer, services, viewer_of
from bot.keyboards import Callback, decode
from bot.render.staff_cards import lang_of, status_label
from bot.render.staff_notices import BuyerWording
from bot.texts import t
from bot.texts.format import Lang, rupiah
from models.errors import (
    AboveMaximum,
    AlreadyDone,
    BelowMinimum,
    CapacityFull,
    ClosedDay,
    DomainError,
    InvalidPhone,
    InvalidTransition,
    NotAllowed,
    NotFound,
    OutOfStock,
    PastCutoff,
    PaymentError,
    ProductUnavailable,
    SlotFull,
)
from models.rules.calendar import wib_today


def lang(context: ContextTypes.DEFAULT_TYPE) -> Lang:
    """The viewer's language for staff texts."""
    return lang_of(viewer_of(context).lang)


def wording(context: ContextTypes.DEFAULT_TYPE) -> BuyerWording:
    """How buyer notices are worded in this shop."""
    return BuyerWording(services(context).settings.shop_address)


async def refuse(update: Update, key: str, lang_code: str) -> None:
    """A polite refusal: an alert on a button press, a reply to a command; nothing changes."""
    text = t(lang_code, key)
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def staff_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Viewer | None:
    """The viewer when they are staff (or above), else a refusal and None."""
    viewer = viewer_of(context)
    if viewer.is_staff:
        return viewer
    await refuse(update, "st_refused", viewer.lang)
    return None


async def manager_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Viewer | None:
    """The viewer when they are a manager or admin, else a refusal and None."""
    viewer = viewer_of(context)
    if viewer.is_manager:
        return viewer
    await refuse(update, "mg_refused", viewer.lang)
    return None


def pressed(update: Update) -> Callback | None:
    """The decoded callback data of a button press (None when malformed)."""
    query = update.callback_query
    return decode(query.data if query else None)


def error_text(lg: Lang, exc: DomainError, code: str = "") -> str:
    """A domain error in the staff member's words (`code`: the order concerned, when known)."""
    d = exc.details
    code = str(d.get("code") or code)
    if isinstance(exc, NotAllowed):
        return t(lg, "st_refused")
    if isinstance(exc, NotFound):
        return t(lg, "st_err_not_found", code=code or "?")
    if isinstance(exc, AlreadyDone):
        return t(lg, "st_err_already_paid" if str(exc) in ("already_paid", "fully_paid") else "st_err_already")
    if isinstance(exc, InvalidTransition):
        current = d.get("current")
        label = status_label(lg, current) if current is not None else "?"  # type: ignore[arg-type]
        return t(lg, "st_err_transition", code=code or "?", status=label)
    if isinstance(exc, PaymentError):
        if str(exc) == "balance_due":
            return t(lg, "st_err_balance", amount=rupiah(int(d.get("due", 0))))  # type: ignore[call-overload]
        if str(exc) == "no_open_code":
            return t(lg, "st_err_no_code", code=code)
        status = d.get("status")
        return t(lg, "st_err_payment", status=status_label(lg, status) if status else "?")  # type: ignore[arg-type]
    return _order_error_text(lg, exc)


def _order_error_text(lg: Lang, exc: DomainError) -> str:
    """Ordering refusals (walk-in orders obey the same rules as the bot)."""
    d = exc.details
    if isinstance(exc, PastCutoff):
        return t(lg, "st_err_cutoff")
    if isinstance(exc, ClosedDay):
        return t(lg, "st_err_closed")
    if isinstance(exc, CapacityFull):
        return t(lg, "st_err_capacity", remaining=d.get("remaining", 0))
    if isinstance(exc, SlotFull):
        return t(lg, "st_err_slot")
    if isinstance(exc, OutOfStock):
        return t(lg, "st_err_stock", on_hand=d.get("on_hand", 0))
    if isinstance(exc, BelowMinimum):
        return t(lg, "st_err_minimum", minimum=d.get("minimum", 1), unit=d.get("unit", ""))
    if isinstance(exc, AboveMaximum):
        return t(lg, "st_err_maximum", maximum=d.get("maximum", 0), unit=d.get("unit", ""))
    if isinstance(exc, InvalidPhone):
        return t(lg, "st_err_phone")
    if isinstance(exc, ProductUnavailable):
        return t(lg, "st_err_unavailable")
    return t(lg, "st_err_generic", reason=str(exc) or exc.code)


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None, *, edit: bool = False) -> None:
    """Edits the pressed message in place (text or caption), or sends a new message."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        message = query.message
        if getattr(message, "photo", None) or getattr(message, "document", None):
            await query.edit_message_caption(caption=text, reply_markup=markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)
        return
    if update.effective_chat is not None:
        await update.get_bot().send_message(update.effective_chat.id, text, reply_markup=markup)


WEEKDAY_NAMES = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}


def parse_day(text: str, today: date) -> date | None:
    """Reads "hari ini", "besok", "lusa", a weekday ("senin"), "28-11-2026", "28/11/2026", "2026-11-28", "28-11"."""
    word = text.strip().lower()
    named = {"hariini": 0, "hari ini": 0, "today": 0, "besok": 1, "tomorrow": 1, "lusa": 2}
    if word in named:
        return today + timedelta(days=named[word])
    if word in WEEKDAY_NAMES:  # the next such day, today included ("senin" on a Monday is today)
        return today + timedelta(days=(WEEKDAY_NAMES[word] - today.weekday()) % 7)
    try:
        return date.fromisoformat(word)
    except ValueError:
        pass
    parts = word.replace("/", "-").replace(".", "-").split("-")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        day, month = int(parts[0]), int(parts[1])
        year = int(parts[2]) if len(parts) == 3 else today.year
        year += 2000 if year < 100 else 0
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def today_of(context: ContextTypes.DEFAULT_TYPE) -> date:
    """Today's date in WIB by the injected clock."""
    return wib_today(services(context).clock)


class RoleFilter(filters.UpdateFilter):
    """Lets an update through only when the viewer gate found a staff (or manager) role for its sender.

    Used for command names a buyer may also have (/pesanan, /bayar, /katalog): a buyer's update falls through
    to the buyer handlers instead of being refused here.
    """

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], *, manager: bool = False) -> None:
        super().__init__(name="RoleFilter(manager)" if manager else "RoleFilter(staff)")
        self._application = application
        self._manager = manager

    def filter(self, update: Update) -> bool:
        """True for staff (or managers) as the viewer gate resolved them for this update."""
        user = update.effective_user
        if user is None:
            return False
        data = self._application.user_data.get(user.id) or {}
        viewer = data.get("viewer")
        if not isinstance(viewer, Viewer):
            return False
        return viewer.is_manager if self._manager else viewer.is_staff
