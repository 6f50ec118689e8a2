"""The exchange's section of a campaign file: its catalogue of items priced in points."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from pydantic import Field, model_validator

from plugins.clock import stamp
from plugins.contracts import CampaignConfig
from plugins.prize_pool import Prize
from plugins.prize_pool.model import ListedPrizes
from plugins.types import PositiveInt, ordered_window

GAME = "points-exchange"
POOL_ID = "exchange"


class ExchangeItem(Prize):
    """One item of the catalogue: a prize the player chooses and pays for in points. Its stock,
    cost (counted against the budget), per-member cap (`per_user_cap`: in the whole campaign)
    and reward are the prize pool's; an item is never drawn, so its weight is unused."""

    weight: int = Field(default=0, ge=0, description="unused: an item is chosen, not drawn")
    price_points: int = Field(ge=1, le=10_000_000, description="what one exchange costs")
    per_member_per_day: PositiveInt | None = Field(default=None, description="None = no daily limit")
    starts_at: datetime | None = Field(default=None, description="on sale from (campaign wall time)")
    ends_at: datetime | None = Field(default=None, description="on sale until (campaign wall time)")

    @model_validator(mode="after")
    def _window(self) -> ExchangeItem:
        ordered_window(self.starts_at, self.ends_at, "starts_at", "ends_at")
        return self

    def on_sale(self, config: CampaignConfig, now: datetime) -> bool:
        starts, ends = self.starts_at, self.ends_at
        return ((starts is None or config.aware(starts) <= now)
                and (ends is None or now < config.aware(ends)))

    def listing(self, config: CampaignConfig, zone: tzinfo) -> dict[str, Any]:
        """The item as the catalogue shows it: the prize's public view, its price and limits."""
        window = {name: stamp(config.aware(value), zone) if value else None
                  for name, value in (("starts_at", self.starts_at), ("ends_at", self.ends_at))}
        return self.public(zone) | window | {
            "price_points": self.price_points, "per_member_per_day": self.per_member_per_day,
            "per_member_total": self.per_user_cap}


class ExchangeConfig(ListedPrizes):
    pool_id = POOL_ID
    items: list[ExchangeItem] = Field(min_length=1, max_length=40, description="at most 40: a member's "
                                      "view reads his two counters of each in one batch")

    def listed(self) -> list[ExchangeItem]:
        return self.items

    def item(self, item_id: str) -> ExchangeItem | None:
        return next((item for item in self.items if item.id == item_id), None)
