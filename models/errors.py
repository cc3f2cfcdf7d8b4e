"""Typed domain errors: one class per case, so callers match on types (checked by mypy), never on strings.

`code` names the case in logs and records (`str(error)` is the code); `details` carry the values a message needs.
The bot layer turns each class into a polite sentence per audience (`bot/render/errors.py`).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error that a user's action can legitimately cause."""

    code = "domain_error"

    def __init__(self, **details: object) -> None:
        super().__init__(self.code)
        self.details = details


# --- input the bot could not read as what it asked for -------------------------------------------------------


class InvalidInput(DomainError):
    """Text the bot could not read as what it asked for."""

    code = "invalid_input"


class InvalidQuantity(InvalidInput):
    """A quantity that is not a whole positive number of units (`details["reason"]` repeats the subclass)."""

    code = "invalid_quantity"


class NotANumber(InvalidQuantity):
    """Text that is no number at all ("sepuluh", "1.2.3", "1,000")."""

    code = "not_a_number"


class NotWhole(InvalidQuantity):
    """A fraction where whole units are counted ("2,5")."""

    code = "not_whole"


class ZeroOrNegative(InvalidQuantity):
    """Zero or less."""

    code = "zero_or_negative"


class NothingToPave(ZeroOrNegative):
    """A paving area, or one side of it, of zero or less (the same code: an API caller sees no difference)."""


class TooLarge(InvalidQuantity):
    """More than any order could hold."""

    code = "too_large"


class InvalidPhone(InvalidInput):
    """A phone number that is not a valid Indonesian number."""

    code = "invalid_phone"


class ForeignPhone(InvalidPhone):
    """A valid phone number, but not an Indonesian one."""

    code = "not_indonesian"


class NotUnderstood(InvalidInput):
    """A paving request that is neither an area, dimensions nor a number of pieces."""

    code = "not_understood"


class PickupDateMissing(InvalidInput):
    """Bread without a pickup date."""

    code = "pickup_date_missing"


class PickupSlotMissing(InvalidInput):
    """Bread without a pickup slot."""

    code = "pickup_slot_missing"


class NotBread(InvalidInput):
    """A date or slot change asked for something that is not bread."""

    code = "not_bread"


class NotPaving(InvalidInput):
    """The paving calculator asked for something that is not paving."""

    code = "not_paving"


class EmptyOrder(InvalidInput):
    """An order without lines."""

    code = "empty_order"


class NameMissing(InvalidInput):
    """A walk-in order without the buyer's name."""

    code = "name_missing"


class FormOutOfStep(InvalidInput):
    """A press on a form that is not at the step the press belongs to (an old or forged button)."""

    code = "form_out_of_step"


class FormExpired(InvalidInput):
    """A press on a form that was finished, abandoned or replaced meanwhile."""

    code = "form_expired"


class BadPrice(InvalidInput):
    """A price that is not a positive whole number of rupiah."""

    code = "bad_price"


class BadAmount(InvalidInput):
    """A stock count or capacity below zero (or absurdly large)."""

    code = "bad_quantity"


class BelowCommitted(InvalidInput):
    """A day's capacity set below what is already ordered for it."""

    code = "below_committed"


class NoStockForBread(InvalidInput):
    """Bread is baked to order: it has no stock to set."""

    code = "no_stock_for_bread"


class NoDailyCapacity(InvalidInput):
    """The product has no daily capacity to change."""

    code = "no_daily_capacity"


class BadTelegramId(InvalidInput):
    """A Telegram id that is not a positive number."""

    code = "telegram_id_must_be_positive"


# --- product photos ----------------------------------------------------------------------------------------------


class ImageError(InvalidInput):
    """A file sent as a product photo that cannot be one."""

    code = "image_error"


class NotAnImage(ImageError):
    """Bytes that are no JPEG, PNG or WebP picture, or one that is corrupt or cut off (`details["reason"]`)."""

    code = "not_an_image"


