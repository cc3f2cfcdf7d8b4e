"""Catalogue and availability use cases: what can be ordered, for which day, and how much is left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, and_, bindparam, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from models.calendar import ClosedWeekday, Holiday, PickupSlot
from models.catalog import Category, Family, Product
from models.errors import NotBread, NotFound, ProductUnavailable
from models.photo import PhotoFileId, ProductPhoto
from models.rules.calendar import ProductionCalendar, is_orderable, order_deadline, to_wib
from models.rules.paving import paving_lead_days
from models.services import ledger, photos
from models.services.photos import GalleryPhoto

DEFAULT_CUTOFF = time(14, 0)


@dataclass(frozen=True)
class DateOption:
    """A candidate pickup date and whether it can still be chosen."""

    day: date
    available: bool
    reason: str | None
    remaining: int | None
    deadline: datetime | None


@dataclass(frozen=True)
class SlotOption:
    """A pickup slot on a day with the room left in it."""

    slot: PickupSlot
    remaining: int


# Built once (the browsing hot path): constructing a statement costs more than SQLite takes to run it.
_CATEGORIES = (
    select(Category)
    .where(Category.hidden.is_(False), Category.products.any(Product.active.is_(True)))
    .order_by(Category.position, Category.id)
)
_PRODUCTS_OF = (
    select(Product)
    .where(Product.category_id == bindparam("category_id"), Product.active.is_(True))
    .order_by(Product.id)
)
_PRODUCT_BY_SKU = select(Product).where(Product.sku == bindparam("sku"))
# A category with its active products in one statement (one row with no product when it has none): a category
# screen is one round trip, not two.
_CATEGORY_WITH_PRODUCTS = (
    select(Category, Product)
    .outerjoin(Product, and_(Product.category_id == Category.id, Product.active.is_(True)))
    .where(Category.id == bindparam("category_id"))
    .order_by(Product.id)
)
# A product with whether its category is hidden, in one statement: hiding a category hides its products from buyers.
_WITH_CATEGORY_HIDDEN = select(Product, Category.hidden).join(Category, Product.category_id == Category.id)
_ORDERABLE_BY_ID = _WITH_CATEGORY_HIDDEN.where(Product.id == bindparam("id"))
_ORDERABLE_BY_SKU = _WITH_CATEGORY_HIDDEN.where(Product.sku == bindparam("sku"))
# A product's card in one statement: the product, whether its category is hidden, and its photos in order, each with
# this bot's file id (a row per photo; one row with no photo when it has none).
_CARD = (
    _WITH_CATEGORY_HIDDEN.add_columns(ProductPhoto, PhotoFileId.file_id)
    .outerjoin(ProductPhoto, ProductPhoto.product_id == Product.id)
    .outerjoin(PhotoFileId, and_(PhotoFileId.photo_id == ProductPhoto.id, PhotoFileId.bot_id == bindparam("bot_id")))
    .order_by(ProductPhoto.position, ProductPhoto.id)
)
_CARD_BY_ID = _CARD.where(Product.id == bindparam("id"))
_CARD_BY_SKU = _CARD.where(Product.sku == bindparam("sku"))


def _sku(typed: str) -> str:
    """A SKU as stored: typed or linked in any case, with stray spaces."""
    return typed.strip().upper()


def _orderable(product: Product, category_hidden: bool) -> bool:
    """True for an active product in a shown category."""
    return product.active and not category_hidden


async def list_categories(session: AsyncSession) -> list[Category]:
    """Categories that hold at least one active product, in display order."""
    return list(await session.scalars(_CATEGORIES))


async def list_products(session: AsyncSession, category_id: int) -> list[Product]:
    """Active products of one category."""
    return list(await session.scalars(_PRODUCTS_OF, {"category_id": category_id}))


async def get_product(session: AsyncSession, product_id: int) -> Product:
    """One orderable product by id (active, in a shown category), or ProductUnavailable."""
    found = (await session.execute(_ORDERABLE_BY_ID, {"id": product_id})).first()
    if found is None or not _orderable(*found):
        raise ProductUnavailable(product_id=product_id)
    return found[0]


async def product_by_sku(session: AsyncSession, sku: str) -> Product:
    """Any product by SKU, switched on or off and whatever its category (what managers look up), or NotFound."""
    product = await session.scalar(_PRODUCT_BY_SKU, {"sku": _sku(sku)})
    if product is None:
        raise NotFound(what="product", sku=sku)
    return product


async def get_product_by_sku(session: AsyncSession, sku: str) -> Product:
    """One orderable product by SKU (active, in a shown category), or ProductUnavailable."""
    found = (await session.execute(_ORDERABLE_BY_SKU, {"sku": _sku(sku)})).first()
    if found is None or not _orderable(*found):
        raise ProductUnavailable(sku=sku)
    return found[0]


# The closed weekdays of a family and every holiday in one statement (read at every date step of an order).
_CALENDAR = union_all(
    select(ClosedWeekday.weekday, literal(None, Date).label("day")).where(
        ClosedWeekday.family == bindparam("family")
    ),
    select(literal(None, Integer).label("weekday"), Holiday.day),
)


async def load_calendar(session: AsyncSession, family: Family) -> ProductionCalendar:
    """The production calendar of a family: its closed weekdays plus the shared holidays."""
    rows = (await session.execute(_CALENDAR, {"family": family})).all()
    return ProductionCalendar(
        closed_weekdays=frozenset(w for w, _ in rows if w is not None),
        holidays=frozenset(d for _, d in rows if d is not None),
    )


def cutoff_of(product: Product) -> time:
    """The product's daily order cut-off (14.00 WIB by default)."""
    return product.cutoff_time or DEFAULT_CUTOFF


