"""Imports every entity so that the metadata (and Alembic) sees all tables."""

from models.audit import AuditEntry, StaffInvite
from models.base import Base
from models.calendar import ClosedWeekday, DayCapacity, Holiday, PickupSlot, SlotUsage
from models.catalog import Category, Family, Product, SplitBasis
from models.conversation import CartItem, CatalogueDraft, ChatState
from models.inbox import ReceivedUpdate
from models.order import ActorKind, Fulfilment, Order, OrderLine, OrderSource, OrderStatus, StatusChange
from models.outbox import OutboxMessage, OutboxState
from models.payment import ConfirmedVia, Payment, PaymentKind, PaymentMethod, PaymentState
from models.people import Customer, Line, Role, StaffMember
from models.photo import PhotoFileId, ProductPhoto
from models.statement import ProposalState, StatementLayout, StatementProposal

__all__ = [
    "ActorKind",
    "AuditEntry",
    "Base",
    "CartItem",
    "CatalogueDraft",
    "Category",
    "ChatState",
    "ClosedWeekday",
    "ConfirmedVia",
    "Customer",
    "DayCapacity",
    "Family",
    "Fulfilment",
    "Holiday",
    "Line",
    "Order",
    "OrderLine",
    "OrderSource",
    "OrderStatus",
    "OutboxMessage",
    "OutboxState",
    "Payment",
    "PaymentKind",
    "PaymentMethod",
    "PaymentState",
    "PhotoFileId",
    "PickupSlot",
    "Product",
    "ProductPhoto",
    "ProposalState",
    "ReceivedUpdate",
    "Role",
    "SlotUsage",
    "SplitBasis",
    "StaffInvite",
    "StaffMember",
    "StatementLayout",
    "StatementProposal",
    "StatusChange",
]
