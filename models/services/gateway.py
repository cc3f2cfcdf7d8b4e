"""The payment-provider seam: what the payment lifecycle asks of a gateway that makes QRIS codes itself.

Two providers exist (`PAYMENT_PROVIDER`): `static_qris`, where the bot derives each code from the merchant's own
static QRIS in the same unit of work that issues the payment (`PaymentPolicy.build`, no network), and `midtrans`,
whose codes are made by the gateway over HTTP once the payment row is committed. A gateway does three things:
create the code of an instalment, cancel it, and say what became of it. The HTTP client lives in the bot layer
(`bot/payments/midtrans.py`) and is handed in by the composition root, so the domain never imports it.

Statuses are the gateway's own words (`pending`, `settlement`, `capture`, `expire`, `cancel`, `deny`, `refund`...).
Only the status API is believed: a notification merely says "ask now".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

MIDTRANS = "midtrans"
STATIC_QRIS = "static_qris"
PENDING = "pending"
DEAD = frozenset({"expire", "cancel", "deny", "failure"})
AFTER_PAID = frozenset({"settlement", "capture", "refund", "partial_refund", "chargeback", "partial_chargeback"})


class GatewayError(Exception):
    """The gateway could not be reached, timed out, answered 5xx or something unreadable (never holds the key)."""


class CodeUnseen(GatewayError):
    """The transaction exists (an earlier charge's answer was lost) but the gateway gives its QR string only in
    that answer: it must be cancelled and the instalment charged under a new order id."""


@dataclass(frozen=True)
class ChargeRequest:
    """One instalment's code to create: the order id the gateway knows it by, the exact amount, the deadline."""

    order_id: str
    amount: int
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class GatewayStatus:
    """What the gateway says about one transaction, with the strings exactly as it sent them."""

    order_id: str
    transaction_status: str
    status_code: str = ""
    gross_amount: str = ""
    transaction_id: str | None = None
    fraud_status: str | None = None
    qr_string: str | None = None

    @property
    def paid(self) -> bool:
        """Settled money: `settlement`, or `capture` that fraud screening accepted, with status code 200."""
        if self.status_code != "200":
            return False
        if self.transaction_status == "settlement":
            return True
        return self.transaction_status == "capture" and self.fraud_status == "accept"

    @property
    def dead(self) -> bool:
        """The code can no longer be paid (expired, cancelled, denied)."""
        return self.transaction_status in DEAD

    def amount(self) -> Decimal | None:
        """The gross amount as a Decimal ("42000.00" -> 42000), None when unreadable."""
        try:
            value = Decimal(self.gross_amount)
        except (InvalidOperation, ValueError):
            return None
        return value if value.is_finite() else None


@dataclass(frozen=True)
class IssuedCode:
    """A code the gateway made: the QR string to draw and the transaction's id."""

    qr_string: str
    transaction_id: str | None
    status: str = PENDING


class PaymentGateway(Protocol):
    """A gateway that makes, cancels and reports on QRIS codes (Midtrans; a test double in the tests)."""

    name: str

    async def create(self, request: ChargeRequest) -> IssuedCode:
        """Creates the code (a retry with the same order id never makes a second transaction); GatewayError."""
        ...

    async def cancel(self, order_id: str) -> GatewayStatus | None:
        """Cancels the code so it can no longer be paid; its status after (None: the gateway never knew it)."""
        ...

    async def status(self, order_id: str) -> GatewayStatus | None:
        """The transaction's status as the gateway's status API says (None: no such transaction)."""
        ...


def rank(transaction_status: str | None) -> int:
    """How far along a status is: statuses only move forward (pending < dead or paid < after paid)."""
    if transaction_status is None or transaction_status == PENDING:
        return 0
    if transaction_status in DEAD:
        return 1
    return 2 if transaction_status in ("settlement", "capture") else 3 if transaction_status in AFTER_PAID else 0


def moves_forward(recorded: str | None, seen: str) -> bool:
    """True when `seen` is news beyond the recorded status (an older or repeated one is not)."""
    return rank(seen) > rank(recorded)
