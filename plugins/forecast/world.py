"""One run of a forecast: the campaign's limits counted in memory, the members' counters, and
what the run spent and awarded, day by day.

The rules are the platform's own, called as pure functions: the draw table
(`plugins.prize_pool.DrawTable`), the limits that send a drawn prize to the fallback and
their order (`plugins.prize_pool.limits`), chances (`plugins.antifraud.chances_left`),
coupon collection limits and anti-harassment (`plugins.issuance.coupon.issue_limits`). Only
their storage differs: where the platform makes each limit a condition on a DynamoDB write,
a run keeps a count. Stock and budgets are kept whole, not sharded: sharding never strands
units (`plugins.allowance`), so a total behaves as its shards do together.

A game takes part through its plug-in's `forecast` contribution, a `GameModel` class built
with the game's section and the run's `World`, whose `day` plays one day of the members
active on it (see docs/simulate.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from random import Random
from typing import Any, ClassVar, Literal, Protocol

from plugins.actions import Quota
from plugins.antifraud import chances_left, plays
from plugins.contracts import Campaign, IssueContext, RewardSpec
from plugins.forecast.outcome import PoolTally, Pot, pool_label, stock_label
from plugins.forecast.traffic import Traffic, poisson, times
from plugins.issuance.cash import CashSpec
from plugins.issuance.chances import ChancesSpec
from plugins.issuance.coupon import HARASS_OPEN, CouponIssuer, CouponSpec, issue_limits
from plugins.issuance.points import PointsSpec
from plugins.prize_pool import DrawTable, Prize, PrizePoolConfig
from plugins.prize_pool.limits import BUDGET, CAP, REWARD, STOCK, limits_of
from plugins.registry import get_issuer
from plugins.types import cents

__all__ = ["GameModel", "World"]

Origin = Literal["award", "claim"]
NOON = 12
"""The hour every play of a day happens at, campaign time."""


class GameModel(Protocol):
    """A game's part in a forecast (its plug-in's `forecast`, built with its section and the
    run's world): `day` plays the members active on `world.today`; `order` puts games that
    grant others' chances first (check-in grants lucky-wheel draws)."""

    order: ClassVar[int]

    def day(self, world: World, active: Sequence[int]) -> None: ...