async def pickup_options(
    session: AsyncSession, product: Product, now: datetime, *, count: int = 6
) -> list[DateOption]:
    """The next `count` calendar days from tomorrow (or today) with availability and why not."""
    calendar = await load_calendar(session, product.family)
    today = to_wib(now).date()
    options: list[DateOption] = []
    first = today + timedelta(days=max(product.lead_days, 0))
    left = await ledger.remaining_capacities(session, product, [first + timedelta(days=n) for n in range(count)])
    day = first
    while len(options) < count:
        reason = calendar.closed_reason(day)
        remaining = left[day]
        deadline = order_deadline(day, product.lead_days, cutoff_of(product))
        if reason is None and not is_orderable(now, day, product.lead_days, cutoff_of(product)):
            reason = "past_cutoff"
        if reason is None and remaining is not None and remaining < product.min_qty:
            reason = "full"
        options.append(DateOption(day, reason is None, reason, remaining, deadline))
        day += timedelta(days=1)
    return options


async def slot_options(session: AsyncSession, family: Family, day: date) -> list[SlotOption]:
    """Active pickup slots of a family on a day, with the room left."""
    return [SlotOption(slot, room) for slot, room in await ledger.slots_with_room(session, family, day)]


async def earliest_ready_date(session: AsyncSession, product: Product, qty: int, now: datetime) -> date:
    """The first production day a made-to-order quantity can be collected (paving: making plus curing)."""
    calendar = await load_calendar(session, product.family)
    today = to_wib(now).date()
    if product.family is Family.PAVING:
        if product.stock_ready is not None and product.stock_ready >= qty:
            days = 1
        else:
            per_day = product.daily_capacity or max(qty, 1)
            days = max(product.lead_days, paving_lead_days(qty, per_day, product.curing_days or 0))
    else:
        days = max(product.lead_days, 0)
    candidates = calendar.next_production_days(today + timedelta(days=days), 1, horizon_days=90)
    return candidates[0] if candidates else today + timedelta(days=days)


async def active_products(session: AsyncSession) -> list[Product]:
    """Every product buyers can order now (active, in a shown category), bread first, then paving, then goods."""
    stmt = (
        select(Product).join(Category, Product.category_id == Category.id)
        .where(Product.active.is_(True), Category.hidden.is_(False)).order_by(Product.family, Product.id)
    )
    return list(await session.scalars(stmt))


async def slots_by_id(session: AsyncSession, ids: set[int]) -> dict[int, PickupSlot]:
    """Pickup slots by id (for showing the slots of cart items and orders)."""
    if not ids:
        return {}
    return {s.id: s for s in await session.scalars(select(PickupSlot).where(PickupSlot.id.in_(ids)))}


