"""Scheduled builders: database -> outbox rows, each with a dedupe key so a re-run sends nothing twice.

Each builder takes the session (the caller owns the transaction), the time `now` from the injected clock,
and the `due` time of the run it stands for; a run later than `LATE_AFTER` says so in the message
("Terlambat: seharusnya 05.30 WIB") and in the row's template ("morning-plan.late").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.render.charts import weekly_chart_png
from bot.render.staff_cards import slot_label
from bot.render.staff_notices import BuyerWording
from bot.render.staff_sheets import (
    backup_failed_html,
    late_note,
    morning_html,
    recap_html,
    sheet_html,
    slot_reminder_html,
)
from bot.render.weekly import weekly_summary_html
from bot.render.xlsx import orders_xlsx
from bot.settings import Settings
from bot.texts import lang_of, t
from bot.texts.format import Lang, long_date
from models.calendar import PickupSlot
from models.catalog import Family
from models.order import Order, OrderStatus
from models.people import Line
from models.rules.calendar import WIB, to_wib
from models.services import catalogue, desk, notices, outbox, recipients, reports, weekly
from models.services.fulfilment import mark_no_show

LATE_AFTER = timedelta(minutes=10)
REMINDED = frozenset({OrderStatus.PARTIALLY_PAID, OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.READY})


@dataclass(frozen=True)
class Schedule:
    """The times and recipients the builders need, taken from the settings."""

    production_sheet: time
    morning_plan: time
    closing: time
    weekly_time: time
    weekly_weekday: int
    reminder_minutes: int
    group_chat_id: int | None
    place: str

    @classmethod
    def of(cls, settings: Settings) -> Schedule:
        """The schedule of the running bot."""
        return cls(
            production_sheet=settings.production_sheet_time,
            morning_plan=settings.morning_plan_time,
            closing=settings.closing_time,
            weekly_time=settings.weekly_summary_time,
            weekly_weekday=settings.weekly_summary_weekday,
            reminder_minutes=settings.reminder_minutes_before,
            group_chat_id=settings.staff_group_chat_id,
            place=settings.shop_address,
        )


def at(day: date, wall: time) -> datetime:
    """A WIB wall-clock time on a day, as an aware datetime."""
    return datetime.combine(day, wall.replace(tzinfo=None), tzinfo=WIB)


def is_late(now: datetime, due: datetime) -> bool:
    """True when a run happens clearly after its time (a catch-up after downtime)."""
    return now - due > LATE_AFTER


async def _send(
    session: AsyncSession, chat_id: int, text: str, *, key: str, template: str, now: datetime, due: datetime,
    lang: Lang, stale_after: datetime | None = None, attachment: dict[str, object] | None = None,
) -> bool:
    """Queues one scheduled message, with the late note when it is late."""
    late = is_late(now, due)
    if late:
        text = late_note(lang, to_wib(due).time()) + "\n" + text
    return await outbox.enqueue(
        session, chat_id, text, due_at=now, dedupe_key=key, template=template + (".late" if late else ""),
        stale_after=stale_after, attachment=attachment,
    )


async def sheet_day(session: AsyncSession, today: date) -> date | None:
    """The production day whose sheet is due at today's cut-off (tomorrow), or None when it is closed."""
    calendar = await catalogue.load_calendar(session, Family.BREAD)
    tomorrow = today + timedelta(days=1)
    return tomorrow if calendar.is_production_day(tomorrow) else None


async def build_production_sheet(
    session: AsyncSession, *, day: date, now: datetime, due: datetime, schedule: Schedule
) -> int:
    """Sends the bakery the sheet for `day` (key production-sheet:DAY:CHAT); returns the rows queued."""
    sheet = await reports.production_sheet(session, day)
    queued = 0
    for chat in await recipients.line_chats(session, Line.BAKERY, schedule.group_chat_id):
        lang = lang_of(await recipients.language_of(session, chat))
        queued += await _send(
            session, chat, sheet_html(sheet, lang), key=f"production-sheet:{day.isoformat()}:{chat}",
            template="production-sheet", now=now, due=due, lang=lang,
            stale_after=at(day, schedule.closing),
        )
    return queued


async def build_morning_plan(
    session: AsyncSession, *, day: date, now: datetime, due: datetime, schedule: Schedule
) -> int:
    """Sends every staff member (or the group) today's bake and pickups (key morning-plan:DAY:CHAT)."""
    sheet = await reports.production_sheet(session, day)
    pickups = [v for v in await desk.pickups_on(session, day) if v.order.status is not OrderStatus.DONE]
    queued = 0
    for chat in await recipients.line_chats(session, None, schedule.group_chat_id):
        lang = lang_of(await recipients.language_of(session, chat))
        queued += await _send(
            session, chat, morning_html(sheet, pickups, lang), key=f"morning-plan:{day.isoformat()}:{chat}",
            template="morning-plan", now=now, due=due, lang=lang, stale_after=at(day, schedule.closing),
        )
    return queued


