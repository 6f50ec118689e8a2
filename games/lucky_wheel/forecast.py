"""The wheel in a forecast (docs/simulate.md): each active member spins as often as the
traffic profile says, while his chances last (check-in may have granted more)."""

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
        self.wheel, self.quota = wheel, chances(wheel, Player(member_id="forecast"))

    def day(self, world: World, active: Sequence[int]) -> None:
        for member in active:
            for _ in range(world.attempts(GAME)):
                if not world.use(member, self.quota):
                    break
                world.award(GAME, POOL_ID, self.wheel, member)
