"""Catalogue screens: main menu, categories, products, product card, pickup dates and slots, quantities."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, WebAppInfo

from bot.keyboards import button, day_code, markup, rows
from bot.render import buyer_photos
from bot.render.buyer_common import Lang, category_name, esc, nav_row, slot_label, unit_text
from bot.render.screen import Picture, Screen
from bot.routing.actions import Action
from bot.texts import t, tn
from bot.texts.format import clock, long_date, number, rupiah, short_date
from models.calendar import PickupSlot
from models.catalog import Category, Family, Product
from models.people import Role
from models.rules.calendar import CLOSED_WEEKDAY, HOLIDAY
from models.services.catalogue import DateOption, SlotOption, cutoff_of
from models.services.photos import GalleryPhoto

CATEGORY_PAGE = 8
PRODUCT_PAGE = 6
QUICK_QUANTITIES = (1, 2, 5, 10, 20, 50, 100, 200, 500)
# Below this share of the day's capacity the buyer is told how many are left.
LOW_CAPACITY_SHARE = 0.25


def menu_screen(
    lang: Lang, name: str, shop: str, cart_count: int, *, welcome: bool, storefront: str | None = None,
    role: Role | None = None,
) -> Screen:
    """The greeting (or the plain main menu) with Katalog, Keranjang, Pesanan Saya and Bantuan, and with a
    storefront address, "Buka toko" (the Mini App) last, so the chat's buttons keep their places. Staff and
    managers are greeted with the command that lists their own work as well."""
    text = t(lang, "b_welcome", name=esc(name), shop=esc(shop)) if welcome else t(lang, "b_menu")
    if welcome and role is not None:
        text += "\n\n" + (t(lang, "b_welcome_staff") if role is Role.STAFF else t(lang, "b_welcome_manager"))
    cart_label = t(lang, "b_btn_cart_n", n=cart_count) if cart_count else t(lang, "b_btn_cart")
    rows_shown = [
        [button(t(lang, "b_btn_catalogue"), Action.CATEGORIES, 0), button(cart_label, Action.CART)],
        [button(t(lang, "b_btn_orders"), Action.ORDERS), button(t(lang, "b_btn_help"), Action.HELP)],
    ]
    if storefront:
        rows_shown.append([InlineKeyboardButton(t(lang, "b_btn_open_shop"), web_app=WebAppInfo(storefront))])
    return Screen(text, markup(*rows_shown))


def _pager(lang: Lang, page: int, pages: int, action: Action, *args: object) -> list[InlineKeyboardButton]:
    """Previous/next buttons for a paginated list (empty for a single page)."""
    row = []
    if page > 0:
        row.append(button(t(lang, "b_btn_prev"), action, *args, page - 1))
    if page < pages - 1:
        row.append(button(t(lang, "b_btn_next"), action, *args, page + 1))
    return row


def _page_of(count: int, size: int, page: int) -> tuple[int, int]:
    """The clamped page number and the number of pages."""
    pages = max(1, -(-count // size))
    return min(max(page, 0), pages - 1), pages


def categories_screen(lang: Lang, categories: Sequence[Category], page: int) -> Screen:
    """The categories, eight to a page."""
    page, pages = _page_of(len(categories), CATEGORY_PAGE, page)
    shown = categories[page * CATEGORY_PAGE : (page + 1) * CATEGORY_PAGE]
    text = t(lang, "b_categories")
    if pages > 1:
        text += "\n" + t(lang, "b_page", page=page + 1, pages=pages)
    buttons = [button(category_name(lang, c), Action.CATEGORY, c.id, 0) for c in shown]
    return Screen(text, markup(*rows(buttons, 2), _pager(lang, page, pages, Action.CATEGORIES), nav_row(lang)))


def products_screen(lang: Lang, category: Category, products: Sequence[Product], page: int) -> Screen:
    """The products of a category with their prices, six to a page."""
    page, pages = _page_of(len(products), PRODUCT_PAGE, page)
    shown = products[page * PRODUCT_PAGE : (page + 1) * PRODUCT_PAGE]
    lines = [t(lang, "b_products", category=category_name(lang, category))]
    if not products:
        lines.append(t(lang, "b_no_products"))
    for p in shown:
        lines.append(t(lang, "b_product_line", product=esc(p.name), price=rupiah(p.price), unit=unit_text(lang, p, 1)))
    if pages > 1:
        lines.append(t(lang, "b_page", page=page + 1, pages=pages))
    buttons = [[button(_short(p.name), Action.PRODUCT, p.id)] for p in shown]
    back = button(t(lang, "b_btn_back"), Action.CATEGORIES, 0)
    pager = _pager(lang, page, pages, Action.CATEGORY, category.id)
    return Screen("\n".join(lines), markup(*buttons, pager, nav_row(lang, back)))


def _short(name: str, limit: int = 40) -> str:
    """A button label short enough for a small screen."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _bread_facts(lang: Lang, product: Product) -> list[str]:
    """Order rules of bread: deadline, pickup, shelf life."""
    lead = product.lead_days
    cutoff = clock(cutoff_of(product))
    if lead == 1:
        facts = [t(lang, "b_bread_rule_1", cutoff=cutoff)]
    else:
        facts = [tn(lang, "b_bread_rule_n", lead, cutoff=cutoff, lead=number(lead, lang))]
    if product.shelf_life_days:
        days = product.shelf_life_days
        facts.append(tn(lang, "b_shelf_life", days, days=number(days, lang)))
    return facts


