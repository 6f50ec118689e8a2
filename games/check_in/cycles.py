"""Cycles and streaks, as pure functions of the campaign's local days (no I/O, no clock).

A member's progress is kept for the current cycle only: the days checked in it, the streak
carried into it from before, the make-ups used and the milestones reached. Only days of the
current cycle can still change (make-ups never reach an earlier cycle), so when a new cycle
begins, the old one is folded into one number, `carry`, and forgotten: lazily, by the first
read in the new cycle, never by a scheduled job.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from games.check_in.config import CheckInConfig, Milestone

CHECKED, MADE_UP = "check-in", "make-up"
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Cycle:
    """The days from `start` to `end` (inclusive) that share day rewards and make-ups."""

    start: date
    end: date

    @property
    def id(self) -> str:
        return self.start.isoformat()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def day_of(self, day: date) -> int:
        """1 for the cycle's first day."""
        return (day - self.start).days + 1

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def cycle_of(rules: CheckInConfig, first_day: date, day: date) -> Cycle:
    """The cycle holding `day`: an ISO week, a calendar month, or N days counted from
    `first_day` (the campaign's first local day), whatever the calendar says."""
    if rules.cycle == "week":
        start = day - timedelta(days=day.weekday())
        return Cycle(start, start + timedelta(days=6))
    if rules.cycle == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Cycle(day.replace(day=1), day.replace(day=last))
    length = rules.cycle_length
    start = first_day + timedelta(days=(day - first_day).days // length * length)
    return Cycle(start, start + timedelta(days=length - 1))


@dataclass(frozen=True)
class Progress:
    """A member's state in one cycle, as stored; `version` 0 means nothing is stored yet."""

    cycle: str
    days: dict[str, str] = field(default_factory=dict)
    carry: int = 0
    make_ups: int = 0
    milestones: tuple[int, ...] = ()
    version: int = 0

    @property
    def start(self) -> date:
        return date.fromisoformat(self.cycle)

    def checked(self, day: date) -> bool:
        return day.isoformat() in self.days

    def run_back(self, day: date) -> int:
        """Days in a row checked up to `day`, plus the carry if the run reaches the cycle start."""
        count, start = 0, self.start
        while day >= start and self.checked(day):
            count, day = count + 1, day - ONE_DAY
        return count + self.carry if day < start else count

    def run_through(self, day: date) -> int:
        """The length of the run of checked days holding `day` (a checked day)."""
        after, ahead = 0, day + ONE_DAY
        while self.checked(ahead):
            after, ahead = after + 1, ahead + ONE_DAY
        return self.run_back(day) + after


def streak_reached(rules: CheckInConfig, progress: Progress, day: date) -> int:
    """The streak that checking `day` (now in `progress`) counts toward milestones."""
    if rules.on_miss == "pause":
        return progress.carry + len(progress.days)
    return progress.run_through(day)


def current_streak(rules: CheckInConfig, progress: Progress, today: date) -> int:
    """The streak as the page shows it: alive until the end of today even if not yet checked."""
    if rules.on_miss == "pause":
        return progress.carry + len(progress.days)
    return progress.run_back(today if progress.checked(today) else today - ONE_DAY)


def advance(rules: CheckInConfig, progress: Progress, cycle: Cycle) -> Progress:
    """The progress as of `cycle`: unchanged within it; folded into a fresh one after it."""
    if progress.cycle == cycle.id:
        return progress
    if rules.streak_scope == "cycle":
        carry = 0
    elif rules.on_miss == "pause":
        carry = progress.carry + sum(1 for d in progress.days if d < cycle.id)
    else:
        carry = progress.run_back(cycle.start - ONE_DAY)
    milestones = progress.milestones if rules.streak_scope == "campaign" else ()
    return Progress(cycle=cycle.id, carry=carry, milestones=milestones, version=progress.version)


def with_day(progress: Progress, day: date, kind: str) -> Progress:
    """The progress once `day` is checked (`kind`: check-in or make-up)."""
    return replace(progress, days={**progress.days, day.isoformat(): kind},
                   make_ups=progress.make_ups + (kind == MADE_UP), version=progress.version + 1)


def scope_id(rules: CheckInConfig, cycle: Cycle) -> str:
    """What a milestone is reached once in: this cycle, or the whole campaign."""
    return cycle.id if rules.streak_scope == "cycle" else "ALL"


def check(rules: CheckInConfig, before: Progress, day: date, kind: str,
          reached_before: frozenset[int] = frozenset()) -> tuple[Progress, int, list[Milestone]]:
    """Checking `day` (`kind`: check-in or make-up): the progress after it, the streak it
    counts, and the milestones it reaches for the first time (besides `reached_before`,
    those another action was found to have reached meanwhile)."""
    after = with_day(before, day, kind)
    streak = streak_reached(rules, after, day)
    new = [m for m in rules.milestones if m.streak <= streak
           and m.streak not in before.milestones and m.streak not in reached_before]
    reached = {*before.milestones, *reached_before, *(m.streak for m in new)}
    return replace(after, milestones=tuple(sorted(reached))), streak, new


def wheel_chances(rules: CheckInConfig, kind: str, new: list[Milestone]) -> int:
    """Lucky-wheel chances a check (with the milestones it reached) grants: the check-in's
    own (never a make-up's) and each milestone's."""
    return (rules.wheel_chances if kind == CHECKED else 0) + sum(m.wheel_chances for m in new)
