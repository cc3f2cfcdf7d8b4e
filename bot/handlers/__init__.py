"""The handlers of every audience, one module per screen family; `build_router` gathers their routes.

Buyers: buyer (menu, deep links, idle input), buyer_catalogue, buyer_cart, buyer_checkout, buyer_payment,
buyer_orders, buyer_privacy. Staff: staff (commands), staff_orders (order cards, proofs), staff_walkin (the
walk-in form), staff_statements (merchant statements matched to open codes). Managers: manager (reports),
manager_catalogue (catalogue, staff), manager_products (/produkbaru, /ubah, /batal), manager_photos (a draft's
photos), manager_categories (/kategori), invites.
"""

from __future__ import annotations

from bot.handlers import (
    buyer,
    buyer_cart,
    buyer_catalogue,
    buyer_checkout,
    buyer_orders,
    buyer_payment,
    buyer_privacy,
    invites,
    manager,
    manager_catalogue,
    manager_categories,
    manager_photos,
    manager_products,
    staff,
    staff_orders,
    staff_statements,
    staff_walkin,
)
from bot.routing.router import Router

MODULES = (
    buyer, buyer_catalogue, buyer_cart, buyer_checkout, buyer_payment, buyer_orders, buyer_privacy,
    staff, staff_orders, staff_walkin, staff_statements, manager, manager_catalogue, manager_products, manager_photos,
    manager_categories, invites,
)  # fmt: skip


def build_router() -> Router:
    """One router with every route of every handler module (a route declared twice stops start-up)."""
    return Router().include(*(module.router for module in MODULES))
