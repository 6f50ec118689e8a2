"""The wheel's section of a campaign file: its prize pool and the chances per player."""

from __future__ import annotations

from pydantic import Field

from plugins.contracts import GameConfig
from plugins.prize_pool import PrizePoolConfig
from plugins.types import Frozen

POOL_ID = "wheel"


class TierChances(Frozen):
    """A member tier's own chances (the token's `tier` claim)."""

    chances_per_day: int | None = Field(default=1, ge=1, le=1000, description="None = unlimited")
    chances_total: int | None = Field(default=None, ge=1, le=100_000, description="None = unlimited")


class WheelConfig(GameConfig, PrizePoolConfig):
    chances_per_day: int | None = Field(default=1, ge=1, le=1000, description="None = unlimited")
    chances_total: int | None = Field(default=None, ge=1, le=100_000, description="None = unlimited")
    chances_by_tier: dict[str, TierChances] = Field(default_factory=dict,
                                                    description="a tier's chances instead of the above")

    def chances_of(self, tier: str | None) -> tuple[int | None, int | None]:
        """(per day, in the campaign) for a member of `tier`."""
        own = self.chances_by_tier.get(tier or "")
        return (self.chances_per_day, self.chances_total) if own is None else (
            own.chances_per_day, own.chances_total)

    def prize_pools(self) -> dict[str, PrizePoolConfig]:
        return {POOL_ID: self}
