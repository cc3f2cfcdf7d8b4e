"""Typed domain errors: handlers turn each into a polite message for the user."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error that a user's action can legitimately cause."""

    code = "domain_error"

    def __init__(self, message: str = "", **details: object) -> None:
        super().__init__(message or self.code)
        self.details = details


class InvalidInput(DomainError):
    """Text the bot could not read as what it asked for."""

    code = "invalid_input"


class InvalidQuantity(InvalidInput):
    """A quantity that is not a whole positive number of units."""

    code = "invalid_quantity"


class InvalidPhone(InvalidInput):
    """A phone number that is not a valid Indonesian number."""

    code = "invalid_phone"


class NotFound(DomainError):
    """A product, order or customer that does not exist (or is not visible to the caller)."""

    code = "not_found"


class NotAllowed(DomainError):
    """The caller's role does not permit this action."""

    code = "not_allowed"


class OrderError(DomainError):
    """An order that cannot be accepted or changed as asked."""

    code = "order_error"


class PastCutoff(OrderError):
    """The order deadline for this pickup date has passed."""

    code = "past_cutoff"


class ClosedDay(OrderError):
    """The pickup date is a closed weekday or a holiday."""

    code = "closed_day"


class BelowMinimum(OrderError):
    """Fewer units than the product's minimum order."""

    code = "below_minimum"


class AboveMaximum(OrderError):
    """More units than the product's maximum per order."""

    code = "above_maximum"


class CapacityFull(OrderError):
    """The day's production capacity cannot take this quantity."""

    code = "capacity_full"


class SlotFull(OrderError):
    """The pickup slot has no room left."""

    code = "slot_full"


class OutOfStock(OrderError):
    """Not enough units on hand."""

    code = "out_of_stock"


class ProductUnavailable(OrderError):
    """The product is switched off or does not exist."""

    code = "product_unavailable"


class InvalidTransition(OrderError):
    """A status change that the order's lifecycle does not allow."""

    code = "invalid_transition"


class PaymentError(DomainError):
    """A payment that cannot be created or changed as asked."""

    code = "payment_error"


class CatalogueError(DomainError):
    """A catalogue file that cannot be imported; `problems` lists every line at fault."""

    code = "catalogue_error"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class TooSoon(OrderError):
    """The requested date is earlier than the product can be ready."""

    code = "too_soon"


class AlreadyDone(DomainError):
    """The action was already carried out (a double tap); nothing changed."""

    code = "already_done"
