"""Cycles, streaks and the check-in section's validation, as pure functions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from games.check_in.config import CheckInConfig
from games.check_in.cycles import (
    CHECKED,
    MADE_UP,
    Cycle,
    Progress,
    advance,
    current_streak,
    cycle_of,
    streak_reached,
    with_day,
)

START = date(2026, 1, 1)  # a Thursday


def rules(**fields: Any) -> CheckInConfig:
    return CheckInConfig.model_validate(fields)


def progress(cycle: str, *days: str, carry: int = 0) -> Progress:
    return Progress(cycle=cycle, days=dict.fromkeys(days, CHECKED), carry=carry, version=1)


@pytest.mark.parametrize(("fields", "day", "start", "end"), [
    ({"cycle": "week"}, date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 29)),
    ({"cycle": "week"}, date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 6)),
    ({"cycle": "month"}, date(2028, 2, 15), date(2028, 2, 1), date(2028, 2, 29)),
    ({"cycle": "month"}, date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    ({"cycle": "days", "cycle_days": 10}, START, START, date(2026, 1, 10)),
    ({"cycle": "days", "cycle_days": 10}, date(2026, 1, 11), date(2026, 1, 11), date(2026, 1, 20)),
    ({"cycle": "days", "cycle_days": 3}, date(2026, 1, 6), date(2026, 1, 4), date(2026, 1, 6)),
])
def test_cycle_of(fields: dict[str, Any], day: date, start: date, end: date) -> None:
    cycle = cycle_of(rules(**fields), START, day)
    assert (cycle.start, cycle.end) == (start, end)
    assert day in cycle and cycle.day_of(start) == 1 and len(cycle.days()) == (end - start).days + 1


def test_run_through_joins_both_sides_and_the_carry() -> None:
    p = progress("2026-11-23", "2026-11-23", "2026-11-24", "2026-11-26", carry=5)
    assert p.run_back(date(2026, 11, 24)) == 7  # reaches the cycle start: the carry counts
    assert p.run_back(date(2026, 11, 26)) == 1
    assert p.run_back(date(2026, 11, 25)) == 0
    joined = with_day(p, date(2026, 11, 25), MADE_UP)
    assert joined.run_through(date(2026, 11, 25)) == 5 + 4
    assert joined.make_ups == 1 and joined.version == 2


@pytest.mark.parametrize(("on_miss", "reached", "shown"), [("break", 1, 0), ("pause", 3, 2)])
def test_break_or_pause(on_miss: str, reached: int, shown: int) -> None:
    r = rules(on_miss=on_miss)
    p = with_day(progress("2026-11-23", "2026-11-23", "2026-11-24"), date(2026, 11, 26), CHECKED)
    assert streak_reached(r, p, date(2026, 11, 26)) == reached
    before = progress("2026-11-23", "2026-11-23", "2026-11-24")
    assert current_streak(r, before, date(2026, 11, 26)) == shown
    assert current_streak(r, before, date(2026, 11, 25)) == 2  # alive until today ends


@pytest.mark.parametrize(("fields", "carry"), [
    ({"streak_scope": "cycle"}, 0),
    ({"streak_scope": "campaign"}, 2),  # the run ending on Sunday; it misses the cycle start
    ({"streak_scope": "campaign", "on_miss": "pause"}, 4 + 3),  # every check-in so far
])
def test_advance_folds_the_old_cycle_into_the_carry(fields: dict[str, Any], carry: int) -> None:
    old = progress("2026-11-23", "2026-11-23", "2026-11-28", "2026-11-29", carry=4)
    old = Progress(**{**old.__dict__, "milestones": (3,), "make_ups": 1})
    new = advance(rules(**fields), old, Cycle(date(2026, 11, 30), date(2026, 12, 6)))
    assert new.carry == carry
    assert (new.days, new.make_ups, new.version) == ({}, 0, 1)
    assert new.milestones == ((3,) if fields.get("streak_scope") == "campaign" else ())


def test_a_full_old_cycle_passes_its_carry_on() -> None:
    week = [f"2026-11-{d}" for d in range(23, 30)]
    old = progress("2026-11-23", *week, carry=4)
    new = advance(rules(streak_scope="campaign"), old, Cycle(date(2026, 11, 30), date(2026, 12, 6)))
    assert new.carry == 4 + 7


def test_advance_after_a_skipped_cycle_breaks_the_streak() -> None:
    old = progress("2026-11-23", "2026-11-29", carry=9)
    later = Cycle(date(2026, 12, 7), date(2026, 12, 13))
    assert advance(rules(streak_scope="campaign"), old, later).carry == 0
    assert advance(rules(streak_scope="campaign", on_miss="pause"), old, later).carry == 10


def test_advance_keeps_the_current_cycle() -> None:
    p = progress("2026-11-23", "2026-11-23")
    assert advance(rules(), p, Cycle(date(2026, 11, 23), date(2026, 11, 29))) is p


COUPON = {"type": "coupon", "type_id": "c1", "title": "c", "kind": "cash_voucher",
          "discount": "1.00", "valid_days": 3}


@pytest.mark.parametrize(("fields", "message"), [
    ({"cycle": "days"}, "cycle_days is needed"),
    ({"cycle": "week", "cycle_days": 5}, "cycle_days is needed"),
    ({"day_rewards": [{"day": 8, "reward": None}]}, "day 8 of a 7-day cycle"),
    ({"day_rewards": [{"day": 2, "reward": None}] * 2}, "repeat a day"),
    ({"milestones": [{"streak": 10, "wheel_chances": 1}]}, "cannot be reached"),
    ({"milestones": [{"streak": 3}]}, "needs a reward or wheel_chances"),
    ({"milestones": [{"streak": 3, "wheel_chances": 1}] * 2}, "repeat a streak"),
    ({"make_ups": {"per_cycle": 7}}, "below the cycle's length"),
    ({"daily_reward": COUPON, "milestones": [{"streak": 3, "reward": COUPON}]}, "issued twice"),
    ({"milestones": [{"streak": 3, "reward": COUPON}, {"streak": 5, "reward": COUPON}]},
     "issued twice"),
    ({"unknown": 1}, "Extra inputs"),
])
def test_invalid_sections(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        rules(**fields)


def test_valid_sections() -> None:
    assert rules(cycle="days", cycle_days=30, streak_scope="campaign",
                 milestones=[{"streak": 100, "wheel_chances": 1}]).cycle_length == 30
    # a coupon type may repeat among day rewards: one action earns one day's reward
    r = rules(daily_reward=COUPON, day_rewards=[{"day": 7, "reward": COUPON}])
    assert r.day_reward(7) == r.day_reward(1)
    assert rules(day_rewards=[{"day": 7, "reward": None}], daily_reward=COUPON).day_reward(7) is None
