"""The wheel's section of a campaign file: its prize pool and the chances per player."""

from __future__ import annotations

from pydantic import Field

from plugins.contracts import GameConfig
from plugins.prize_pool import PrizePoolConfig

POOL_ID = "wheel"


class WheelConfig(GameConfig, PrizePoolConfig):
    chances_per_day: int | None = Field(default=1, ge=1, le=1000, description="None = unlimited")
    chances_total: int | None = Field(default=None, ge=1, le=100_000, description="None = unlimited")

    def prize_pools(self) -> dict[str, PrizePoolConfig]:
        return {POOL_ID: self}
