"""Pesanan Saya and the payment QR picture, for the buyer's own orders only (another buyer's: 404)."""

from __future__ import annotations

from aiohttp import web

from bot.render.buyer_payment import payment_image
from bot.web.miniapp import views
from bot.web.miniapp.calls import Call, endpoint
from models.errors import NoOpenCode, NotFound
from models.services import buyer_orders

ORDERS_SHOWN = 10  # as many as the chat's Pesanan Saya


@endpoint
async def mine(call: Call) -> web.Response:
    """GET /app/api/orders: the buyer's latest orders with status and what is still payable."""
    found = await buyer_orders.recent_orders(call.session, call.customer_id, limit=ORDERS_SHOWN)
    return web.json_response(views.orders_json(call.lang, found))


@endpoint
async def qr(call: Call) -> web.Response:
    """GET /app/api/payments/{id}/qr.png: the same PNG as the chat's payment photo."""
    raw = call.request.match_info["payment_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound(what="payment")
    payment = await buyer_orders.own_payment(call.session, call.customer_id, int(raw))
    if not payment.payload:
        raise NoOpenCode(payment_id=payment.id)  # a gateway's code not made yet
    png = payment_image(call.lang, payment, payment.order)
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "private, no-store"})


def routes() -> list[web.RouteDef]:
    """The order routes."""
    return [web.get("/app/api/orders", mine), web.get("/app/api/payments/{payment_id}/qr.png", qr)]
