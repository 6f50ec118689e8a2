"""The coupon's own rules, checked when it is redeemed: where (its stores, and its cities by
the store's city in the campaign's `stores`), and for what (the order: its amount against a
threshold, its items and categories against the usage scope). Each rule refuses with a code
of its own; nothing is written on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from plugins.errors import CouponNotUsableHereError, GameError
from plugins.store import CouponItem
from plugins.types import Money

__all__ = ["ORDER_ERRORS", "REDEMPTION_ERRORS", "CouponNotForTheseItemsError", "Order",
           "OrderBelowThresholdError", "OrderRequiredError", "check_redeemable"]

Label = str


class OrderRequiredError(GameError, code="ORDER_REQUIRED"):
    """The coupon's rules need a part of the order (amount, items, categories) not sent."""


class OrderBelowThresholdError(GameError, code="ORDER_BELOW_THRESHOLD", status=422):
    """The order is below the coupon's threshold (e.g. 30 off from 199)."""


class CouponNotForTheseItemsError(GameError, code="COUPON_NOT_FOR_THESE_ITEMS", status=422):
    """The order holds none of the items or categories the coupon is for."""


class Order(BaseModel):
    """The order a coupon is presented with at the till."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Money | None = Field(default=None, description="the order's total in yuan, before the coupon")
    items: tuple[Label, ...] = Field(default=(), max_length=200, description="the items' ids (SKUs)")
    categories: tuple[Label, ...] = Field(default=(), max_length=50, description="their categories")


ORDER_ERRORS = (OrderRequiredError, OrderBelowThresholdError, CouponNotForTheseItemsError)
"""What the rules may refuse an order with, wherever it is presented (for the routes' documents)."""
REDEMPTION_ERRORS = (CouponNotUsableHereError, *ORDER_ERRORS)
"""What the rules may refuse with at a store (for the routes' documents)."""


def _where(coupon: CouponItem, usage: dict[str, Any], store_id: str,
           city_of: Callable[[str], str | None]) -> None:
    stores, cities = usage.get("stores") or [], usage.get("cities") or []
    if stores and store_id not in stores:
        raise CouponNotUsableHereError(f"coupon {coupon.coupon_id} is not valid at store {store_id}")
    if cities and city_of(store_id) not in cities:
        raise CouponNotUsableHereError(f"coupon {coupon.coupon_id} is valid in {', '.join(cities)} "
                                       f"only, and store {store_id} is not listed there")


def _what(coupon: CouponItem, terms: dict[str, Any], order: Order | None) -> None:
    usage = terms.get("usage") or {}
    threshold = terms.get("threshold")
    wanted_items = usage.get("items") or []  # a free-item coupon's own item is what it gives
    wanted_categories = usage.get("categories") or []
    needs = {"amount": threshold is not None, "items": bool(wanted_items),
             "categories": bool(wanted_categories)}
    missing = [part for part, needed in needs.items() if needed and (
        order is None or not getattr(order, part))]
    if missing:
        raise OrderRequiredError(f"coupon {coupon.coupon_id} needs the order's {', '.join(missing)}")
    if order is None:
        return
    if threshold is not None and order.amount is not None and order.amount < Decimal(threshold):
        raise OrderBelowThresholdError(f"coupon {coupon.coupon_id} needs an order of at least "
                                       f"{Decimal(threshold):.2f}, not {order.amount:.2f}")
    if wanted_items and not set(wanted_items) & set(order.items):
        raise CouponNotForTheseItemsError(f"coupon {coupon.coupon_id} is for {', '.join(wanted_items)}")
    if wanted_categories and not set(wanted_categories) & set(order.categories):
        raise CouponNotForTheseItemsError(
            f"coupon {coupon.coupon_id} is for the categories {', '.join(wanted_categories)}")


def check_redeemable(coupon: CouponItem, order: Order | None, store_id: str | None = None,
                     city_of: Callable[[str], str | None] = lambda store: None) -> None:
    """Refuse, with the rule's own code, a redemption the coupon's terms do not allow: at
    `store_id` (staff; a partner's counter has none), for `order`."""
    terms = coupon.terms or {}
    if store_id is not None:
        _where(coupon, terms.get("usage") or {}, store_id, city_of)
    _what(coupon, terms, order)
