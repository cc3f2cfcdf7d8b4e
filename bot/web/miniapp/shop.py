"""The storefront's reading routes: the session, the catalogue, a product, its slots, the paving calculator."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp import web

from bot.texts import t, texts_named
from bot.web.miniapp import views
from bot.web.miniapp.calls import Call, Refused, endpoint
from models.people import Role
from models.rules.phone import mask_phone
from models.services import cart, catalogue, paving_offer

ROLES = {None: "buyer", Role.STAFF: "staff", Role.MANAGER: "manager", Role.ADMIN: "manager"}


def text_field(call: Call, body: dict[str, Any], name: str, *, limit: int = 200) -> str:
    """A required short text field of the body; Refused (400) otherwise."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))
    return value.strip()


def iso_day(call: Call, value: object) -> date:
    """An ISO date ("2026-11-28") given by the page; Refused (400) otherwise."""
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))


@endpoint
async def session(call: Call) -> web.Response:
    """GET /app/api/session: who the buyer is, their language and role, and every word of the page."""
    customer = call.customer
    count = await cart.count(call.session, customer.id)
    return web.json_response({
        "user": {"id": call.user.id, "first_name": call.user.first_name},
        "lang": call.lang, "role": ROLES[call.role],
        "phone": mask_phone(customer.phone) if customer.phone else None,
        "cart_count": count, "texts": texts_named(call.lang, "app_"),
    })


@endpoint
async def shelves(call: Call) -> web.Response:
    """GET /app/api/catalogue: every category with its products and thumbnails."""
    return web.json_response(views.catalogue_json(call.lang, await catalogue.storefront(call.session)))


@endpoint
async def product(call: Call) -> web.Response:
    """GET /app/api/products/{sku}: the product page."""
    page = await catalogue.product_page(call.session, call.request.match_info["sku"], call.services.now())
    return web.json_response(views.product_json(call.lang, page))


@endpoint
async def slots(call: Call) -> web.Response:
    """GET /app/api/products/{sku}/slots?date=: the pickup slots of a day with the room left."""
    day = iso_day(call, call.request.query.get("date"))
    found = await catalogue.get_product_by_sku(call.session, call.request.match_info["sku"])
    _, options = await cart.bread_pickup_slots(call.session, found.id, day, call.services.now())
    return web.json_response(views.slots_json(options))


@endpoint
async def paving_quote(call: Call) -> web.Response:
    """POST /app/api/paving/quote: the chat's paving echo for "50 m2", "10x5" or "2300 biji"."""
    body = await call.body()
    found = await catalogue.get_product_by_sku(call.session, text_field(call, body, "sku", limit=40))
    offer = await paving_offer.quote_paving_for(
        call.session, found.id, text_field(call, body, "input"), now=call.services.now(),
        policy=call.services.order_policy,
    )
    return web.json_response(views.quote_json(call.lang, offer))


def routes() -> list[web.RouteDef]:
    """The reading routes."""
    return [
        web.get("/app/api/session", session),
        web.get("/app/api/catalogue", shelves),
        web.get("/app/api/products/{sku}", product),
        web.get("/app/api/products/{sku}/slots", slots),
        web.post("/app/api/paving/quote", paving_quote),
    ]
