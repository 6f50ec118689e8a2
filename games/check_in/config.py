"""The check-in section of a campaign file: the cycle, the streak rules, the rewards per day
and per milestone, make-ups, and the optional draw attached to a check-in."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any, Literal

from pydantic import Field, model_validator

from plugins.contracts import GameConfig, RewardSpec
from plugins.prize_pool import PrizePoolConfig
from plugins.prize_pool.model import Reward
from plugins.registry import get_issuer
from plugins.types import Frozen

POOL_ID = "blind-box"
CYCLE_LENGTH = {"week": 7, "month": 31}


class DayReward(Frozen):
    day: int = Field(ge=1, le=366, description="day of the cycle, 1 = its first day")
    reward: Reward = Field(description="what checking in (or making up) that day earns")


class Milestone(Frozen):
    streak: int = Field(ge=2, le=1000, description="streak length that earns it (days in a row, "
                                                   "or check-ins when a miss pauses the streak)")
    reward: Reward = Field(default=None, description="issued once per cycle or campaign (streak_scope)")
    wheel_chances: int = Field(default=0, ge=0, le=100, description="extra lucky-wheel chances")

    @model_validator(mode="after")
    def _gives_something(self) -> Milestone:
        if self.reward is None and not self.wheel_chances:
            raise ValueError(f"milestone {self.streak} needs a reward or wheel_chances")
        return self


class MakeUpRules(Frozen):
    """Make-up check-ins [补签]: past days of the current cycle, a few per cycle."""

    per_cycle: int = Field(default=0, ge=0, le=31, description="make-ups per member per cycle; 0 = off")
    cost_points: int = Field(default=0, ge=0, le=1_000_000,
                             description="points each make-up costs; 0 = free")
    day_reward: bool = Field(default=True, description="whether a made-up day earns its day reward")


class CheckInConfig(GameConfig):
    cycle: Literal["week", "month", "days"] = Field(
        default="week", description="week (Monday to Sunday), calendar month, or cycle_days days")
    cycle_days: int | None = Field(
        default=None, ge=2, le=366,
        description="length of a 'days' cycle; cycles follow each other from the campaign's first day")
    streak_scope: Literal["cycle", "campaign"] = Field(
        default="cycle", description="cycle: the streak and its milestones restart with each cycle")
    on_miss: Literal["break", "pause"] = Field(
        default="break", description="break: a missed day resets the streak; pause: it keeps its length")
    daily_reward: Reward = Field(default=None, description="earned by a day without its own day_rewards")
    day_rewards: list[DayReward] = Field(default_factory=list, max_length=366)
    milestones: list[Milestone] = Field(default_factory=list, max_length=20)
    make_ups: MakeUpRules = MakeUpRules()
    wheel_chances: int = Field(default=0, ge=0, le=100,
                               description="lucky-wheel chances each check-in (not a make-up) grants")
    blind_box: PrizePoolConfig | None = Field(
        default=None, description="a prize pool each check-in (not a make-up) draws once from")

    @property
    def cycle_length(self) -> int:
        """The most days a cycle has."""
        return self.cycle_days or CYCLE_LENGTH[self.cycle]

    @model_validator(mode="after")
    def _coherent(self) -> CheckInConfig:
        if (self.cycle == "days") != (self.cycle_days is not None):
            raise ValueError("cycle_days is needed exactly when cycle is 'days'")
        days = [d.day for d in self.day_rewards]
        if len(days) != len(set(days)):
            raise ValueError("day_rewards repeat a day")
        if days and max(days) > self.cycle_length:
            raise ValueError(f"day_rewards name day {max(days)} of a {self.cycle_length}-day cycle")
        streaks = [m.streak for m in self.milestones]
        if len(streaks) != len(set(streaks)):
            raise ValueError("milestones repeat a streak")
        if self.streak_scope == "cycle" and streaks and max(streaks) > self.cycle_length:
            raise ValueError(f"milestone {max(streaks)} cannot be reached in a "
                             f"{self.cycle_length}-day cycle (streak_scope: cycle)")
        if self.make_ups.per_cycle >= self.cycle_length:
            raise ValueError("make_ups.per_cycle must be below the cycle's length")
        self._one_coupon_type_per_action()
        return self

    def _one_coupon_type_per_action(self) -> None:
        """One action may issue the day's reward, every milestone and a blind-box prize: a
        coupon type may only repeat among day rewards (one of them per action), since a
        second coupon of a type in one action is refused by anti-harassment anyway."""
        day_types = {t for spec in self._day_specs() if (t := _coupon_type(spec))}
        other = [_coupon_type(m.reward) for m in self.milestones]
        if self.blind_box is not None:
            other += [_coupon_type(p.reward) for p in self.blind_box.prizes]
        found = [t for t in other if t]
        clash = sorted({t for t in found if found.count(t) > 1 or t in day_types})
        if clash:
            raise ValueError(f"coupon types {clash} could be issued twice by one check-in: a "
                             "milestone or blind-box coupon type must not be used elsewhere here")

    def _day_specs(self) -> list[RewardSpec]:
        specs = [d.reward for d in self.day_rewards if d.reward is not None]
        return specs + ([self.daily_reward] if self.daily_reward is not None else [])

    def day_reward(self, day_of_cycle: int) -> RewardSpec | None:
        """What checking in on day N of the cycle earns."""
        for entry in self.day_rewards:
            if entry.day == day_of_cycle:
                return entry.reward
        return self.daily_reward

    def prize_pools(self) -> dict[str, PrizePoolConfig]:
        return {POOL_ID: self.blind_box} if self.blind_box is not None else {}


def _coupon_type(spec: RewardSpec | None) -> str | None:
    return getattr(spec, "type_id", None) if spec is not None and spec.type == "coupon" else None


def describe(spec: RewardSpec | None, zone: tzinfo) -> dict[str, Any] | None:
    """A reward as the page shows it before it is earned, its times in the campaign's `zone`."""
    return None if spec is None else get_issuer(spec.type).offer(spec, zone)


