"""The exchange in a forecast (docs/simulate.md): each active member tries `plays` exchanges a
day; each picks, at random, an item on sale that his points pay for and his limits allow,
and gets it unless its stock, cap, budget or reward refuses it (then he keeps his points).
His points are those the campaign's other games gave him (check-in, the wheel's prizes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from games.points_exchange.config import GAME, POOL_ID, ExchangeConfig, ExchangeItem
from games.points_exchange.service import daily_quota
from plugins.actions import Quota
from plugins.forecast import World

__all__ = ["ExchangeForecast"]


class ExchangeForecast:
    order: ClassVar[int] = 5  # after check-in's points, before the wheel spins the chances bought

    def __init__(self, section: ExchangeConfig, world: World) -> None:
        self.items = section.items

    def day(self, world: World, active: Sequence[int]) -> None:
        on_sale = [item for item in self.items if item.on_sale(world.config, world.now)]
        for member in active:
            for _ in range(world.attempts(GAME)):
                choices = [item for item in on_sale if self._affordable(world, member, item)]
                if not choices:
                    break
                item = world.rng.choice(choices)
                if world.give(GAME, POOL_ID, item, member):
                    world.points[member] -= item.price_points
                    world.use(member, per_day(item))

    @staticmethod
    def _affordable(world: World, member: int, item: ExchangeItem) -> bool:
        return world.points.get(member, 0) >= item.price_points and world.allows(member, per_day(item))


def per_day(item: ExchangeItem) -> Quota:
    """The item's daily limit as a member's quota (None: no limit)."""
    return Quota(daily_quota(item), item.per_member_per_day, None)
