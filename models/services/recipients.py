"""Who receives staff messages: the staff of a product line (or the staff group) and the managers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.catalog import Family
from models.people import Customer, Line, Role, StaffMember
from models.services import staff as staff_service
from models.services.customers import language_code

LINE_OF: dict[Family, Line] = {Family.BREAD: Line.BAKERY, Family.PAVING: Line.PAVING, Family.GOODS: Line.GALERI}


async def line_chats(session: AsyncSession, line: Line | None, group_chat_id: int | None) -> list[int]:
    """The staff group when one is configured, else each active staff member of the line privately."""
    if group_chat_id is not None:
        return [group_chat_id]
    members = await staff_service.staff_for_line(session, line)
    return sorted({m.telegram_id for m in members})


async def manager_chats(session: AsyncSession) -> list[int]:
    """Every active manager and admin, privately."""
    rows = await session.scalars(
        select(StaffMember.telegram_id).where(
            StaffMember.active.is_(True), StaffMember.role.in_([Role.MANAGER, Role.ADMIN])
        )
    )
    return sorted(set(rows))


async def language_of(session: AsyncSession, chat_id: int) -> str:
    """The language a private chat reads (Indonesian for groups and unknown chats)."""
    return language_code(await session.scalar(select(Customer.language).where(Customer.telegram_id == chat_id)))


async def admin_chats(session: AsyncSession, extra_ids: list[int] | tuple[int, ...] = ()) -> list[int]:
    """Every active admin privately, with `extra_ids` (the ADMIN_IDS setting, admins before their first start)."""
    rows = await session.scalars(
        select(StaffMember.telegram_id).where(StaffMember.active.is_(True), StaffMember.role == Role.ADMIN)
    )
    return sorted({*rows, *extra_ids})
