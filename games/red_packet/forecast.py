"""Red packets in a forecast (docs/simulate.md): each active member shares as many packets a
day as the traffic profile's plays (within the action trigger's quotas) and reports `orders`
of `order_amount` (the order trigger); each packet, paid when made from the budgets that
count it, is split by the game's own `split`, and a Poisson number of friends (`grabs`)
arrive within its lifetime to grab a part once each: diminished for repeat grabbers
(`rules.diminished`, in `rules.window_period`), with the grab's coupon and, at the
`after_grabs`-th grab, the sharer's bonus. At expiry what it did not pay out
(`rules.unspent`) goes back to the budgets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from games.red_packet.config import GAME, RedPacketConfig
from games.red_packet.rules import (
    GRABS_QUOTA,
    PACKETS_QUOTA,
    WINDOW_COUNTER,
    diminished,
    unspent,
    window_period,
)
from games.red_packet.split import split
from plugins.actions import Quota
from plugins.forecast import World
from plugins.forecast.traffic import times
from plugins.types import cents

__all__ = ["RedPacketForecast"]

@dataclass
class Packet:
    owner: int
    total: int
    parts: list[int]
    reserved: int
    paid: list[tuple[str, int]]
    """(pot label, cents) each budget that paid for the packet took"""
    free: list[int] = field(default_factory=list)
    grabbers: set[int] = field(default_factory=set)
    handed_out: int = 0
    bonus_paid: int = 0


class RedPacketForecast:
    order: ClassVar[int] = 30

    def __init__(self, section: RedPacketConfig, world: World) -> None:
        self.section = section
        action = section.action if "action" in section.triggers else None
        self.quota = None if action is None else Quota(PACKETS_QUOTA, action.per_day, action.total)
        self.amount = 0 if action is None else cents(action.amount)
        self.grab_quota = Quota(GRABS_QUOTA, section.grabs_per_day, None)
        fund = section.packets_budget
        self.fund = None if fund is None else world.pot(f"{GAME}: packets budget", "budget", cents(fund))
        self.grabs: dict[int, list[tuple[float, Packet]]] = {}
        self.expiring: dict[int, list[Packet]] = {}
        self.period = ""

    def day(self, world: World, active: Sequence[int]) -> None:
        section, traffic = self.section, world.traffic
        rule = section.diminishing
        if rule is not None:
            self.period = window_period(rule.window, world.campaign, world.now)[0]
        order = section.order if "order" in section.triggers else None
        for member in active:
            if self.quota is not None:
                for _ in range(world.attempts(GAME)):
                    if not world.use(member, self.quota):
                        break
                    self._make(world, member, self.amount)
            if order is not None and cents(traffic.order_amount) >= cents(order.min_amount):
                for _ in range(times(traffic.orders, world.rng)):
                    self._make(world, member, order.total_for(cents(traffic.order_amount)))
        for _, packet in sorted(self.grabs.pop(world.index, []), key=lambda arrival: arrival[0]):
            self._grab(world, packet)
        for packet in self.expiring.pop(world.index, []):
            left = unspent(packet.total, packet.reserved, packet.handed_out, packet.bonus_paid)
            for label, took in packet.paid:
                world.pots[label].give(min(took, left))

    def _make(self, world: World, owner: int, total: int) -> None:
        section = self.section
        bonus = section.sharer_bonus
        reserved = bonus.reserved if bonus is not None else 0
        cost = total + reserved
        pots = [pot for pot in (world.budget, self.fund) if pot is not None and cost]
        for pot in pots:
            if pot.left < cost:
                pot.take(cost, world.index)  # refused: BUDGET_EXHAUSTED, recorded as run out
                return
        for pot in pots:
            pot.take(cost, world.index)
        parts = split(section.split, total, section.parts, cents(section.min_part), world.rng)
        packet = Packet(owner, total, parts, reserved, [(pot.label, cost) for pot in pots],
                        free=list(range(len(parts))))
        hours = section.lifetime_hours
        for day, hour in world.arrivals(world.traffic.grabs, hours):
            self.grabs.setdefault(day, []).append((hour, packet))
        self.expiring.setdefault(world.day_after(hours), []).append(packet)

    def _grab(self, world: World, packet: Packet) -> None:
        grabber = world.other(packet.owner)
        if grabber < 0 or grabber in packet.grabbers or not packet.free:
            return
        if not world.use(grabber, self.grab_quota):
            return
        section = self.section
        window = (grabber, WINDOW_COUNTER, self.period)
        earlier = world.counts.get(window, 0)
        index = world.rng.choice(packet.free)
        packet.free.remove(index)
        part = packet.parts[index]
        got = diminished(part, earlier, section.diminishing)
        if section.diminishing is not None:
            world.counts[window] = earlier + 1
        packet.grabbers.add(grabber)
        packet.handed_out += got
        world.spend(got)
        world.issue(section.coupon, grabber)
        bonus = section.sharer_bonus
        if bonus is not None and len(packet.grabbers) == bonus.after_grabs:  # grabs.Grab.plan
            packet.bonus_paid = packet.reserved
            world.issue(bonus.reward, packet.owner)