def _paving_facts(lang: Lang, product: Product, ready: date | None) -> list[str]:
    """What a paving buyer needs: pieces per m2, thickness, declared strength, minimum, ready date."""
    per_m2 = product.pcs_per_m2 or 0
    facts = [tn(lang, "b_paving_per_m2", per_m2, pcs=number(per_m2, lang))]
    if product.thickness_cm:
        facts.append(t(lang, "b_paving_thickness", cm=product.thickness_cm))
    if product.k_grade:
        facts.append(t(lang, "b_paving_grade", grade=esc(product.k_grade)))
    if product.stock_ready:
        facts.append(tn(lang, "b_paving_stock", product.stock_ready, pcs=number(product.stock_ready, lang)))
    if ready is not None:
        pcs = number(product.min_qty, lang)
        facts.append(tn(lang, "b_paving_ready", product.min_qty, date=long_date(ready, lang), pcs=pcs))
    return facts


def _goods_facts(lang: Lang, product: Product, ready: date | None) -> list[str]:
    """Stock on hand, or the ready date of goods made to order."""
    if product.is_stock_item:
        stock = product.stock_on_hand or 0
        if stock > 0:
            return [t(lang, "b_stock", stock=number(stock, lang), unit=unit_text(lang, product, stock))]
        return [t(lang, "b_stock_out")]
    if ready is not None:
        return [t(lang, "b_made_to_order", date=long_date(ready, lang))]
    return []


def product_facts(lang: Lang, product: Product, ready: date | None) -> list[str]:
    """What a buyer needs to decide, after the price: the family's facts and the minimum quantity."""
    if product.family is Family.BREAD:
        facts = _bread_facts(lang, product)
    elif product.family is Family.PAVING:
        facts = _paving_facts(lang, product, ready)
    else:
        facts = _goods_facts(lang, product, ready)
    if product.min_qty > 1:
        least = product.min_qty
        facts.append(t(lang, "b_min_qty", qty=number(least, lang), unit=unit_text(lang, product, least)))
    return facts


def product_screen(
    lang: Lang,
    product: Product,
    ready: date | None = None,
    photos: Sequence[GalleryPhoto] = (),
    index: int = 0,
    *,
    full: bool = False,
) -> Screen:
    """A product card: name, price per unit and what the buyer needs to decide, with the next step.

    With photos: photo `index` with the card as its caption (`full`: the whole card as text instead, for a
    description longer than a caption holds). Without: the text card, or a legacy catalogue photo.
    """
    facts = [t(lang, "b_price", price=rupiah(product.price), unit=unit_text(lang, product, 1))]
    facts += product_facts(lang, product, ready)
    if product.family is Family.BREAD:
        action = button(t(lang, "b_btn_choose_date"), Action.PICKUP_DATES, product.id)
    elif product.family is Family.PAVING:
        action = button(t(lang, "b_btn_paving_calc"), Action.PAVING_CALCULATOR, product.id)
    else:
        action = button(t(lang, "b_btn_order"), Action.ASK_QUANTITY, product.id)
    can_order = not (product.is_stock_item and (product.stock_on_hand or 0) < product.min_qty)
    actions = [action] if can_order else []
    nav = nav_row(lang, button(t(lang, "b_btn_back"), Action.CATEGORY, product.category_id, 0))
    if photos and full:
        return buyer_photos.full_card(lang, product, facts, index, actions, nav)
    if photos:
        return buyer_photos.photo_card(lang, product, facts, photos, index, actions, nav)
    lines = [f"<b>{esc(product.name)}</b>", *([esc(product.description)] if product.description else []), *facts]
    legacy = Picture(file_id=product.photo) if product.photo else None
    return Screen("\n".join(lines), markup(actions, nav), photo=legacy)


def _date_line(lang: Lang, option: DateOption, product: Product) -> str:
    """One line of the pickup-date list, saying why a date cannot be chosen."""
    day = long_date(option.day, lang)
    if option.available:
        low = (
            option.remaining is not None
            and product.daily_capacity
            and (option.remaining <= product.daily_capacity * LOW_CAPACITY_SHARE)
        )
        if low:
            left = option.remaining or 0
            return t(lang, "b_date_low", date=day, left=number(left, lang), unit=unit_text(lang, product, left))
        return t(lang, "b_date_ok", date=day)
    return t(lang, "b_date_no", date=day, reason=date_reason(lang, option))


