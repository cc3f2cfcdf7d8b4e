"""What managers read: the catalogue list, an order's audit trail, the staff list, invites and their decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any, assert_never

from bot.keyboards import button, markup, rows
from bot.render.screen import Screen
from bot.render.staff_cards import status_label
from bot.routing.actions import Action
from bot.texts import lang_of, t
from bot.texts.format import Lang, clock, long_date, number, rupiah
from bot.texts.labels import line_label, payment_kind_label, payment_method_label, role_label, source_label
from models.audit import StaffInvite
from models.catalog import Family, Product
from models.order import ActorKind, Order
from models.payment import PaymentMethod
from models.people import Line, Role, StaffMember
from models.rules.calendar import to_wib
from models.services.admin import TrailEntry, TrailKind


def catalogue_text(lang: Lang, products: Sequence[Product]) -> str:
    """Every product with SKU, price, stock and whether it is on."""
    lines = []
    for p in products:
        amount = p.stock_ready if p.family is Family.PAVING else p.stock_on_hand
        stock = f" · stok {number(amount, lang)}" if amount is not None else ""
        lines.append(t(lang, "mg_catalogue_line", state="🟢" if p.active else "⚪", sku=escape(p.sku),
                       price=rupiah(p.price), unit=escape(p.unit), stock=stock, name=escape(p.name)))
    return "\n".join(lines) or "-"


def trail_text(lang: Lang, order: Order, entries: Sequence[TrailEntry]) -> str:
    """Who changed what on an order, and when, in the manager's words (statuses, money and people by name)."""
    out = [t(lang, "mg_trail_title", code=order.code, status=status_label(lang, order.status))]
    for entry in entries:
        when = to_wib(entry.at).strftime("%d-%m %H.%M")
        out.append(t(lang, "mg_trail_line", when=when, who=_trail_actor(lang, entry), what=_trail_what(lang, entry)))
    return "\n".join(out)


def _trail_actor(lang: Lang, entry: TrailEntry) -> str:
    """A staff member's name, "pembeli" or "sistem"."""
    match entry.actor_kind:
        case ActorKind.STAFF:
            return escape(entry.actor or "?")
        case ActorKind.CUSTOMER:
            return t(lang, "mg_trail_buyer")
        case ActorKind.SYSTEM:
            return t(lang, "mg_trail_system")
        case _:
            assert_never(entry.actor_kind)


def _trail_what(lang: Lang, entry: TrailEntry) -> str:
    """What happened: a status change with its reason, a code issued, a payment received, a staff action."""
    kind = payment_kind_label(lang, entry.payment_kind) if entry.payment_kind is not None else ""
    amount = rupiah(entry.amount) if entry.amount is not None else ""
    match entry.kind:
        case TrailKind.STATUS:
            return _status_move(lang, entry, kind, amount)
        case TrailKind.CODE:
            return t(lang, "mg_trail_code", number=entry.payment_id, kind=kind, amount=amount)
        case TrailKind.PAID:
            method = payment_method_label(lang, entry.method or PaymentMethod.QRIS)  # an unset method is QRIS
            return t(lang, "mg_trail_paid", number=entry.payment_id, method=method, amount=amount)
        case TrailKind.ACTION:
            return _staff_action(lang, entry.action or "")
        case _:
            assert_never(entry.kind)


def _status_move(lang: Lang, entry: TrailEntry, kind: str, amount: str) -> str:
    """ "Menunggu Pembayaran → Dibayar (pembayaran lunas Rp42.000)", or the order placed (with where from)."""
    assert entry.to_status is not None
    if entry.from_status is None:
        what = t(lang, "mg_trail_placed", status=status_label(lang, entry.to_status))
    else:
        what = f"{status_label(lang, entry.from_status)} → {status_label(lang, entry.to_status)}"
    if entry.source is not None:
        return f"{what} ({source_label(lang, entry.source)})"
    if entry.timeout:
        return f"{what} ({t(lang, 'mg_trail_timeout')})"
    if entry.payment_kind is not None:
        return f"{what} ({t(lang, 'mg_trail_by_payment', kind=kind, amount=amount)})"
    return f"{what} ({escape(entry.reason)})" if entry.reason else what


