"""One-time staff invites: a manager makes a link, the new person opens it, the manager approves.

A token is single use (the first person to open it claims it), expires, and grants nothing by itself:
the role is given only when a manager approves the claim, so a leaked link cannot make anyone staff.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry, StaffInvite
from models.errors import (
    InviteApproved,
    InviteDeclined,
    InviteExpired,
    InviteUnknown,
    InviteUsed,
    RoleRequired,
)
from models.people import Line, Role, StaffMember
from models.rules.codes import new_token
from models.services import outbox, recipients
from models.services import staff as staff_service

DEFAULT_TTL = timedelta(hours=24)
PREFIX = "inv_"


def deep_link_payload(invite: StaffInvite) -> str:
    """The `?start=` payload of an invite (at most 64 characters of A-Za-z0-9_-)."""
    return PREFIX + invite.token


def token_of(payload: str) -> str | None:
    """The token inside a `/start` payload, or None when the payload is not an invite."""
    return payload[len(PREFIX) :] if payload.startswith(PREFIX) and len(payload) > len(PREFIX) else None


async def create_invite(
    session: AsyncSession,
    actor_telegram_id: int,
    role: Role,
    line: Line | None,
    *,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
) -> StaffInvite:
    """Creates an invite; managers invite staff, only admins invite managers; nobody invites admins."""
    actor = await staff_service.require_role(session, actor_telegram_id, Role.MANAGER)
    if role is Role.ADMIN or (role is Role.MANAGER and actor.role is not Role.ADMIN):
        raise RoleRequired(minimum=Role.ADMIN)
    invite = StaffInvite(
        token=new_token(16), role=role, line=line if role is Role.STAFF else None,
        created_by=actor_telegram_id, expires_at=now + ttl, approved=False, created_at=now,
    )
    session.add(invite)
    session.add(
        AuditEntry(actor_telegram_id=actor_telegram_id, action="invite.create", subject=f"invite:{invite.token[:6]}",
                   detail={"role": role.value, "line": line.value if line else None}, at=now)
    )
    await session.flush()
    return invite


async def claim_invite(
    session: AsyncSession, token: str, telegram_id: int, name: str, *, now: datetime
) -> tuple[StaffInvite, bool]:
    """Claims an invite for the person who opened it; returns (invite, first_claim). Grants no role yet."""
    invite = await session.scalar(select(StaffInvite).where(StaffInvite.token == token))
    if invite is None:
        raise InviteUnknown()
    if invite.claimed_by is not None:
        if invite.claimed_by != telegram_id:
            raise InviteUsed()
        if invite.expires_at < invite.created_at:  # declined: the link is dead for its claimant too
            raise InviteExpired()
        return invite, False
    if invite.expires_at <= now:
        raise InviteExpired()
    invite.claimed_by = telegram_id
    invite.claimed_name = " ".join(name.split())[:128] or "Petugas"
    session.add(
        AuditEntry(actor_telegram_id=telegram_id, action="invite.claim", subject=f"invite:{invite.token[:6]}", at=now)
    )
    await session.flush()
    return invite, True


async def _claimed_invite(session: AsyncSession, invite_id: int) -> StaffInvite:
    """A claimed invite still waiting for a decision, or the reason it is not."""
    invite = await session.get(StaffInvite, invite_id)
    if invite is None or invite.claimed_by is None:
        raise InviteUnknown()
    if invite.approved:
        raise InviteApproved()
    if invite.expires_at < invite.created_at:
        raise InviteDeclined()
    return invite


async def approve_invite(
    session: AsyncSession, invite_id: int, actor_telegram_id: int, *, now: datetime
) -> tuple[StaffInvite, StaffMember]:
    """Gives the claimant the invited role; the approving manager must outrank or equal the role given."""
    actor = await staff_service.require_role(session, actor_telegram_id, Role.MANAGER)
    invite = await _claimed_invite(session, invite_id)
    if invite.role is Role.MANAGER and actor.role is not Role.ADMIN:
        raise RoleRequired(minimum=Role.ADMIN)
    assert invite.claimed_by is not None
    member = await staff_service.add_staff(
        session, invite.claimed_by, invite.claimed_name or "Petugas", invite.role, invite.line,
        actor_telegram_id=actor_telegram_id,
    )
    invite.approved = True
    await session.flush()
    return invite, member


async def decline_invite(
    session: AsyncSession, invite_id: int, actor_telegram_id: int, *, now: datetime
) -> StaffInvite:
    """Refuses a claim; the link is dead from now on."""
    await staff_service.require_role(session, actor_telegram_id, Role.MANAGER)
    invite = await _claimed_invite(session, invite_id)
    # A deadline before the creation time marks a declined invite without a new column.
    invite.expires_at = invite.created_at - timedelta(seconds=1)
    session.add(
        AuditEntry(actor_telegram_id=actor_telegram_id, action="invite.decline",
                   subject=f"invite:{invite.token[:6]}", detail={"claimed_by": invite.claimed_by}, at=now)
    )
    await session.flush()
    return invite


class InviteWording(Protocol):
    """The words of invite messages in a reader's language (the bot layer implements it)."""

    def approval_request(self, lang: str, invite: StaffInvite) -> tuple[str, dict[str, Any]]:
        """The question to the inviting manager, with Approve / Decline buttons."""

    def welcome(self, lang: str, member: StaffMember, invite: StaffInvite) -> str:
        """The newcomer's welcome once approved."""


async def claim_and_ask(
    session: AsyncSession, payload: str, telegram_id: int, name: str, *, wording: InviteWording, now: datetime
) -> StaffInvite:
    """Someone opened an invite link: the claim is recorded and, the first time, the inviting manager asked."""
    token = token_of(payload)
    if token is None:
        raise InviteUnknown()
    invite, first = await claim_invite(session, token, telegram_id, name, now=now)
    if first:
        lang = await recipients.language_of(session, invite.created_by)
        text, keyboard = wording.approval_request(lang, invite)
        await outbox.enqueue(
            session, invite.created_by, text, due_at=now, dedupe_key=f"invite-claim:{invite.id}",
            template="invite-claim", reply_markup=keyboard,
        )
    return invite


async def approve_and_welcome(
    session: AsyncSession, invite_id: int, actor_telegram_id: int, *, wording: InviteWording, now: datetime
) -> tuple[StaffInvite, StaffMember, str]:
    """Approves a claim (see `approve_invite`) and queues the newcomer's welcome; returns their language too."""
    invite, member = await approve_invite(session, invite_id, actor_telegram_id, now=now)
    lang = await recipients.language_of(session, member.telegram_id)
    await outbox.enqueue(
        session, member.telegram_id, wording.welcome(lang, member, invite), due_at=now,
        dedupe_key=f"invite-welcome:{invite.id}", template="invite-welcome",
    )
    return invite, member, lang