def date_reason(lang: Lang, option: DateOption) -> str:
    """Why a pickup date cannot be chosen: closed, a holiday, the cut-off passed, or full."""
    if option.reason == CLOSED_WEEKDAY:
        return t(lang, "b_why_closed")
    if option.reason == HOLIDAY:
        return t(lang, "b_why_holiday")
    if option.reason == "past_cutoff" and option.deadline is not None:
        deadline = f"{short_date(option.deadline.date(), lang)} {clock(option.deadline)}"
        return t(lang, "b_why_cutoff", deadline=deadline)
    return t(lang, "b_why_full")


def dates_screen(
    lang: Lang,
    product: Product,
    options: Sequence[DateOption],
    *,
    back: InlineKeyboardButton | None = None,
    action: Action = Action.PICKUP_SLOTS,
    target: object = None,
) -> Screen:
    """The next pickup dates, closed and past-cut-off ones shown with the reason; buttons for the open ones."""
    lines = [t(lang, "b_dates_title", product=esc(product.name))]
    lines += [_date_line(lang, o, product) for o in options]
    open_days = [o.day for o in options if o.available]
    if not open_days:
        lines.append(t(lang, "b_dates_none"))
    ref = product.id if target is None else target
    buttons = [button(short_date(d, lang), action, ref, day_code(d)) for d in open_days]
    back = back or button(t(lang, "b_btn_back"), Action.PRODUCT, product.id)
    return Screen("\n".join(lines), markup(*rows(buttons, 3), nav_row(lang, back)))


def slots_screen(
    lang: Lang,
    product: Product,
    day: date,
    slots: Sequence[SlotOption],
    *,
    action: Action = Action.ASK_QUANTITY,
    target: object = None,
    back_action: Action = Action.PICKUP_DATES,
) -> Screen:
    """The pickup slots of a day with the room left when it runs low."""
    lines = [t(lang, "b_slots_title", product=esc(product.name), date=long_date(day, lang))]
    ref = product.id if target is None else target
    buttons = []
    for option in slots:
        label = slot_label(option.slot)
        if option.remaining < 1:
            lines.append(t(lang, "b_slot_full", slot=label))
            continue
        if option.remaining <= max(3, option.slot.capacity * LOW_CAPACITY_SHARE):
            label = t(lang, "b_slot_left", slot=label, left=number(option.remaining, lang))
        buttons.append(button(label, action, ref, day_code(day), option.slot.id))
    if not buttons:
        lines.append(t(lang, "b_slots_none"))
    back = button(t(lang, "b_btn_back"), back_action, ref)
    return Screen("\n".join(lines), markup(*rows(buttons, 1), nav_row(lang, back)))


def quick_quantities(minimum: int, limit: int | None) -> list[int]:
    """Up to five quick-pick quantities from the minimum within the limit."""
    top = limit if limit is not None else 10**9
    picks = [q for q in QUICK_QUANTITIES if minimum <= q <= top]
    if minimum <= top and minimum not in picks:
        picks = [minimum, *[q for q in picks if q > minimum]]
    return picks[:5]


def quantity_screen(
    lang: Lang,
    product: Product,
    *,
    day: date | None = None,
    slot: PickupSlot | None = None,
    remaining: int | None = None,
) -> Screen:
    """Asks how many: quick buttons within what is left, or a typed number."""
    price = t(lang, "b_price", price=rupiah(product.price), unit=unit_text(lang, product, 1))
    lines = [f"<b>{esc(product.name)}</b>", price]
    if day is not None and slot is not None:
        lines.append(t(lang, "b_pickup_at", date=long_date(day, lang), slot=slot_label(slot)))
    limit = remaining
    if product.is_stock_item:
        limit = product.stock_on_hand or 0
        lines.append(t(lang, "b_stock", stock=number(limit, lang), unit=unit_text(lang, product, limit)))
    elif remaining is not None and product.daily_capacity and remaining <= product.daily_capacity * LOW_CAPACITY_SHARE:
        lines.append(t(lang, "b_low_left", left=number(remaining, lang), unit=unit_text(lang, product, remaining)))
    if product.max_qty is not None:
        limit = product.max_qty if limit is None else min(limit, product.max_qty)
    # The unit takes the plural form of the example ("How many pieces? ... for example 12").
    example = max(product.min_qty, 12)
    # An example of what to type stays in digits the quantity parser reads.
    lines.append(t(lang, "b_qty_ask", unit=unit_text(lang, product, example), example=example))
    args: tuple[object, ...] = (product.id, day_code(day), slot.id) if day and slot else (product.id,)
    picks = quick_quantities(product.min_qty, limit)
    buttons = [button(number(q, lang), Action.QUICK_QUANTITY, *args, q) for q in picks]
    back = (
        button(t(lang, "b_btn_back"), Action.PICKUP_SLOTS, product.id, day_code(day))
        if day
        else button(t(lang, "b_btn_back"), Action.PRODUCT, product.id)
    )
    return Screen("\n".join(lines), markup(*rows(buttons, 5), nav_row(lang, back)))
