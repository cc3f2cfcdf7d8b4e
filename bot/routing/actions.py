"""Typed names of every button and conversation step, with the short codes that travel in callback data.

A button's callback data is `<code>:<arg>:<arg>` (at most 64 bytes, `bot.keyboards`); the code is the value
of an `Action`. Renderers draw `button(text, Action.PRODUCT, product.id)` and handlers register
`@router.button(Action.PRODUCT)`: the code is written once, here. The codes never change once released: a
keyboard sent last week must still reach its handler (or be refused as stale).
"""

from __future__ import annotations

import enum
from typing import TypeVar

E = TypeVar("E", bound=enum.Enum)


class Action(enum.StrEnum):
    """Every button of the bot; buyer codes start with "b", staff with "s", manager with "m"."""

    # buyer: menu and catalogue
    MENU = "bm"
    HELP = "bhelp"
    CATEGORIES = "bk"
    CATEGORY = "bc"
    PRODUCT = "bp"
    PRODUCT_PHOTO = "bph"
    PRODUCT_TEXT = "bpt"
    PICKUP_DATES = "bd"
    PICKUP_SLOTS = "bs"
    ASK_QUANTITY = "bq"
    QUICK_QUANTITY = "bn"
    PAVING_CALCULATOR = "bv"
    ADD_PAVING = "ba"
    # buyer: cart
    CART = "bcart"
    CART_ITEM = "bi"
    ITEM_QUANTITY = "biq"
    REMOVE_ITEM = "bir"
    CLEAR_CART = "bclr"
    CLEAR_CART_YES = "bclry"
    MOVE_ITEM = "bim"
    MOVE_ITEM_DATE = "bimd"
    MOVE_ITEM_SLOT = "bims"
    # buyer: checkout and payment
    CHECKOUT = "bco"
    CANCEL_CHECKOUT = "bx"
    OWN_PICKUP = "bfp"
    DELIVERY = "bfd"
    CONFIRM = "bok"
    PAY = "bpay"
    PAID = "bpaid"
    # buyer: orders and account
    ORDERS = "bol"
    ORDER = "bor"
    CANCEL_ORDER = "bcan"
    CANCEL_ORDER_YES = "bcany"
    REORDER = "bre"
    REORDER_DATE = "bred"
    REORDER_SLOT = "bres"
    LANGUAGE = "blang"
    DELETE_DATA_YES = "bdely"
    # staff: order cards and payment proofs
    CARD = "so"
    CONFIRM_PAYMENT = "sp"
    CASH = "sc"
    START_PRODUCTION = "spr"
    READY = "sr"
    HAND_OVER = "sd"
    ASK_CANCEL_REASON = "sx"
    LEAVE_STEP = "sxq"
    PROOF_OK = "spok"
    PROOF_NO = "spno"
    # staff: merchant statements (transaction exports) matched to open codes
    STATEMENT_COLUMN = "smc"
    STATEMENT_CONFIRM = "smok"
    # staff: the walk-in order form
    WALKIN_SOURCE = "sws"
    WALKIN_PRODUCT = "swp"
    WALKIN_DATE = "swd"
    WALKIN_SLOT = "swt"
    WALKIN_METHOD = "swm"
    WALKIN_SAVE = "swok"
    WALKIN_ABORT = "swx"
    # manager
    INVITE_FOR = "minv"
    INVITE_APPROVE = "mia"
    INVITE_DECLINE = "mid"
    REMOVE_STAFF = "mrm"
    # manager: the catalogue kept in chat (product drafts, categories)
    DRAFT_ANSWER = "mda"  # a button answer to the draft's question: field, value
    DRAFT_RESUME = "mdr"
    DRAFT_FRESH = "mdn"
    DRAFT_SAVE = "mds"
    DRAFT_FIELDS = "mdu"
    DRAFT_FIELD = "mdf"  # field
    DRAFT_DROP = "mdx"
    DRAFT_ACTIVE = "mdv"
    DRAFT_PHOTOS_DONE = "mdp"
    DRAFT_PHOTO = "mdo"  # index, remove|first|up
    EDIT_PRODUCT = "med"  # product id
    CATEGORIES_ADMIN = "mkl"
    CATEGORY_ADMIN = "mk"  # category id
    CATEGORY_ADD = "mka"
    CATEGORY_RENAME = "mkr"  # category id
    CATEGORY_MOVE = "mkm"  # category id, up|down
    CATEGORY_HIDE = "mkh"  # category id
    CATEGORY_REMOVE = "mkx"  # category id


class Audience(enum.IntEnum):
    """Who a handler (and its wording) is for, in order of privilege."""

    BUYER = 0
    STAFF = 1
    MANAGER = 2


class Step(enum.StrEnum):
    """What the bot asked a chat last: the answer (typed text, a contact, a photo) goes to this step's handler.

    The value is stored in `chat_states.step`; like action codes, it never changes once released.
    """

    IDLE = "idle"
    QUANTITY = "buyer.quantity"
    PAVING = "buyer.paving"
    ITEM_QUANTITY = "buyer.item_qty"
    PHONE = "buyer.phone"
    FULFILMENT = "buyer.fulfil"
    ADDRESS = "buyer.address"
    CONFIRM = "buyer.confirm"
    # The Mini App's summary, waiting for its Konfirmasi: no chat handler, so what the buyer types in the chat
    # meanwhile is read as when idle (the chat shows no summary to press).
    MINIAPP_CONFIRM = "miniapp.confirm"
    PROOF = "buyer.proof"
    CANCEL_REASON = "staff.cancel_reason"
    WALKIN = "staff.walkin"
    WALKIN_QUANTITY = "staff.walkin_qty"
    WALKIN_NAME = "staff.walkin_name"
    WALKIN_PHONE = "staff.walkin_phone"
    DRAFT = "manager.draft"  # the answer to the product draft's question (the draft row says which)
    CATEGORY_NAME = "manager.category_name"  # a category's new name (data: category id, or none to add one)


def lookup(kind: type[E], value: str) -> E | None:
    """The member of an enum with this value, or None (forged callback data, a step of a newer version)."""
    try:
        return kind(value)
    except ValueError:
        return None
