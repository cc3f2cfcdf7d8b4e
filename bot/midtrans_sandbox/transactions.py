"""The sandbox's transactions: one per order id, and statuses that only move forward."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PENDING = "pending"
SETTLEMENT = "settlement"
EXPIRE = "expire"
CANCEL = "cancel"
DENY = "deny"
# The status_code Midtrans sends with each transaction_status (status API and notifications).
STATUS_CODES = {PENDING: "201", SETTLEMENT: "200", CANCEL: "200", EXPIRE: "407", DENY: "202"}
FINAL_STATUSES = frozenset({SETTLEMENT, EXPIRE, CANCEL, DENY})


@dataclass
class Transaction:
    """One QRIS charge as Midtrans keeps it."""

    transaction_id: str
    order_id: str
    charged_amount: int
    acquirer: str
    qr_string: str
    transaction_time: datetime
    expiry_time: datetime
    notification_url: str | None
    status: str = PENDING
    # What the status API and notifications report; pay(amount=...) changes it to simulate a mismatch.
    gross_amount: int = 0
    settlement_time: datetime | None = None
    history: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.gross_amount:
            self.gross_amount = self.charged_amount
        if not self.history:
            self.history = [self.status]

    @property
    def status_code(self) -> str:
        """The status_code that goes with the current status."""
        return STATUS_CODES[self.status]

    @property
    def gross_amount_text(self) -> str:
        """The amount as Midtrans writes it in JSON: a string with two decimals ("42000.00")."""
        return f"{self.gross_amount}.00"

    @property
    def is_pending(self) -> bool:
        """Tells whether the transaction can still move."""
        return self.status == PENDING

    def is_due(self, now: datetime) -> bool:
        """Tells whether a pending transaction has passed its expiry time."""
        return self.is_pending and now >= self.expiry_time


class TransactionBook:
    """Every transaction, found by order id or by transaction id."""

    def __init__(self) -> None:
        self._by_order: dict[str, Transaction] = {}
        self._by_id: dict[str, Transaction] = {}

    def __len__(self) -> int:
        return len(self._by_order)

    def has_order(self, order_id: str) -> bool:
        """Tells whether this order id was charged before, whatever became of it."""
        return order_id in self._by_order

    def add(self, transaction: Transaction) -> None:
        """Records a new transaction; the caller checked that its order id is new."""
        if transaction.order_id in self._by_order:
            raise ValueError(f"order id {transaction.order_id!r} is already charged")
        self._by_order[transaction.order_id] = transaction
        self._by_id[transaction.transaction_id] = transaction

    def find(self, order_or_transaction_id: str) -> Transaction | None:
        """The transaction with this order id or transaction id, as the status API looks it up."""
        return self._by_order.get(order_or_transaction_id) or self._by_id.get(order_or_transaction_id)

    def all(self) -> list[Transaction]:
        """Every transaction in charge order."""
        return list(self._by_order.values())

    def due(self, now: datetime) -> list[Transaction]:
        """The pending transactions past their expiry time."""
        return [t for t in self._by_order.values() if t.is_due(now)]

    @staticmethod
    def move(transaction: Transaction, status: str, now: datetime) -> bool:
        """Moves a pending transaction to a final status; False (and no change) when it is no longer pending."""
        if status not in FINAL_STATUSES:
            raise ValueError(f"{status!r} is not a status a pending transaction moves to")
        if not transaction.is_pending:
            return False
        transaction.status = status
        transaction.history.append(status)
        if status == SETTLEMENT:
            transaction.settlement_time = now
        return True
