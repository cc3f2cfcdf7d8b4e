"""The cart routes: see it split per fulfilment, add (bread for a date and slot, paving by area), change, remove.

The same checks as the chat's cart (`models.services.cart`): capacity, cut-off, minimum, stock. An item id of
another buyer is not found (404) and nothing changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from bot.texts import t
from bot.web.miniapp import views
from bot.web.miniapp.calls import Call, Refused, endpoint
from bot.web.miniapp.shop import iso_day, text_field
from models.catalog import Family
from models.errors import NotANumber, NotFound, NotWhole
from models.rules.parsing import parse_quantity
from models.services import cart, catalogue, checkout, paving_offer
from models.services.ordering import MAX_LINE_QTY


def quantity(value: object) -> int:
    """A quantity as the page sends it (a number or the text typed); the chat's InvalidQuantity errors."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one kind of number: 12.0 is 12
    if isinstance(value, float):
        raise NotWhole()
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise NotANumber()
    return parse_quantity(str(value), max_value=MAX_LINE_QTY)


def item_id(call: Call) -> int:
    """The cart item id of the path; NotFound for anything but a plain number."""
    raw = call.request.match_info["item_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound(what="cart_item")
    return int(raw)


async def answer(call: Call, status: int = 200) -> web.Response:
    """The buyer's cart as GET /app/api/cart shows it."""
    planned = await checkout.plan(call.session, call.customer_id, now=call.services.now(),
                                  policy=call.services.order_policy)
    return web.json_response(views.groups_json(call.lang, planned), status=status)


@endpoint
async def show(call: Call) -> web.Response:
    """GET /app/api/cart."""
    return await answer(call)


async def _choice(call: Call, body: dict[str, Any]) -> tuple[int, int, Decimal | None]:
    """(product id, quantity, area) of an add: paving from what the buyer typed, anything else by quantity."""
    found = await catalogue.get_product_by_sku(call.session, text_field(call, body, "sku", limit=40))
    typed = body.get("paving_input")
    if typed is None or found.family is not Family.PAVING:
        return found.id, quantity(body.get("qty")), None
    if not isinstance(typed, str) or len(typed) > 60:
        raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))
    offer = await paving_offer.quote_paving_for(call.session, found.id, typed, now=call.services.now(),
                                                policy=call.services.order_policy)
    return found.id, offer.quote.pieces, offer.request.area_m2


@endpoint
async def add(call: Call) -> web.Response:
    """POST /app/api/cart: puts a product in the cart (201 with the cart)."""
    body = await call.body()
    product_id, qty, area = await _choice(call, body)
    day = iso_day(call, body["date"]) if body.get("date") is not None else None
    slot = body.get("slot_id")
    if slot is not None and (isinstance(slot, bool) or not isinstance(slot, int)):
        raise Refused(400, "bad_request", t(call.lang, "app_e_bad_request"))
    await cart.add(call.session, call.customer_id, product_id, qty, now=call.services.now(), fulfil_date=day,
                   slot_id=slot, area_m2=area)
    return await answer(call, 201)


@endpoint
async def change(call: Call) -> web.Response:
    """PATCH /app/api/cart/{item_id}: a new quantity for one of the buyer's items."""
    body = await call.body()
    await cart.change_quantity(call.session, call.customer_id, item_id(call), quantity(body.get("qty")),
                               now=call.services.now())
    return await answer(call)


@endpoint
async def remove(call: Call) -> web.Response:
    """DELETE /app/api/cart/{item_id}: takes one of the buyer's items out."""
    await cart.remove(call.session, call.customer_id, item_id(call))
    return await answer(call)


def routes() -> list[web.RouteDef]:
    """The cart routes."""
    return [
        web.get("/app/api/cart", show),
        web.post("/app/api/cart", add),
        web.patch(r"/app/api/cart/{item_id}", change),
        web.delete(r"/app/api/cart/{item_id}", remove),
    ]