async def build_reminders(session: AsyncSession, *, now: datetime, schedule: Schedule) -> int:
    """Reminds buyers (paid or ready orders) and staff of slots starting within the reminder lead.

    A slot that has already started gets nothing: reminders are only useful before it.
    """
    local = to_wib(now)
    lead = timedelta(minutes=schedule.reminder_minutes)
    slots = list(await session.scalars(select(PickupSlot).where(PickupSlot.active.is_(True))))
    starting = [s for s in slots if local < at(local.date(), s.starts_at) <= local + lead]
    if not starting:
        return 0
    views = await desk.pickups_on(session, local.date())
    wording = BuyerWording(schedule.place)
    queued = 0
    for slot in starting:
        start = at(local.date(), slot.starts_at)
        in_slot = [v for v in views if v.slot is not None and v.slot.id == slot.id]
        for view in in_slot:
            if view.order.status in REMINDED:
                queued += await _remind_buyer(session, view.order, slot, start, now, wording)
        if not in_slot:
            continue
        line = recipients.LINE_OF.get(slot.family)
        for chat in await recipients.line_chats(session, line, schedule.group_chat_id):
            lang = lang_of(await recipients.language_of(session, chat))
            queued += await outbox.enqueue(
                session, chat, slot_reminder_html(slot, in_slot, lang),
                due_at=now, dedupe_key=f"slot-staff:{local.date().isoformat()}:{slot.id}:{chat}",
                template="slot-staff", stale_after=start,
            )
    return queued


async def _remind_buyer(
    session: AsyncSession, order: Order, slot: PickupSlot, start: datetime, now: datetime, wording: BuyerWording
) -> int:
    """One pickup reminder to the order's buyer, useless (skipped) once the slot has started."""
    customer = await notices.recipient(session, order)
    if customer is None or customer.telegram_id is None:
        return 0
    text = t(customer.language, "nt_reminder", code=order.code, slot=slot_label(slot), place=wording.place)
    return int(
        await outbox.enqueue(
            session, customer.telegram_id, text, due_at=now, dedupe_key=f"reminder:{order.code}",
            template="reminder", stale_after=start,
        )
    )


async def build_closing(session: AsyncSession, *, day: date, now: datetime, due: datetime, schedule: Schedule) -> int:
    """At closing: ready orders of the day not collected become no-shows; managers get the recap."""
    stmt = select(Order).where(Order.fulfil_date <= day, Order.status == OrderStatus.READY)
    ready = list(await session.scalars(stmt))
    for order in ready:
        await mark_no_show(session, order, actor_id=None, now=now)
    recap = await weekly.daily_recap(session, day)
    chats = await recipients.manager_chats(session)
    if schedule.group_chat_id is not None:
        chats.append(schedule.group_chat_id)
    queued = 0
    for chat in chats:
        lang = lang_of(await recipients.language_of(session, chat))
        queued += await _send(
            session, chat, recap_html(recap, lang), key=f"daily-recap:{day.isoformat()}:{chat}",
            template="daily-recap", now=now, due=due, lang=lang,
        )
    return queued


async def build_weekly(session: AsyncSession, *, monday: date, now: datetime, due: datetime) -> int:
    """Sends managers the summary of the week from `monday`: text, chart and spreadsheet (three rows each)."""
    summary = await weekly.weekly_summary(session, monday)
    xlsx = notices.document_attachment(orders_xlsx(summary.rows, summary), f"pesanan-{monday.isoformat()}.xlsx")
    queued = 0
    for chat in await recipients.manager_chats(session):
        lang = lang_of(await recipients.language_of(session, chat))
        key = f"weekly:{monday.isoformat()}:{chat}"
        span = {"first": long_date(summary.monday, lang), "last": long_date(summary.sunday, lang)}
        queued += await _send(
            session, chat, weekly_summary_html(summary, lang), key=f"{key}:text", template="weekly",
            now=now, due=due, lang=lang,
        )
        chart = notices.photo_attachment(weekly_chart_png(summary, lang), f"grafik-{monday.isoformat()}.png")
        queued += await outbox.enqueue(
            session, chat, t(lang, "mg_chart_caption", **span), due_at=now, dedupe_key=f"{key}:chart",
            template="weekly-chart", attachment=chart,
        )
        queued += await outbox.enqueue(
            session, chat, t(lang, "mg_xlsx_caption", **span), due_at=now, dedupe_key=f"{key}:xlsx",
            template="weekly-xlsx", attachment=xlsx,
        )
    return queued


async def expire_unpaid(session: AsyncSession, *, now: datetime, schedule: Schedule) -> int:
    """Expires unpaid orders past their deadline and tells their buyers; returns how many expired."""
    return len(await desk.expire_unpaid(session, now=now, wording=BuyerWording(schedule.place)))


async def build_backup_failure(session: AsyncSession, *, error: str, now: datetime, admin_ids: list[int]) -> int:
    """Tells every admin that the scheduled backup failed, once per WIB day (key backup-failed:DAY:CHAT)."""
    day = to_wib(now).date()
    queued = 0
    for chat in await recipients.admin_chats(session, admin_ids):
        lang = lang_of(await recipients.language_of(session, chat))
        queued += await outbox.enqueue(
            session, chat, backup_failed_html(lang, day, error), due_at=now,
            dedupe_key=f"backup-failed:{day.isoformat()}:{chat}", template="backup-failed",
        )
    return queued


def weekly_due(now: datetime, schedule: Schedule) -> tuple[date, datetime]:
    """The week whose summary is due most recently at or before `now`: (its Monday, the due time)."""
    local = to_wib(now)
    this_monday = local.date() - timedelta(days=local.weekday())
    due = at(this_monday + timedelta(days=schedule.weekly_weekday), schedule.weekly_time)
    if due > now:
        due -= timedelta(days=7)
    summary_monday = to_wib(due).date() - timedelta(days=to_wib(due).weekday()) - timedelta(days=7)
    return summary_monday, due