class World:
    """A run's state; members are numbered 0 to players - 1."""

    def __init__(self, campaign: Campaign, traffic: Traffic, rng: Random) -> None:
        self.campaign, self.traffic, self.rng = campaign, traffic, rng
        self.config = campaign.config
        self.pots: dict[str, Pot] = {}
        self.budget = None if not campaign.budget_counted else self.pot(
            "budget", "budget", cents(campaign.config.budget))
        self.tables: dict[tuple[str, str, str | None], tuple[DrawTable, PoolTally]] = {}
        self.terms: dict[int, tuple[tuple[str, ...], int, Pot | None]] = {}
        self.tallies: dict[str, PoolTally] = {}
        self.counts: dict[tuple[Any, ...], int] = {}
        self.open_coupons: dict[int, list[datetime]] = {}
        self.awards: dict[int, int] = {}
        self.points: dict[int, int] = {}
        """Each member's points balance: what rewards gave, less what he spent."""
        self.cost: list[int] = [0] * traffic.days
        self.index, self.today, self.now = 0, date.min, datetime.min
        self._limits: dict[tuple[int, str], tuple[datetime, list[Any]]] = {}
        self._plays: dict[str, float] = {}

    # the day

    def begin(self, index: int, day: date) -> None:
        self.index, self.today = index, day
        self.now = datetime.combine(day, time(NOON), tzinfo=self.config.zone)
        self._limits.clear()

    def attempts(self, game: str) -> int:
        """How many times an active member tries `game` today."""
        plays = self._plays.get(game)
        if plays is None:
            plays = self._plays[game] = self.traffic.plays_of(game)
        return times(plays, self.rng)

    def arrivals(self, mean: float, hours: int) -> list[tuple[int, float]]:
        """Friends answering a share made now (today at noon) within `hours`: a Poisson count
        with this mean, each at a uniform time, as (day index, hour of that day)."""
        found = []
        for _ in range(poisson(mean, self.rng)):
            at = NOON + self.rng.uniform(0, hours)
            found.append((self.index + int(at // 24), at % 24))
        return found

    def day_after(self, hours: int) -> int:
        """The day index on which `hours` from now (today at noon) falls."""
        return self.index + (NOON + hours) // 24

    def other(self, member: int) -> int:
        """Another member, at random (a friend who helps or grabs); -1 when there is none."""
        players = self.traffic.players
        if players < 2:
            return -1
        friend = self.rng.randrange(players - 1)
        return friend + 1 if friend >= member else friend

    # totals and counters

    def pot(self, label: str, kind: str, total: int) -> Pot:
        """The run's pot named `label`, made at its total on first use."""
        found = self.pots.get(label)
        if found is None:
            found = self.pots[label] = Pot(label, kind, total, total)
        return found

    def spend(self, amount: int) -> None:
        """Money paid out today (a prize's cost, cash), in cents."""
        self.cost[self.index] += amount

    def allows(self, member: int, quota: Quota) -> bool:
        """Whether `chances_left` lets a member use his quota (a game's chances) once more."""
        used_day = self.counts.get((member, quota.name, self.today), 0)
        left = chances_left(quota.per_day, quota.total, used_day, self.counts.get((member, quota.name), 0))
        return left["left_today"] != 0 and left["left_total"] != 0

    def use(self, member: int, quota: Quota) -> bool:
        """One use of a member's quota, if `allows`."""
        if not self.allows(member, quota):
            return False
        for key in ((member, quota.name, self.today), (member, quota.name)):
            self.counts[key] = self.counts.get(key, 0) + 1
        return True

    def grant(self, member: int, name: str, count: int) -> None:
        """More chances today and in the campaign, as `grant_chances` gives them (uses go down)."""
        for key in ((member, name, self.today), (member, name)):
            self.counts[key] = self.counts.get(key, 0) - count

    # rewards and prizes

    def issue(self, spec: RewardSpec | None, member: int, origin: Origin = "award") -> bool:
        """Issue a reward to `member` if its issuer's limits let it; a coupon counts its
        collection limits and anti-harassment, cash is paid, points go to his balance, chances
        to his quota of their game. Other issuers always accept."""
        if spec is None:
            return True
        if isinstance(spec, CouponSpec):
            return self._coupon(spec, member, origin)
        if isinstance(spec, CashSpec):
            self.spend(cents(spec.amount))
        elif isinstance(spec, PointsSpec):
            self.points[member] = self.points.get(member, 0) + spec.points
        elif isinstance(spec, ChancesSpec) and self.campaign.game(spec.game) is not None:
            self.grant(member, plays(spec.game), spec.chances)
        return True

    def _coupon(self, spec: CouponSpec, member: int, origin: Origin) -> bool:
        cached = self._limits.get((id(spec), origin))
        if cached is None:  # the same for every member today
            ctx = IssueContext(campaign=self.campaign, member_id="forecast", reference="forecast",
                               now=self.now, origin=origin)
            available = get_issuer(spec.type).available(spec, ctx)
            until = CouponIssuer.validity(spec, ctx)[1] if available else self.now
            cached = self._limits[(id(spec), origin)] = (
                until, issue_limits(spec, self.config, origin, self.now))
        until, limits = cached
        if until <= self.now:
            return False
        opened = self.open_coupons.setdefault(member, [])
        keys = []
        for limit in limits:
            if limit.tag == HARASS_OPEN:
                if sum(1 for valid in opened if valid > self.now) >= limit.most:
                    return False
                continue
            key = (member, limit.tag, spec.type_id, limit.period)
            if self.counts.get(key, 0) >= limit.most:
                return False
            keys.append(key)
        for key in keys:
            self.counts[key] = self.counts.get(key, 0) + 1
        if origin == "award":
            opened.append(until)
        return True

    def award(self, game: str, pool_id: str, pool: PrizePoolConfig, member: int,
              tier: str | None = None) -> Prize:
        """One draw from `pool` for `member` (with `tier`'s odds and caps, as the game draws
        for him): the prize drawn, or the fallback when one of its `limits_of` refuses it
        (checked in that order, and all or nothing as in the award's transaction)."""
        pool = pool.for_tier(tier)  # the same prizes, stock and budget as the pool's
        found = self.tables.get((game, pool_id, tier))
        if found is None:
            found = self.tables[(game, pool_id, tier)] = (
                DrawTable(pool), self.tallies.setdefault(pool_label(game, pool_id), PoolTally()))
        table, tally = found
        drawn = table.draw(self.rng)
        prize = drawn if self._admits(game, pool_id, drawn, member) else pool.fallback_prize()
        if prize is not drawn:
            self.issue(prize.reward, member)  # the fallback's reward is never refused
        tally.plays += 1
        tally.won[prize.id] = tally.won.get(prize.id, 0) + 1
        if prize.id != pool.fallback:
            self.awards[member] = self.awards.get(member, 0) + 1
        return prize

    def give(self, game: str, pool_id: str, prize: Prize, member: int) -> bool:
        """A prize chosen or earned rather than drawn (an exchange's item, a gift rule's) for
        `member`, if none of its `limits_of` refuses it: there is no fallback."""
        if not self._admits(game, pool_id, prize, member):
            return False
        tally = self.tallies.setdefault(pool_label(game, pool_id), PoolTally())
        tally.plays += 1
        tally.won[prize.id] = tally.won.get(prize.id, 0) + 1
        self.awards[member] = self.awards.get(member, 0) + 1
        return True

    def _terms(self, game: str, pool_id: str, prize: Prize) -> tuple[tuple[str, ...], int, Pot | None]:
        """A prize's limits, cost in cents and stock pot, worked out once a run."""
        found = self.terms.get(id(prize))
        if found is None:
            limits = limits_of(prize, self.budget is not None)
            stock = None if STOCK not in limits else self.pot(
                stock_label(game, pool_id, prize.id), "stock", prize.stock or 0)
            found = self.terms[id(prize)] = (limits, cents(prize.cost), stock)
        return found

    def _admits(self, game: str, pool_id: str, prize: Prize, member: int) -> bool:
        limits, cost, stock = self._terms(game, pool_id, prize)
        cap = (member, "cap", pool_id, prize.id)
        for limit in limits:
            if limit == BUDGET and self.budget is not None and self.budget.left < cost:
                self.budget.take(cost, self.index)  # records the day it first could not pay
                return False
            if limit == STOCK and stock is not None and stock.left < 1:
                return False
            if limit == CAP and self.counts.get(cap, 0) >= (prize.per_user_cap or 0):
                return False
            if limit == REWARD and not self.issue(prize.reward, member):
                return False
        if BUDGET in limits and self.budget is not None:
            self.budget.take(cost, self.index)
        if stock is not None:
            stock.take(1, self.index)
        if CAP in limits:
            self.counts[cap] = self.counts.get(cap, 0) + 1
        self.spend(cost)
        return True
