"""The managers' weekly dashboard: GET /app/manager (the page) and GET /app/api/manager/weekly?week=2026-W48.

Read-only. The figures are the weekly summary's (admin.weekly_summary checks the role again in the service);
anyone below manager gets 403 with one polite sentence and no figure at all.
"""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from bot.texts import t
from bot.web.miniapp import dashboard
from bot.web.miniapp.calls import Call, Refused, endpoint
from bot.web.miniapp.static import STATIC
from models.people import Role
from models.rules.calendar import wib_today
from models.rules.parsing import monday_of, parse_week
from models.services import admin
from models.services.staff import RANK

WEEK_EXAMPLE = "2026-W48"
YEARS = range(2000, 2101)  # beyond these a week is a typo (and far years would overflow the date arithmetic)
PAGE = STATIC / "manager.html"


def is_manager(role: Role | None) -> bool:
    """A manager or an admin."""
    return role is not None and RANK[role] >= RANK[Role.MANAGER]


def week_of(call: Call, this_monday: date) -> date:
    """The Monday of `?week=` ("2026-W48" or a day of it); the last complete week without one; 400 otherwise."""
    text = call.request.query.get("week", "").strip()
    if not text:
        return this_monday - timedelta(days=7)
    monday = parse_week(text) if len(text) <= 20 else None
    if monday is None or monday.year not in YEARS:
        raise Refused(400, "bad_week", t(call.lang, "mg_dash_bad_week", example=WEEK_EXAMPLE))
    return monday


@endpoint
async def weekly(call: Call) -> web.Response:
    """GET /app/api/manager/weekly: the week's figures for a manager, 403 for anyone else."""
    if not is_manager(call.role):
        raise Refused(403, "not_allowed", t(call.lang, "mg_dash_forbidden"))
    this_monday = monday_of(wib_today(call.services.clock))
    monday = week_of(call, this_monday)
    summary = await admin.weekly_summary(call.session, call.user.id, monday)
    return web.json_response(dashboard.weekly_json(summary, call.lang, this_monday))


async def page(_: web.Request) -> web.FileResponse:
    """GET /app/manager: the dashboard page (no data in it: the figures come from the API with initData)."""
    return web.FileResponse(PAGE, headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


def routes() -> list[web.RouteDef]:
    """The dashboard's page and its one API route."""
    return [web.get("/app/manager", page), web.get("/app/api/manager/weekly", weekly)]