def _staff_action(lang: Lang, action: str) -> str:
    """A desk action in words; one the bot has no words for is shown as recorded."""
    match action:
        case "payment.confirm":
            return t(lang, "mg_trail_confirmed")
        case "payment.statement":
            return t(lang, "mg_trail_confirmed_statement")
        case "payment.cash":
            return t(lang, "mg_trail_cash")
        case "payment.proof_rejected":
            return t(lang, "mg_trail_proof_rejected")
        case _:
            return escape(action)


def staff_screen(lang: Lang, members: Sequence[StaffMember], viewer_id: int) -> Screen:
    """Active staff, with a remove button for each (not for oneself)."""
    lines = [t(lang, "mg_staff_title", count=len(members))]
    buttons = []
    for m in members:
        lines.append(t(lang, "mg_staff_line", role=role_label(lang, m.role), line=line_label(lang, m.line),
                       name=escape(m.name), telegram_id=m.telegram_id))
        if m.telegram_id != viewer_id:
            buttons.append(button(t(lang, "mg_staff_remove", name=m.name[:20]), Action.REMOVE_STAFF, m.telegram_id))
    return Screen("\n".join(lines), markup(*rows(buttons)) if buttons else None)


def invite_choice_screen(lang: Lang) -> Screen:
    """Which line (or a manager) the invite is for."""
    choices = [button(line_label(lang, line), Action.INVITE_FOR, line.value) for line in Line]
    choices.append(button(role_label(lang, Role.MANAGER), Action.INVITE_FOR, "manager"))
    return Screen(t(lang, "mg_invite_choose"), markup(choices[:3], choices[3:]))


def invite_link_text(lang: Lang, invite: StaffInvite, link: str, expires_local: datetime) -> str:
    """The one-time link to pass on, with what it grants and until when."""
    until = f"{long_date(expires_local.date(), lang)} {clock(expires_local)}"
    return t(lang, "mg_invite_link", role=role_label(lang, invite.role), line=line_label(lang, invite.line),
             until=until, link=link)


def approval_request(lang: Lang, invite: StaffInvite) -> Screen:
    """The question to the inviting manager: approve or decline the person who opened the link."""
    text = t(lang, "mg_invite_claimed", name=escape(invite.claimed_name or "?"), telegram_id=invite.claimed_by,
             role=role_label(lang, invite.role), line=line_label(lang, invite.line))
    keyboard = markup([
        button(t(lang, "mg_btn_approve"), Action.INVITE_APPROVE, invite.id),
        button(t(lang, "mg_btn_decline"), Action.INVITE_DECLINE, invite.id),
    ])
    return Screen(text, keyboard)


def welcome_text(lang: Lang, member: StaffMember, invite: StaffInvite) -> str:
    """The newcomer's welcome once approved."""
    return t(lang, "mg_invite_welcome", name=escape(member.name), role=role_label(lang, invite.role))


def approved_text(lang: Lang, member: StaffMember, invite: StaffInvite) -> str:
    """What the approving manager reads."""
    return t(lang, "mg_invite_approved", name=escape(member.name), role=role_label(lang, invite.role),
             line=line_label(lang, invite.line))


def declined_text(lang: Lang, invite: StaffInvite) -> str:
    """What the declining manager reads."""
    return t(lang, "mg_invite_declined", name=escape(invite.claimed_name or "?"))


class InviteMessages:
    """The words of invite messages (implements `invites.InviteWording`)."""

    def approval_request(self, lang: str, invite: StaffInvite) -> tuple[str, dict[str, Any]]:
        """The question to the inviting manager, with Approve / Decline buttons."""
        screen = approval_request(lang_of(lang), invite)
        return screen.text, screen.markup.to_dict() if screen.markup else {}

    def welcome(self, lang: str, member: StaffMember, invite: StaffInvite) -> str:
        """The newcomer's welcome once approved."""
        return welcome_text(lang_of(lang), member, invite)


INVITE_MESSAGES = InviteMessages()
