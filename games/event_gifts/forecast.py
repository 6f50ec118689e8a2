"""The event gifts in a forecast (docs/simulate.md): each active member's orders of the day
(the traffic profile's `orders` of `order_amount`, at noon, no SKUs), his first one reported
as a first order, the later ones as orders, each through the rules it matches with their
once-per-period markers, daily limits, stock, cap, budget and reward. Registration,
birthday, profile, share and invitation rules are not played: the profile has no such
events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from games.event_gifts.config import GAME, POOL_ID, GiftRule, GiftsConfig, MemberEvent
from games.event_gifts.service import daily_limit, once_key
from plugins.forecast import World
from plugins.forecast.traffic import times

__all__ = ["GiftsForecast"]

OrderKind = Literal["order", "first_order"]
ORDERS: tuple[OrderKind, ...] = ("order", "first_order")


class GiftsForecast:
    order: ClassVar[int] = 0  # first: a purchase task's wheel chances are spun the same day

    def __init__(self, section: GiftsConfig, world: World) -> None:
        played = [rule for rule in section.rules if rule.invited_within_days is None]
        self.rules = {kind: [rule for rule in played if rule.event == kind] for kind in ORDERS}
        self.ordered: set[int] = set()

    def day(self, world: World, active: Sequence[int]) -> None:
        amount = world.traffic.order_amount
        for member in active:
            for _ in range(times(world.traffic.orders, world.rng)):
                kind: OrderKind = "order" if member in self.ordered else "first_order"
                self.ordered.add(member)
                event = MemberEvent(event_id="forecast", kind=kind, member_id="forecast", amount=amount)
                for rule in self.rules[kind]:
                    if rule.matches(event, world.config, world.now):
                        self._gift(world, member, rule, event)

    @staticmethod
    def _gift(world: World, member: int, rule: GiftRule, event: MemberEvent) -> None:
        marker = once_key(world.campaign, rule, event, world.now)
        once = (member, marker)
        daily = daily_limit(rule)
        if (marker is not None and once in world.counts) or not world.allows(member, daily):
            return
        if world.give(GAME, POOL_ID, rule, member):
            world.use(member, daily)
            if marker is not None:
                world.counts[once] = 1
