"""The Mini App's JSON: domain objects in the buyer's language, every text preformatted as plain text.

The words are the chat's own (its renderers and catalogues), with the HTML tags taken out: the page shows them
as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.render.buyer_catalogue import date_reason, product_facts
from bot.render.buyer_checkout import reason_text, when_text
from bot.render.buyer_common import Lang, category_name, deadline_text, slot_label, status_label, unit_text
from bot.render.buyer_paving import quote_parts
from bot.render.plain import plain
from bot.texts import t
from bot.texts.format import long_date, number, rupiah, short_date
from bot.texts.labels import family_label
from models.catalog import Category, Product
from models.conversation import CartItem
from models.order import Order
from models.payment import Payment
from models.photo import ProductPhoto
from models.rules.product_fields import UNIQUE, stock_mode_of
from models.services.buyer_orders import is_payable
from models.services.catalogue import DateOption, ProductPage, SlotOption, Storefront
from models.services.checkout import PlannedOrder
from models.services.paving_offer import PavingOffer

THUMB, FULL = 320, 1280
WIDTHS = (320, 640, 1280)


def photo_url(photo: ProductPhoto, width: int) -> str:
    """The address of a resized variant of a product photo (named by its content hash)."""
    return f"/app/photos/{photo.content_hash}.jpg?w={width}"


def price_text(lang: Lang, product: Product) -> str:
    """ "Rp3.500/pcs"."""
    return f"{rupiah(product.price)}/{plain(unit_text(lang, product, 1))}"


def qty_text(lang: Lang, product: Product, qty: int) -> str:
    """ "12 pcs"."""
    return f"{number(qty, lang)} {plain(unit_text(lang, product, qty))}"


def _product(lang: Lang, product: Product) -> dict[str, Any]:
    """The fields every product view shares."""
    return {
        "sku": product.sku, "name": product.name, "family": product.family.value, "price": product.price,
        "price_text": price_text(lang, product), "unit": plain(unit_text(lang, product, 1)),
    }


def catalogue_json(lang: Lang, found: Storefront) -> dict[str, Any]:
    """GET /app/api/catalogue."""
    def tile(product: Product) -> dict[str, Any]:
        first = found.first_photos.get(product.id)
        return {**_product(lang, product), "thumb": photo_url(first, THUMB) if first else None}

    def shelf(category: Category, products: Sequence[Product]) -> dict[str, Any]:
        name = plain(category_name(lang, category))
        return {"id": category.id, "name": name, "products": [tile(p) for p in products]}

    return {"categories": [shelf(c, products) for c, products in found.shelves]}


def date_json(lang: Lang, option: DateOption) -> dict[str, Any]:
    """One pickup date with why it cannot be chosen."""
    return {
        "date": option.day.isoformat(), "label": short_date(option.day, lang),
        "label_long": long_date(option.day, lang), "available": option.available,
        "reason": None if option.available else plain(date_reason(lang, option)), "remaining": option.remaining,
    }


def product_json(lang: Lang, page: ProductPage) -> dict[str, Any]:
    """GET /app/api/products/{sku}."""
    product, ready = page.card.product, page.card.ready
    stock = None
    if product.is_stock_item:
        unique = stock_mode_of(product.stock_on_hand, product.max_qty) == UNIQUE
        stock = {"on_hand": product.stock_on_hand or 0, "one_of_a_kind": unique}
    return {
        **_product(lang, product),
        "description": product.description or "",
        "facts": [plain(f) for f in product_facts(lang, product, ready)],  # the chat card's lines after the price
        "photos": [{"thumb": photo_url(p, THUMB), "full": photo_url(p, FULL)} for p in page.photos],
        "min_qty": product.min_qty, "max_qty": product.max_qty, "stock": stock,
        "ready_text": t(lang, "b_ready_earliest", date=long_date(ready, lang)) if ready is not None else None,
        "dates": [date_json(lang, o) for o in page.dates] if page.dates is not None else None,
    }


def slots_json(options: Sequence[SlotOption]) -> dict[str, Any]:
    """GET /app/api/products/{sku}/slots."""
    return {"slots": [{"id": o.slot.id, "label": slot_label(o.slot), "remaining": o.remaining} for o in options]}


def quote_json(lang: Lang, offer: PavingOffer) -> dict[str, Any]:
    """POST /app/api/paving/quote: the chat's echo, line by line and by part."""
    parts = {k: plain(v) for k, v in quote_parts(lang, offer).items()}
    quote = offer.quote
    return {
        "sku": offer.product.sku, "pieces": quote.pieces, "spare_text": parts.get("spare"),
        "total": quote.total_price, "total_text": rupiah(quote.total_price), "weight_text": parts.get("weight"),
        "trips_text": parts.get("trips"), "ready_text": parts["ready"], "deposit": offer.deposit,
        "deposit_text": rupiah(offer.deposit) if offer.deposit else None, "lines": list(parts.values()),
    }


