"""Manager handlers: reports on demand, exports, catalogue changes, staff invites and removal.

The weekly summary on demand is sent straight to the manager who asked (text, chart, spreadsheet);
the scheduled one goes through the outbox (jobs/builders.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.commands import parse_week
from bot.handlers import invites, manager_catalogue
from bot.handlers.common import services
from bot.handlers.staff_common import RoleFilter, lang, manager_gate, parse_day, today_of
from bot.render.charts import weekly_chart_png
from bot.render.weekly import weekly_summary_html
from bot.render.xlsx import orders_xlsx
from bot.texts import t, tn
from bot.texts.format import long_date, number
from models.people import Role
from models.services import staff as staff_service
from models.services import weekly

MAX_EXPORT_DAYS = 366


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the manager commands."""
    if await manager_gate(update, context) is None or update.effective_message is None:
        return
    await update.effective_message.reply_text(t(lang(context), "mg_help"))


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/laporan [lalu|2026-W48|28-11-2026]`: the weekly summary with its chart and spreadsheet."""
    viewer = await manager_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg, svc = lang(context), services(context)
    word = " ".join(context.args or []).strip().lower()
    today = today_of(context)
    monday = today - timedelta(days=today.weekday())
    if word in ("lalu", "last"):
        monday -= timedelta(days=7)
    elif word:
        day = parse_day(word, today)
        try:
            monday = parse_week(word) if day is None else day - timedelta(days=day.weekday())
        except ValueError:
            await message.reply_text(t(lg, "mg_bad_date", text=word))
            return
    async with svc.session_factory() as session:
        await staff_service.require_role(session, viewer.telegram_id, Role.MANAGER)
        summary = await weekly.weekly_summary(session, monday)
    span = {"first": long_date(summary.monday, lg), "last": long_date(summary.sunday, lg)}
    await message.reply_text(weekly_summary_html(summary, lg))
    await message.reply_photo(
        InputFile(weekly_chart_png(summary, lg), filename=f"grafik-{monday.isoformat()}.png"),
        caption=t(lg, "mg_chart_caption", **span),
    )
    await message.reply_document(
        InputFile(orders_xlsx(summary.rows, summary), filename=f"pesanan-{monday.isoformat()}.xlsx"),
        caption=t(lg, "mg_xlsx_caption", **span),
    )


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/ekspor DARI SAMPAI`: the orders placed in a date range as a spreadsheet (this week by default)."""
    viewer = await manager_gate(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    lg, svc = lang(context), services(context)
    args = list(context.args or [])
    today = today_of(context)
    first, last = today - timedelta(days=today.weekday()), today
    if args:
        parsed = [parse_day(a, today) for a in args[:2]]
        if any(p is None for p in parsed):
            bad = next(a for a, p in zip(args, parsed, strict=False) if p is None)
            await message.reply_text(t(lg, "mg_bad_date", text=bad))
            return
        first = parsed[0] or first
        last = parsed[1] if len(parsed) > 1 and parsed[1] else first
    if last < first:
        first, last = last, first
    last = min(last, first + timedelta(days=MAX_EXPORT_DAYS))
    async with svc.session_factory() as session:
        await staff_service.require_role(session, viewer.telegram_id, Role.MANAGER)
        rows = weekly.order_rows(await weekly.orders_placed(session, first, last))
    span = {"first": long_date(first, lg), "last": long_date(last, lg)}
    if not rows:
        await message.reply_text(t(lg, "mg_export_empty", **span))
        return
    await message.reply_document(
        InputFile(orders_xlsx(rows), filename=f"pesanan-{first.isoformat()}-{last.isoformat()}.xlsx"),
        caption=tn(lg, "mg_export_ok", len(rows), count=number(len(rows), lg), **span),
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Adds the manager handlers (and the invite deep link, which must come before the buyers' /start)."""
    invites.register(application)
    application.add_handler(CommandHandler("pimpinan", help_command))
    application.add_handler(CommandHandler("laporan", report))
    application.add_handler(CommandHandler("ekspor", export))
    application.add_handler(CommandHandler("harga", manager_catalogue.price))
    application.add_handler(CommandHandler("produk", manager_catalogue.switch))
    application.add_handler(CommandHandler("stok", manager_catalogue.stock))
    application.add_handler(CommandHandler("kapasitas", manager_catalogue.capacity))
    application.add_handler(CommandHandler("libur", manager_catalogue.holiday))
    application.add_handler(CommandHandler("audit", manager_catalogue.trail))
    application.add_handler(CommandHandler("staf", manager_catalogue.staff_list))
    # A buyer's /katalog (if the buyer menu has one) goes on to the buyer handlers.
    managers_only = RoleFilter(application, manager=True)
    application.add_handler(CommandHandler("katalog", manager_catalogue.catalogue_list, filters=managers_only))
    application.add_handler(CallbackQueryHandler(manager_catalogue.on_remove, pattern=r"^mrm:"))
