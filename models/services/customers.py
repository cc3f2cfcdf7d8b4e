"""Buyers: registration, contact details with consent, and their personal-data rights (UU PDP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.conversation import CartItem, ChatState
from models.errors import NotAllowed
from models.order import Order
from models.people import Customer
from models.rules.lifecycle import OPEN
from models.rules.phone import normalize_phone

LANGUAGES = ("id", "en")


def _clean_name(name: str) -> str:
    """A display name trimmed to the column size, never empty."""
    return " ".join(name.split())[:128] or "Pembeli"


async def get_or_register(
    session: AsyncSession, telegram_id: int, name: str, language: str | None = None
) -> Customer:
    """The customer for a Telegram user, created on first contact (language from Telegram, id by default)."""
    customer = await session.scalar(select(Customer).where(Customer.telegram_id == telegram_id))
    if customer is None:
        lang = (language or "id")[:2].lower()
        customer = Customer(
            telegram_id=telegram_id, name=_clean_name(name), language=lang if lang in LANGUAGES else "id"
        )
        session.add(customer)
        await session.flush()
    elif customer.blocked_bot:
        customer.blocked_bot = False
    return customer


async def find_by_telegram_id(session: AsyncSession, telegram_id: int) -> Customer | None:
    """The customer for a Telegram user, or None."""
    return await session.scalar(select(Customer).where(Customer.telegram_id == telegram_id))


async def set_language(session: AsyncSession, customer: Customer, language: str) -> Customer:
    """Switches the buyer's language (id or en)."""
    if language not in LANGUAGES:
        raise NotAllowed("unknown_language")
    customer.language = language
    await session.flush()
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
        raise NotAllowed("open_orders", codes=[o.code for o in orders if o.status in OPEN])
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
        await session.execute(delete(ChatState).where(ChatState.chat_id == chat_id))
    customer.name = f"Anonim-{customer.id}"
    customer.phone = None
    customer.telegram_id = None
    customer.consent_at = None
    customer.pseudonymised = True
    await session.flush()
    return customer
