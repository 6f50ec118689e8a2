"""The coupon center in a forecast (docs/simulate.md): each active member makes as many claims a
day as the traffic profile's plays, each of a claimable coupon type chosen at random. A claim
passes the coupon's own collection limits (`CouponSpec` of `coupon_spec`, origin `claim`: no
anti-harassment) and the partner's quota and budget, never exceeded; the brand pays its share
of the coupon's cost (`settlement.brand_part`). Code pools are assumed stocked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from games.partner_coupon.config import GAME, PartnerCouponConfig
from games.partner_coupon.settlement import brand_part
from plugins.forecast import World
from plugins.types import cents

__all__ = ["PartnerCouponForecast"]


class PartnerCouponForecast:
    order: ClassVar[int] = 40

    def __init__(self, section: PartnerCouponConfig, world: World) -> None:
        self.listed = [(partner, cents(coupon.cost), coupon.coupon_spec(partner.id),
                        world.pot(f"{GAME}: {partner.id} quota", "quota", partner.quota),
                        world.pot(f"{GAME}: {partner.id} budget", "budget", cents(partner.budget)))
                       for partner in section.partners for coupon in partner.coupons
                       if coupon.claimable]

    def day(self, world: World, active: Sequence[int]) -> None:
        if not self.listed:
            return
        for member in active:
            for _ in range(world.attempts(GAME)):
                partner, cost, spec, quota, budget = world.rng.choice(self.listed)
                if quota.left < 1:
                    quota.take(1, world.index)  # PARTNER_EXHAUSTED, recorded as run out
                elif budget.left < cost:
                    budget.take(cost, world.index)
                elif world.issue(spec, member, "claim"):
                    quota.take(1, world.index)
                    budget.take(cost, world.index)
                    world.spend(brand_part(cost, partner.brand_share))
