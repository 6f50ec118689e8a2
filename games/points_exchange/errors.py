"""The exchange's own refusals (sold out, budget and points are the platform's)."""

from __future__ import annotations

from plugins.errors import GameError


class ItemNotFoundError(GameError, code="ITEM_NOT_FOUND", status=404):
    """The catalogue has no item with this id."""


class ItemNotOnSaleError(GameError, code="ITEM_NOT_ON_SALE", status=403):
    """The item is outside its sale window."""


class ExchangeLimitError(GameError, code="EXCHANGE_LIMIT_REACHED", status=403):
    """The member has exchanged this item as often as allowed today or in the campaign."""


class RewardUnavailableError(GameError, code="REWARD_UNAVAILABLE", status=409):
    """The item's reward cannot be issued to this member now (a coupon's collection limit, a
    coupon past its window, chances of a game the campaign does not run)."""