class ImageTooBig(ImageError):
    """A file above the size the bot takes (`details["size"]` and `details["limit"]` in bytes)."""

    code = "image_too_big"


class ImageTooSmall(ImageError):
    """A picture too small to show (`details["width"]`, `["height"]`, `["minimum"]`: pixels on the short side)."""

    code = "image_too_small"


class ImageTooNarrow(ImageTooSmall):
    """A strip (a panorama): shrunk to fit the screen its short side would fall under `details["minimum"]`."""

    code = "image_too_narrow"


class ImageTooManyPixels(ImageError):
    """Huge dimensions (a decompression bomb): refused before decoding (`details["width"]`, `["height"]`,
    `["limit"]` in pixels)."""

    code = "image_too_many_pixels"


class TooManyPhotos(InvalidInput):
    """A product already has the most photos it may have (`details["limit"]`)."""

    code = "too_many_photos"


class PhotoAlreadyAdded(InvalidInput):
    """The same picture is already one of the product's photos (`details["position"]`, counted from 1)."""

    code = "photo_already_added"


# --- things that do not exist (or are not the caller's) ------------------------------------------------------


class NotFound(DomainError):
    """A product, order or customer that does not exist (or is not visible to the caller)."""

    code = "not_found"


# --- what the caller may not do ---------------------------------------------------------------------------------


class NotAllowed(DomainError):
    """The caller may not do this."""

    code = "not_allowed"


class RoleRequired(NotAllowed):
    """The caller's role is below `details["minimum"]`."""

    code = "role_required"


class CannotCancel(NotAllowed):
    """The order is past the point where the buyer may cancel it (`details["status"]`)."""

    code = "cannot_cancel"


class OpenOrders(NotAllowed):
    """Personal data cannot be erased while orders are open (`details["codes"]`)."""

    code = "open_orders"


class CannotRemoveSelf(NotAllowed):
    """A manager cannot take their own role away."""

    code = "cannot_remove_self"


class UnknownLanguage(NotAllowed):
    """A language the bot does not speak."""

    code = "unknown_language"


# --- orders --------------------------------------------------------------------------------------------------


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


class TooSoon(OrderError):
    """The requested date is earlier than the product can be ready."""

    code = "too_soon"


class MixedFamilies(OrderError):
    """One order holding bread with paving or goods (each family has its own flow)."""

    code = "mixed_families"


class CodeSpaceExhausted(OrderError):
    """No free order code was found (practically impossible; a safety net)."""

    code = "code_space_exhausted"


# --- payments ------------------------------------------------------------------------------------------------


class PaymentError(DomainError):
    """A payment that cannot be created or changed as asked."""

    code = "payment_error"


class BalanceDue(PaymentError):
    """The order cannot be handed over while money is still due (`details["due"]`)."""

    code = "balance_due"


class NoOpenCode(PaymentError):
    """The order has no open payment code to confirm."""

    code = "no_open_code"


class OrderExpired(PaymentError):
    """The order expired unpaid: its code cannot be paid any more."""

    code = "order_expired"


class OrderClosed(PaymentError):
    """The order is cancelled or done: nothing to pay."""

    code = "order_closed"


class PaymentNotPending(PaymentError):
    """The payment code is no longer open (`details["state"]`)."""

    code = "not_pending"


class GatewayUnreachable(PaymentError):
    """The payment gateway could not be asked about a code just now (it reports the payment by itself later)."""

    code = "gateway_unreachable"


class ExceedsBalance(PaymentError):
    """A payment larger than what is still due."""

    code = "exceeds_balance"


class BadCashAmount(PaymentError):
    """Cash that does not match the balance due."""

    code = "bad_cash_amount"


class NoUniqueCodeLeft(PaymentError):
    """All 999 unique codes of this amount are in use by open codes (`details["amount"]`)."""

    code = "no_unique_code_left"


# --- the action was carried out already (a double tap) ----------------------------------------------------------


