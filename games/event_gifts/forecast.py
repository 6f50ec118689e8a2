"""The event gifts in a forecast (docs/simulate.md): each active member's registration (the
profile's `registrations` share of members, on their first active day), his orders of the
day (`orders` of `order_amount`, at noon, no SKUs; his first reported as a first order) and
his share link's opens by new friends (`share_opens`), each through the rules it matches with
their once-per-period markers, daily limits, stock, cap, budget and reward. Birthday,
profile and invitation rules are not played: the profile has no such events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from games.event_gifts.config import GAME, POOL_ID, GiftRule, GiftsConfig, MemberEvent
from games.event_gifts.service import daily_limit, once_key
from plugins.forecast import World
from plugins.forecast.traffic import times

__all__ = ["GiftsForecast"]

Kind = Literal["order", "first_order", "registration", "share_opened"]
KINDS: tuple[Kind, ...] = ("order", "first_order", "registration", "share_opened")


class GiftsForecast:
    order: ClassVar[int] = 0  # first: a purchase task's wheel chances are spun the same day

    def __init__(self, section: GiftsConfig, world: World) -> None:
        played = [rule for rule in section.rules if rule.invited_within_days is None]
        self.rules: dict[str, list[GiftRule]] = {kind: [rule for rule in played if rule.event == kind]
                                                 for kind in KINDS}
        self.ordered: set[int] = set()
        self.seen: set[int] = set()
        self.friends = 0

    def day(self, world: World, active: Sequence[int]) -> None:
        traffic = world.traffic
        for member in active:
            if member not in self.seen:
                self.seen.add(member)
                if world.rng.random() < traffic.registrations:
                    self._event(world, member, MemberEvent(event_id="forecast", kind="registration",
                                                           member_id="forecast"))
            for _ in range(times(traffic.orders, world.rng)):
                kind: Kind = "order" if member in self.ordered else "first_order"
                self.ordered.add(member)
                self._event(world, member, MemberEvent(event_id="forecast", kind=kind, member_id="forecast",
                                                       amount=traffic.order_amount))
            for _ in range(times(traffic.share_opens, world.rng)):
                self.friends += 1  # a new friend each time: the rule's once per friend never binds
                self._event(world, member, MemberEvent(event_id="forecast", kind="share_opened",
                                                       member_id="forecast", opened_by=f"f{self.friends}"))

    def _event(self, world: World, member: int, event: MemberEvent) -> None:
        for rule in self.rules[event.kind]:
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
