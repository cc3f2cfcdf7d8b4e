"""Every route of the Mini App: the page, photo variants and the JSON API (see the module of each)."""

from __future__ import annotations

from aiohttp import web

from bot.web.context import WebContext
from bot.web.miniapp import basket, manager, orders, photos, purchase, shop, static


def routes(_: WebContext) -> list[web.RouteDef]:
    """/app, /app/static/*, /app/photos/* and /app/api/*."""
    return [
        web.get("/app", static.index),
        web.get("/app/", static.index),
        web.get("/app/static/{name}", static.static_file),
        web.get("/app/photos/{name}", photos.photo),
        *shop.routes(),
        *basket.routes(),
        *purchase.routes(),
        *orders.routes(),
        *manager.routes(),
    ]
