"""The wheel in a forecast (docs/simulate.md): each active member spins as often as the
traffic profile says, while his chances last (his tier's; check-in may have granted more),
with his tier's odds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from games.lucky_wheel.config import POOL_ID, WheelConfig
from games.lucky_wheel.service import GAME, chances
from plugins.antifraud import Player
from plugins.forecast import World

__all__ = ["WheelForecast"]


class WheelForecast:
    order: ClassVar[int] = 10

    def __init__(self, wheel: WheelConfig, world: World) -> None:
        self.wheel = wheel
        self.quotas = {tier: chances(wheel, Player(member_id="forecast", tier=tier))
                       for tier in (None, *world.traffic.tiers)}

    def day(self, world: World, active: Sequence[int]) -> None:
        for member in active:
            tier = world.traffic.tier_of(member)
            for _ in range(world.attempts(GAME)):
                if not world.use(member, self.quotas[tier]):
                    break
                world.award(GAME, POOL_ID, self.wheel, member, tier)