@dataclass(frozen=True)
class ProductCard:
    """A product as its card shows it: the product, for goods made to order and paving the earliest ready date,
    and its photos (with this bot's file ids) when asked for."""

    product: Product
    ready: date | None
    photos: list[GalleryPhoto] = field(default_factory=list)


async def product_card(
    session: AsyncSession,
    *,
    product_id: int | None = None,
    sku: str | None = None,
    now: datetime,
    bot_id: int | None = None,
) -> ProductCard:
    """The card of an orderable product by id (a button) or SKU (a deep link); with `bot_id`, its photos too."""
    if bot_id is not None:
        product, shown = await _orderable_with_gallery(session, product_id=product_id or 0, sku=sku, bot_id=bot_id)
    elif sku is not None:
        product, shown = await get_product_by_sku(session, sku), []
    else:
        product, shown = await get_product(session, product_id or 0), []
    if product.family is Family.BREAD or product.is_stock_item:
        return ProductCard(product, None, shown)
    return ProductCard(product, await earliest_ready_date(session, product, product.min_qty, now), shown)


async def _orderable_with_gallery(
    session: AsyncSession, *, product_id: int, sku: str | None, bot_id: int
) -> tuple[Product, list[GalleryPhoto]]:
    """An orderable product by SKU (if given) or id, with its photos and this bot's file ids, in one statement; the
    same ProductUnavailable as `get_product_by_sku` and `get_product`."""
    if sku is not None:
        rows = (await session.execute(_CARD_BY_SKU, {"sku": _sku(sku), "bot_id": bot_id})).all()
    else:
        rows = (await session.execute(_CARD_BY_ID, {"id": product_id, "bot_id": bot_id})).all()
    if not rows or not _orderable(rows[0][0], rows[0][1]):
        raise ProductUnavailable(sku=sku) if sku is not None else ProductUnavailable(product_id=product_id)
    return rows[0][0], [GalleryPhoto(photo, file_id) for _, _, photo, file_id in rows if photo is not None]


async def category_with_products(session: AsyncSession, category_id: int) -> tuple[Category, list[Product]]:
    """A category buyers may see and its active products; NotFound for an unknown or hidden one (an old button may
    still name it)."""
    rows = (await session.execute(_CATEGORY_WITH_PRODUCTS, {"category_id": category_id})).all()
    if not rows or rows[0][0].hidden:
        raise NotFound(what="category", id=category_id)
    return rows[0][0], [product for _, product in rows if product is not None]


async def bread_pickup_dates(session: AsyncSession, product_id: int, now: datetime) -> tuple[Product, list[DateOption]]:
    """A bread product and its next pickup dates; NotBread for anything else."""
    product = await get_product(session, product_id)
    if product.family is not Family.BREAD:
        raise NotBread(product_id=product_id)
    return product, await pickup_options(session, product, now)


@dataclass(frozen=True)
class Storefront:
    """Every visible category with its active products, and each product's first photo (by product id)."""

    shelves: list[tuple[Category, list[Product]]]
    first_photos: dict[int, ProductPhoto]


async def storefront(session: AsyncSession) -> Storefront:
    """The whole catalogue at once, as the Mini App's grid shows it."""
    shelves = [(c, await list_products(session, c.id)) for c in await list_categories(session)]
    return Storefront([(c, found) for c, found in shelves if found], await photos.first_photos(session))


@dataclass(frozen=True)
class ProductPage:
    """A product's page: its card (with the ready date), all its photos, and bread's next pickup dates."""

    card: ProductCard
    photos: list[ProductPhoto]
    dates: list[DateOption] | None


async def product_page(session: AsyncSession, sku: str, now: datetime) -> ProductPage:
    """An orderable product by SKU with its photos and, for bread, its pickup dates."""
    card = await product_card(session, sku=sku, now=now)
    product = card.product
    dates = await pickup_options(session, product, now) if product.family is Family.BREAD else None
    return ProductPage(card, await photos.photos_of(session, product.id), dates)
