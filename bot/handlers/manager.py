"""Manager reports on demand: the weekly summary (text, chart, spreadsheet) and the orders of a date range.

The summary on demand is sent straight to the manager who asked; the scheduled one goes through the outbox
(jobs/builders.py).
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update, WebAppInfo
from telegram.constants import ChatType

from bot.render.charts import weekly_chart_png
from bot.render.weekly import weekly_summary_html
from bot.render.xlsx import orders_xlsx
from bot.routing import replies
from bot.routing.context import BotContext
from bot.routing.router import Router, manager_only
from bot.texts import t, tn
from bot.texts.format import long_date, number
from models.rules.calendar import wib_today
from models.rules.parsing import monday_of, parse_day, report_week, week_name
from models.services import admin

router = Router()
MAX_EXPORT_DAYS = 366


def dashboard_button(update: Update, context: BotContext, week: str = "") -> InlineKeyboardMarkup | None:
    """"📊 Dashboard" opening the Mini App's weekly dashboard, when the Mini App is on and the chat is private
    (Telegram allows web_app buttons only there)."""
    base = context.services.settings.storefront_url  # None: the Mini App is off
    chat = update.effective_chat
    if not base or chat is None or chat.type != ChatType.PRIVATE:
        return None
    url = f"{base.rstrip('/')}/manager" + (f"?week={week}" if week else "")
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(context.lang, "mg_dash_button"), web_app=WebAppInfo(url))]])


@router.command("pimpinan")
@manager_only
async def help_command(update: Update, context: BotContext) -> None:
    """Lists the manager commands."""
    await replies.say(update, context, t(context.lang, "mg_help"), dashboard_button(update, context))


@router.command("laporan")
@manager_only
async def report(update: Update, context: BotContext) -> None:
    """`/laporan [lalu|2026-W48|28-11-2026]`: the weekly summary with its chart and spreadsheet."""
    lang, words = context.lang, " ".join(context.args or [])
    monday = report_week(words, wib_today(context.services.clock))
    if monday is None:
        await replies.say(update, context, t(lang, "mg_bad_date", text=escape(words.strip().lower())))
        return
    summary = await admin.weekly_summary(context.session, context.viewer.telegram_id, monday)
    span = {"first": long_date(summary.monday, lang), "last": long_date(summary.sunday, lang)}
    button = dashboard_button(update, context, week_name(summary.monday))
    await replies.say(update, context, weekly_summary_html(summary, lang), button)
    chart = InputFile(weekly_chart_png(summary, lang), filename=f"grafik-{monday.isoformat()}.png")
    await replies.send_photo(update, context, chart, caption=t(lang, "mg_chart_caption", **span))
    sheet = InputFile(orders_xlsx(summary.rows, summary), filename=f"pesanan-{monday.isoformat()}.xlsx")
    await replies.send_document(update, context, sheet, caption=t(lang, "mg_xlsx_caption", **span))


@router.command("ekspor")
@manager_only
async def export(update: Update, context: BotContext) -> None:
    """`/ekspor DARI SAMPAI`: the orders placed in a date range as a spreadsheet (this week by default)."""
    lang, args = context.lang, list(context.args or [])[:2]
    today = wib_today(context.services.clock)
    days = [parse_day(a, today) for a in args]
    unread = next((a for a, d in zip(args, days, strict=True) if d is None), None)
    if unread is not None:
        await replies.say(update, context, t(lang, "mg_bad_date", text=escape(unread)))
        return
    first = days[0] if days and days[0] else monday_of(today)
    last = (days[1] if len(days) > 1 else days[0] if days else today) or today
    first, last = min(first, last), max(first, last)
    last = min(last, first + timedelta(days=MAX_EXPORT_DAYS))
    rows = await admin.orders_between(context.session, context.viewer.telegram_id, first, last)
    span = {"first": long_date(first, lang), "last": long_date(last, lang)}
    if not rows:
        await replies.say(update, context, t(lang, "mg_export_empty", **span))
        return
    sheet = InputFile(orders_xlsx(rows), filename=f"pesanan-{first.isoformat()}-{last.isoformat()}.xlsx")
    caption = tn(lang, "mg_export_ok", len(rows), count=number(len(rows), lang), **span)
    await replies.send_document(update, context, sheet, caption=caption)
