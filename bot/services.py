"""The typed container of everything handlers and jobs need, stored once in `bot_data`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.payments.midtrans import NOTIFICATION_PATH, MidtransClient
from bot.render.buyer_alerts import StaffAlertWording
from bot.render.staff_notices import BuyerWording
from bot.settings import Settings
from bot.telemetry import Telemetry
from models.db import SessionFactory, create_engine, create_session_factory
from models.group_commit import GroupCommit
from models.media import MediaStore
from models.qris import SAMPLE_MERCHANT_PAYLOAD
from models.services.gateway import MIDTRANS, STATIC_QRIS, PaymentGateway
from models.services.gateway_payments import Booking
from models.services.notify_staff import StaffAlerts
from models.services.ordering import OrderPolicy
from models.services.payments import PaymentPolicy

Clock = Callable[[], datetime]
KEY = "services"


def system_clock() -> datetime:
    """The real time as an aware UTC datetime."""
    return datetime.now(UTC)


@dataclass
class Services:
    """Settings, database and policies shared by every handler and job."""

    settings: Settings
    engine: AsyncEngine
    session_factory: SessionFactory
    clock: Clock
    order_policy: OrderPolicy
    payment_policy: PaymentPolicy
    staff_alerts: StaffAlerts
    buyer_wording: BuyerWording
    telemetry: Telemetry
    media: MediaStore
    gateway: PaymentGateway | None = None  # PAYMENT_PROVIDER=midtrans: the client that makes and reports codes
    after_send: GroupCommit = field(init=False)  # the ids Telegram's answers give, many updates' in one commit

    def __post_init__(self) -> None:
        self.after_send = GroupCommit(self.session_factory)

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.clock()

    @property
    def booking(self) -> Booking:
        """What booking a gateway's payment needs: buyer wording, staff alerts and the payment policy."""
        return Booking(self.buyer_wording, self.staff_alerts, self.payment_policy)


def merchant_payload(settings: Settings) -> str:
    """The configured static QRIS, or the clearly labelled sample merchant for the demo."""
    return (settings.qris_merchant_payload or SAMPLE_MERCHANT_PAYLOAD).strip()


def build_gateway(settings: Settings) -> PaymentGateway | None:
    """The Midtrans client when PAYMENT_PROVIDER=midtrans and its key is set (the demo sets its sandbox's)."""
    key = settings.midtrans_key
    if settings.payment_provider != MIDTRANS or key is None:
        return None
    base = settings.public_base_url.rstrip("/") if settings.public_base_url else None
    return MidtransClient(
        base_url=settings.midtrans_api_base_url, server_key=key, acquirer=settings.midtrans_qris_acquirer,
        notification_url=f"{base}{NOTIFICATION_PATH}" if base else None,
    )


def build_services(
    settings: Settings, *, clock: Clock = system_clock, engine: AsyncEngine | None = None
) -> Services:
    """Builds the shared services from settings (the database engine is created here, not at import)."""
    engine = engine or create_engine(settings.database_url)
    timeout = timedelta(minutes=settings.payment_timeout_minutes)
    gateway = build_gateway(settings)
    payment_policy = PaymentPolicy(
        merchant_payload=merchant_payload(settings), timeout=timeout, max_amount=settings.qris_max_amount,
        # A gateway says which order was paid: no unique codes needed (and none may change its amounts).
        unique_codes=settings.qris_unique_code and gateway is None,
        provider=STATIC_QRIS if gateway is None else gateway.name,
    )
    return Services(
        settings=settings,
        engine=engine,
        session_factory=create_session_factory(engine),
        clock=clock,
        order_policy=OrderPolicy(
            payment_timeout=timeout,
            paving_deposit_pct=settings.deposit_pct_paving,
            qris_max_amount=payment_policy.instalment_cap,  # a deposit leaves room for its unique code
        ),
        payment_policy=payment_policy,
        staff_alerts=StaffAlerts(StaffAlertWording(), settings.staff_group_chat_id),
        buyer_wording=BuyerWording(settings.shop_address),
        telemetry=Telemetry(clock),
        media=MediaStore(settings.media_dir),
        gateway=gateway,
    )


def services_of(bot_data: dict[str, Any]) -> Services:
    """The typed accessor for the services stored in `application.bot_data`."""
    services = bot_data[KEY]
    assert isinstance(services, Services)
    return services
