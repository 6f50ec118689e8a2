"""Check-in in a forecast (docs/simulate.md): each active member checks in once a day
(`plays` above 0; a fraction is the chance he does), through the game's own cycles, streaks
and milestones (`cycles.py`): the day's reward, each milestone's reward and lucky-wheel
chances, and the blind box. Make-ups are not played."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from games.check_in.attempt import WHEEL, WHEEL_QUOTA
from games.check_in.config import POOL_ID, CheckInConfig
from games.check_in.cycles import CHECKED, Progress, advance, check, cycle_of, wheel_chances
from games.check_in.service import GAME, campaign_days
from plugins.forecast import World

__all__ = ["CheckInForecast"]


class CheckInForecast:
    order: ClassVar[int] = 0  # first: its wheel chances are spent the same day

    def __init__(self, rules: CheckInConfig, world: World) -> None:
        self.rules = rules
        self.first = campaign_days(world.config)[0]
        self.wheel = world.campaign.game(WHEEL) is not None
        self.progress: dict[int, Progress] = {}

    def day(self, world: World, active: Sequence[int]) -> None:
        rules, today = self.rules, world.today
        cycle = cycle_of(rules, self.first, today)
        for member in active:
            if not world.attempts(GAME):
                continue
            before = advance(rules, self.progress.get(member) or Progress(cycle.id), cycle)
            after, _, reached = check(rules, before, today, CHECKED)
            self.progress[member] = after
            world.issue(rules.day_reward(cycle.day_of(today)), member)
            for milestone in reached:
                world.issue(milestone.reward, member)
            chances = wheel_chances(rules, CHECKED, reached)
            if chances and self.wheel:
                world.grant(member, WHEEL_QUOTA, chances)
            if rules.blind_box is not None:
                world.award(GAME, POOL_ID, rules.blind_box, member, world.traffic.tier_of(member))
