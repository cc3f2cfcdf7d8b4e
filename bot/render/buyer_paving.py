"""Paving screens: the calculator prompt and the echoed calculation (area, pcs/m2, spare, pieces, price...)."""

from __future__ import annotations

from bot.keyboards import button, markup
from bot.render.buyer_common import Lang, area_code, area_text, esc, nav_row
from bot.render.screen import Screen
from bot.routing.actions import Action
from bot.texts import t, tn, vehicle_name
from bot.texts.format import long_date, number, rupiah, weight
from models.catalog import Product
from models.services.paving_offer import PavingOffer


def paving_prompt(lang: Lang, product: Product) -> Screen:
    """Asks for an area, dimensions or a number of pieces."""
    text = tn(lang, "b_paving_prompt", product.min_qty, product=esc(product.name), min=number(product.min_qty, lang))
    back = button(t(lang, "b_btn_back"), Action.PRODUCT, product.id)
    return Screen(text, markup(nav_row(lang, back)))


def _trips(lang: Lang, trips: dict[str, int]) -> str:
    """ "5× pick-up atau 3× truk engkel atau 1× colt diesel"."""
    parts = [t(lang, "b_trip", n=number(n, lang), vehicle=vehicle_name(lang, name)) for name, n in trips.items()]
    return t(lang, "b_or").join(parts)


def quote_parts(lang: Lang, offer: PavingOffer) -> dict[str, str]:
    """The lines of a paving calculation by name (title, area, per_m2, spare, pieces, minimum, price, weight, trips,
    ready, deposit), in the order the chat shows them; what does not apply is left out."""
    quote, request, product = offer.quote, offer.request, offer.product
    parts = {"title": t(lang, "b_pq_title", product=esc(product.name))}
    if request.area_m2 is not None:
        area = area_text(request.area_m2, lang)
        if request.dimensions is not None:
            a, b = (area_text(x, lang) for x in request.dimensions)
            parts["area"] = t(lang, "b_pq_dims", a=a, b=b, area=area)
        else:
            parts["area"] = t(lang, "b_pq_area", area=area)
        parts["per_m2"] = t(lang, "b_pq_per_m2", pcs=number(quote.pcs_per_m2, lang))
        base = quote.base_pieces
        parts["spare"] = tn(lang, "b_pq_spare", base, pct=number(quote.waste_pct, lang), base=number(base, lang))
    parts["pieces"] = tn(lang, "b_pq_pieces", quote.pieces, pieces=number(quote.pieces, lang))
    if quote.raised_to_minimum:
        parts["minimum"] = tn(lang, "b_pq_minimum", quote.min_qty, min=number(quote.min_qty, lang))
    parts["price"] = t(
        lang, "b_pq_price", pieces=number(quote.pieces, lang), price=rupiah(quote.unit_price),
        total=rupiah(quote.total_price),
    )
    if quote.weight_kg is not None:
        parts["weight"] = t(lang, "b_pq_weight", weight=weight(quote.weight_kg, lang))
    if offer.vehicles:
        parts["trips"] = t(lang, "b_pq_trips", trips=_trips(lang, offer.vehicles))
    parts["ready"] = t(lang, "b_pq_ready", date=long_date(offer.ready_date, lang))
    if offer.deposit:
        parts["deposit"] = t(lang, "b_pq_deposit", deposit=rupiah(offer.deposit))
    return parts


def paving_quote(lang: Lang, offer: PavingOffer) -> Screen:
    """The calculation echoed back, with the earliest ready date and the deposit, and "Masukkan keranjang"."""
    quote, request, product = offer.quote, offer.request, offer.product
    lines = [*quote_parts(lang, offer).values(), t(lang, "b_pq_again")]
    add = button(t(lang, "b_btn_add_cart"), Action.ADD_PAVING, product.id, quote.pieces, area_code(request.area_m2))
    back = button(t(lang, "b_btn_back"), Action.PRODUCT, product.id)
    return Screen("\n".join(lines), markup([add], nav_row(lang, back)))
