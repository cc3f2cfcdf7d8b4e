"""Staff members and roles: who may do what, checked again in every staff service."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.audit import AuditEntry
from models.changes import announce_person_changed
from models.errors import BadTelegramId, NotFound, RoleRequired
from models.people import Line, Role, StaffMember

RANK = {Role.STAFF: 1, Role.MANAGER: 2, Role.ADMIN: 3}
# Built once: asked at every viewer load and every placed order.
_ROLE_OF = select(StaffMember.role).where(StaffMember.telegram_id == bindparam("telegram_id"),
                                          StaffMember.active.is_(True))
_ALL_STAFF = select(StaffMember).where(StaffMember.active.is_(True), StaffMember.role == Role.STAFF)
_STAFF_OF_LINE = _ALL_STAFF.where((StaffMember.line == bindparam("line")) | StaffMember.line.is_(None))


async def role_of(session: AsyncSession, telegram_id: int) -> Role | None:
    """The active role of a Telegram user, or None for a buyer."""
    return await session.scalar(_ROLE_OF, {"telegram_id": telegram_id})


async def require_role(session: AsyncSession, telegram_id: int, minimum: Role) -> StaffMember:
    """The staff member acting, or NotAllowed when their role is below `minimum`."""
    member = await session.scalar(
        select(StaffMember).where(StaffMember.telegram_id == telegram_id, StaffMember.active.is_(True))
    )
    if member is None or RANK[member.role] < RANK[minimum]:
        raise RoleRequired(minimum=minimum)
    return member


async def add_staff(
    session: AsyncSession,
    telegram_id: int,
    name: str,
    role: Role,
    line: Line | None = None,
    *,
    actor_telegram_id: int | None = None,
) -> StaffMember:
    """Adds (or re-activates and updates) a staff member, and records who did it."""
    if telegram_id <= 0:
        raise BadTelegramId()
    member = await session.scalar(select(StaffMember).where(StaffMember.telegram_id == telegram_id))
    if member is None:
        member = StaffMember(
            telegram_id=telegram_id, name=name.strip()[:128] or "Petugas", role=role, line=line
        )
        session.add(member)
    else:
        member.name, member.role, member.line, member.active = (
            name.strip()[:128] or member.name,
            role,
            line,
            True,
        )
    session.add(
        AuditEntry(
            actor_telegram_id=actor_telegram_id,
            action="staff.add",
            subject=f"staff:{telegram_id}",
            detail={"role": role.value, "line": line.value if line else None},
        )
    )
    await session.flush()
    await announce_person_changed(session, telegram_id)
    return member


async def remove_staff(
    session: AsyncSession, telegram_id: int, *, actor_telegram_id: int | None = None
) -> None:
    """Deactivates a staff member (their history stays)."""
    member = await session.scalar(
        select(StaffMember).where(StaffMember.telegram_id == telegram_id, StaffMember.active.is_(True))
    )
    if member is None:
        raise NotFound(what="staff", telegram_id=telegram_id)
    member.active = False
    session.add(
        AuditEntry(actor_telegram_id=actor_telegram_id, action="staff.remove", subject=f"staff:{telegram_id}")
    )
    await session.flush()
    await announce_person_changed(session, telegram_id)


async def list_staff(session: AsyncSession) -> list[StaffMember]:
    """Active staff members by role and name."""
    rows = await session.scalars(
        select(StaffMember).where(StaffMember.active.is_(True)).order_by(StaffMember.role, StaffMember.name)
    )
    return list(rows)


async def staff_for_line(session: AsyncSession, line: Line | None) -> list[StaffMember]:
    """Active staff of a production line (all lines when None), managers excluded."""
    if line is None:
        return list(await session.scalars(_ALL_STAFF))
    return list(await session.scalars(_STAFF_OF_LINE, {"line": line}))


async def ensure_admins(session: AsyncSession, telegram_ids: list[int]) -> None:
    """Makes the bootstrap admins from the settings exist."""
    for telegram_id in telegram_ids:
        if await role_of(session, telegram_id) is not Role.ADMIN:
            await add_staff(session, telegram_id, f"Admin {telegram_id}", Role.ADMIN)
