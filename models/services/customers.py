"""Buyers: registration, contact details with consent, and their personal-data rights (UU PDP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.changes import announce_person_changed
from models.conversation import CartItem
from models.errors import NotFound, OpenOrders, UnknownLanguage
from models.order import Order
from models.people import Customer
from models.rules.lifecycle import OPEN
from models.rules.phone import normalize_phone
from models.services import conversation

DEFAULT_LANGUAGE = "id"
_BY_TELEGRAM_ID = select(Customer).where(Customer.telegram_id == bindparam("telegram_id"))  # every viewer load


def language_code(code: str | None) -> str:
    """A buyer's language as stored: the two-letter primary language ("en-GB" -> "en"), Indonesian when none.

    Any language is kept, offered or not: the adapter writes in it when it has its texts and falls back to
    Indonesian otherwise, so a language added later reaches the buyers who already speak it.
    """
    primary = (code or "").replace("_", "-").split("-", 1)[0].lower()
    return primary if len(primary) == 2 and primary.isascii() and primary.isalpha() else DEFAULT_LANGUAGE


def _clean_name(name: str) -> str:
    """A display name trimmed to the column size, never empty."""
    return " ".join(name.split())[:128] or "Pembeli"


async def get_or_register(
    session: AsyncSession, telegram_id: int, name: str, language: str | None = None
) -> Customer:
    """The customer for a Telegram user, created on first contact (language from Telegram, id by default)."""
    customer = await session.scalar(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
    if customer is None:
        customer = Customer(telegram_id=telegram_id, name=_clean_name(name), language=language_code(language))
        session.add(customer)
        await session.flush()
    elif customer.blocked_bot:
        customer.blocked_bot = False
    return customer


async def find_by_telegram_id(session: AsyncSession, telegram_id: int) -> Customer | None:
    """The customer for a Telegram user, or None."""
    return await session.scalar(select(Customer).where(Customer.telegram_id == telegram_id))


async def set_language(session: AsyncSession, customer: Customer, language: str) -> Customer:
    """Switches the buyer's language (a two-letter code; the adapter offers only languages it has texts for)."""
    if language_code(language) != language:
        raise UnknownLanguage()
    customer.language = language
    await session.flush()
    await announce_person_changed(session, customer.telegram_id)
    return customer


async def set_phone(session: AsyncSession, customer: Customer, raw_phone: str, *, now: datetime) -> Customer:
    """Stores the buyer's phone in E.164 with the time they consented."""
    customer.phone = normalize_phone(raw_phone)
    customer.consent_at = now
    await session.flush()
    return customer


@dataclass(frozen=True)
class StoredData:
    """What the bot keeps about a buyer, for /datasaya."""

    name: str
    phone: str | None
    language: str
    consent_at: datetime | None
    order_count: int
    addresses: list[str]


async def stored_data(session: AsyncSession, customer: Customer) -> StoredData:
    """Everything stored about the buyer."""
    orders = list(await session.scalars(select(Order).where(Order.customer_id == customer.id)))
    addresses = sorted({o.delivery_address for o in orders if o.delivery_address})
    return StoredData(
        customer.name, customer.phone, customer.language, customer.consent_at, len(orders), addresses
    )


async def erase_personal_data(session: AsyncSession, customer: Customer) -> Customer:
    """Pseudonymises the buyer: name, phone, addresses and Telegram id go; amounts stay for the accounts."""
    orders = list(await session.scalars(select(Order).where(Order.customer_id == customer.id)))
    if any(o.status in OPEN for o in orders):
        raise OpenOrders(codes=[o.code for o in orders if o.status in OPEN])
    for order in orders:
        order.delivery_address = None
        order.delivery_lat = None
        order.delivery_lon = None
        order.contact_name = None
        order.contact_phone = None
        order.note = None
    chat_id = customer.telegram_id
    await session.execute(delete(CartItem).where(CartItem.customer_id == customer.id))
    if chat_id is not None:
        await conversation.forget(session, chat_id)
    customer.name = f"Anonim-{customer.id}"
    customer.phone = None
    customer.telegram_id = None
    customer.consent_at = None
    customer.pseudonymised = True
    await session.flush()
    await announce_person_changed(session, chat_id)  # the id the bot processes know them by, now gone
    return customer


async def get(session: AsyncSession, customer_id: int) -> Customer:
    """A customer by id, or NotFound (erased meanwhile)."""
    customer = await session.get(Customer, customer_id)
    if customer is None or customer.pseudonymised:
        raise NotFound(what="customer", id=customer_id)
    return customer


async def set_phone_of(session: AsyncSession, customer_id: int, raw_phone: str, *, now: datetime) -> Customer:
    """Stores a buyer's phone (see `set_phone`)."""
    return await set_phone(session, await get(session, customer_id), raw_phone, now=now)


async def set_language_of(session: AsyncSession, customer_id: int, language: str) -> Customer:
    """Switches a buyer's language (see `set_language`)."""
    return await set_language(session, await get(session, customer_id), language)


async def stored_data_of(session: AsyncSession, customer_id: int) -> StoredData:
    """Everything stored about a buyer (see `stored_data`)."""
    return await stored_data(session, await get(session, customer_id))


async def erase(session: AsyncSession, customer_id: int) -> Customer:
    """Erases a buyer's personal data (see `erase_personal_data`)."""
    return await erase_personal_data(session, await get(session, customer_id))