def _item(lang: Lang, item: CartItem) -> dict[str, Any]:
    """One cart item."""
    p = item.product
    subtotal = p.price * item.quantity
    return {
        "id": item.id, "sku": p.sku, "name": p.name, "qty": item.quantity, "qty_text": qty_text(lang, p, item.quantity),
        "subtotal": subtotal, "subtotal_text": rupiah(subtotal),
    }


def _deposit(lang: Lang, deposit: int, total: int) -> str | None:
    """The summary's deposit line of an order paid in two parts (paving), else None."""
    if not deposit:
        return None
    return plain(t(lang, "b_sum_deposit", deposit=rupiah(deposit), balance=rupiah(total - deposit)))


def groups_json(lang: Lang, planned: Sequence[PlannedOrder], *, delivery: bool = False) -> dict[str, Any]:
    """The cart split per fulfilment as the chat's summary splits it, with the total."""
    groups = [
        {
            "title": plain(t(lang, "b_group_title", family=family_label(lang, g.family),
                             when=when_text(lang, g, delivery))),
            "reason": plain(reason_text(lang, g.reason)),
            "items": [_item(lang, i) for i in g.items],
            "subtotal": g.total, "subtotal_text": rupiah(g.total),
            "deposit_text": _deposit(lang, g.deposit, g.total),
        }
        for g in planned
    ]
    total = sum(g.total for g in planned)
    count = sum(len(g.items) for g in planned)
    return {"groups": groups, "total": total, "total_text": rupiah(total), "count": count}


def payment_json(lang: Lang, payment: Payment, order: Order) -> dict[str, Any]:
    """A payment code as the page shows it; the QR picture is fetched with the signed header."""
    deadline = None
    if payment.expires_at is not None:
        time_text, date_text = deadline_text(lang, payment.expires_at)
        deadline = f"{time_text}, {date_text}"
    return {
        "id": payment.id, "order_code": order.code, "amount": payment.payable_amount,
        "amount_text": rupiah(payment.payable_amount), "deadline_text": deadline,
        "qr_url": f"/app/api/payments/{payment.id}/qr.png", "payload": payment.payload,
    }


def placed_json(
    lang: Lang, orders: Sequence[Order], coded: Sequence[Payment], *, replayed: bool, waiting: Sequence[Order] = ()
) -> dict[str, Any]:
    """POST /app/api/checkout/confirm: the orders placed (or placed before), their payment codes, and the codes of
    the orders whose code the gateway could not make yet (`waiting`: the chat got "Coba lagi")."""
    by_id = {o.id: o for o in orders}
    return {
        "orders": [
            {"code": o.code, "status_text": plain(status_label(lang, o.status)), "total_text": rupiah(o.total),
             "date_text": long_date(o.fulfil_date, lang)}
            for o in orders
        ],
        "payments": [payment_json(lang, p, by_id[p.order_id]) for p in coded],
        "waiting": [o.code for o in waiting],
        "replayed": replayed,
    }


def orders_json(lang: Lang, found: Sequence[tuple[Order, Payment | None]]) -> dict[str, Any]:
    """GET /app/api/orders: Pesanan Saya, newest first."""
    return {
        "orders": [
            {
                "code": o.code, "status": o.status.value, "status_text": plain(status_label(lang, o.status)),
                "date_text": long_date(o.fulfil_date, lang), "total_text": rupiah(o.total),
                "items_text": [f"{qty_text(lang, li.product, li.quantity)} {li.product.name}" for li in o.lines],
                "payable": is_payable(o), "payment_id": payment.id if payment is not None else None,
                # a gateway's code not made yet (the gateway failed): the page says so instead of showing a QR
                "code_waiting": is_payable(o) and payment is not None and not payment.payload,
            }
            for o, payment in found
        ]
    }