class AlreadyDone(DomainError):
    """The action was already carried out (a double tap); nothing changed."""

    code = "already_done"


class AlreadyPaid(AlreadyDone):
    """This payment code was confirmed before."""

    code = "already_paid"


class FullyPaid(AlreadyDone):
    """The order is paid in full: there is nothing left to pay."""

    code = "fully_paid"


class AlreadyCancelled(AlreadyDone):
    """The order was cancelled before."""

    code = "already_cancelled"


class AlreadyInProduction(AlreadyDone):
    """The order is already being made."""

    code = "already_in_production"


class AlreadyReady(AlreadyDone):
    """The order was already marked ready."""

    code = "already_ready"


class AlreadyHandedOver(AlreadyDone):
    """The order was already picked up or delivered."""

    code = "already_done"


class ProofAlreadyDecided(AlreadyDone):
    """The payment proof was approved or rejected before."""

    code = "proof_decided"


class InviteApproved(AlreadyDone):
    """The invite was approved before."""

    code = "invite_approved"


class InviteDeclined(AlreadyDone):
    """The invite was declined before."""

    code = "invite_declined"


class HolidayExists(AlreadyDone):
    """The day is already a holiday."""

    code = "holiday_exists"


class AlreadySet(AlreadyDone):
    """The product is already on (or off)."""

    code = "already_set"


class ProposalConfirmed(AlreadyDone):
    """The statement's matches were confirmed before (`details["by"]`, `details["at"]`)."""

    code = "proposal_confirmed"


# --- staff invites ---------------------------------------------------------------------------------------------


class InviteError(DomainError):
    """An invite link that cannot be used."""

    code = "invite_error"


class InviteUnknown(InviteError):
    """No such invite (a typo, a forged link, a link from another bot)."""

    code = "invite_unknown"


class InviteExpired(InviteError):
    """The invite's time ran out, or a manager declined it."""

    code = "invite_expired"


class InviteUsed(InviteError):
    """Someone else claimed the invite first."""

    code = "invite_used"


# --- merchant statements (transaction exports staff send to be matched) --------------------------------------


class StatementError(DomainError):
    """A statement file that cannot be matched as sent."""

    code = "statement_error"


class NotAStatement(StatementError):
    """A file that is no transaction export: an image, a PDF, an old .xls, text without amounts and dates."""

    code = "not_a_statement"


class EmptyStatement(StatementError):
    """A statement without a single transaction row."""

    code = "empty_statement"


class StatementTooLarge(StatementError):
    """A file above the size the bot reads (`details["limit"]` in bytes)."""

    code = "statement_too_large"


class ProposalGone(StatementError):
    """No such statement proposal (a forged or very old button), or one older than a day: send the file again."""

    code = "proposal_gone"


# --- the catalogue file ----------------------------------------------------------------------------------------


class CatalogueError(DomainError):
    """A catalogue file that cannot be imported; `problems` lists every line at fault."""

    code = "catalogue_error"

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def __str__(self) -> str:
        """Every problem, separated by semicolons."""
        return "; ".join(self.problems)


# --- the catalogue kept in chat (managers' drafts, categories) -------------------------------------------------


class FieldInvalid(InvalidInput):
    """A typed answer for a product field that fails its check (`details`: field, reason, text, limits)."""

    code = "field_invalid"


class DuplicateSku(InvalidInput):
    """Another product already has this SKU (`details["sku"]`)."""

    code = "duplicate_sku"


class CategoryExists(InvalidInput):
    """A category named like an existing one, case and spaces aside (`details["name"]`)."""

    code = "category_exists"


class CategoryNotEmpty(NotAllowed):
    """A category that still holds products cannot be removed (`details["count"]`)."""

    code = "category_not_empty"


class NoDraft(FormExpired):
    """A press or an answer for a product draft that was saved or dropped meanwhile (an old or forged button)."""

    code = "no_draft"
