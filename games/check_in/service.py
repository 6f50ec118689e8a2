"""Check-in and make-up actions, and the cycle calendar the page shows.

Each action is one read of the member's progress and one transaction (`attempt.py`). The
read also answers the refusals it can prove (already checked, no make-ups left) without a
write; a retry of an action that succeeded gets its first answer back instead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from games.check_in.attempt import CheckInAttempt, Target
from games.check_in.config import CheckInConfig, describe
from games.check_in.cycles import CHECKED, MADE_UP, advance, current_streak, cycle_of
from games.check_in.items import load_progress
from plugins.actions import ActionRequest, ActionResult, perform, replay
from plugins.antifraud import Player
from plugins.contracts import Campaign, CampaignConfig
from plugins.errors import (
    AlreadyCheckedInError,
    CampaignNotOpenError,
    MakeUpNotAllowedError,
    NoChancesLeftError,
    PointsInsufficientError,
)
from plugins.store import ActionItem
from plugins.web.routing import heading

GAME = "check-in"
CHECK_IN_ERRORS = (CampaignNotOpenError, AlreadyCheckedInError)
"""What a check-in refuses with of its own (for the route's document)."""
MAKE_UP_ERRORS = (*CHECK_IN_ERRORS, MakeUpNotAllowedError, NoChancesLeftError, PointsInsufficientError)
"""What a make-up refuses with of its own: a check-in's, and its own rules, count and cost."""


def rules_of(campaign: Campaign) -> CheckInConfig:
    return campaign.section(GAME, CheckInConfig)


def campaign_days(config: CampaignConfig) -> tuple[date, date]:
    """The campaign's first and last local days."""
    last = config.aware(config.ends_at) - timedelta(microseconds=1)
    return config.local_day(config.aware(config.starts_at)), config.local_day(last)


def check_in(
    campaign: Campaign, player: Player, key: str, body: dict[str, Any], now: datetime, rng: Random,
) -> ActionResult:
    """Today's check-in for `player`, exactly once per idempotency `key` and once per day."""
    rules = rules_of(campaign)
    campaign.require_open(now)
    today = campaign.config.local_day(now)
    cycle = cycle_of(rules, campaign_days(campaign.config)[0], today)
    return _act(campaign, rules, player, key, {"action": CHECKED} | body, now, rng,
                Target(CHECKED, today, cycle))


def make_up(
    campaign: Campaign, player: Player, key: str, day: date, body: dict[str, Any], now: datetime,
    rng: Random,
) -> ActionResult:
    """Check in on a missed past day of the current cycle, within the cycle's make-ups."""
    rules = rules_of(campaign)
    campaign.require_open(now)
    if not rules.make_ups.per_cycle:
        raise MakeUpNotAllowedError("make-ups are off in this campaign")
    first = campaign_days(campaign.config)[0]
    today = campaign.config.local_day(now)
    cycle = cycle_of(rules, first, today)
    if day >= today:
        raise MakeUpNotAllowedError("only a past day can be made up; check in today instead"
                                    if day == today else "a future day cannot be made up")
    if day not in cycle:
        raise MakeUpNotAllowedError(f"only days of the current cycle ({cycle.start} to "
                                    f"{cycle.end}) can be made up")
    if day < first:
        raise MakeUpNotAllowedError(f"the campaign had not started on {day}")
    return _act(campaign, rules, player, key, {"action": MADE_UP} | body, now, rng,
                Target(MADE_UP, day, cycle))


def _act(
    campaign: Campaign, rules: CheckInConfig, player: Player, key: str, body: dict[str, Any],
    now: datetime, rng: Random, target: Target,
) -> ActionResult:
    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key, body=body, now=now)
    attempt = CheckInAttempt(campaign, rules, player, target, now, rng, (GAME, key),
                             channel=body.get("channel"))
    try:
        attempt.refuse_early()
        return perform(request, attempt.plan, attempt.recover)
    except (AlreadyCheckedInError, NoChancesLeftError) as refused:
        # The day may be taken by this very key (a retry, or a twin request that won while
        # this one re-read): then the answer is the first one, not a refusal.
        try:
            return replay(request)
        except ActionItem.DoesNotExist:
            raise refused from None


def calendar(campaign: Campaign, rules: CheckInConfig, member_id: str, now: datetime) -> dict[str, Any]:
    """The current cycle day by day, the streak and the next milestone (one GetItem)."""
    first, last = campaign_days(campaign.config)
    today = campaign.config.local_day(now)
    cycle = cycle_of(rules, first, today)
    progress = advance(rules, load_progress(campaign.id, member_id, cycle.id), cycle)
    left = max(rules.make_ups.per_cycle - progress.make_ups, 0)
    days = []
    for day in cycle.days():
        kind = progress.days.get(day.isoformat())
        if kind is not None:
            status = "checked" if kind == CHECKED else "made_up"
        elif not first <= day <= last:
            status = "closed"
        else:
            status = "today" if day == today else "missed" if day < today else "upcoming"
        days.append({"date": day.isoformat(), "day": cycle.day_of(day), "status": status,
                     "reward": describe(rules.day_reward(cycle.day_of(day)), campaign.config.zone),
                     "can_make_up": status == "missed" and left > 0})
    streak = current_streak(rules, progress, today)
    ahead = [m.streak for m in rules.milestones
             if m.streak > streak and m.streak not in progress.milestones]
    upcoming = min(ahead, default=None)
    return {
        "cycle": {"kind": rules.cycle, "start": cycle.start.isoformat(), "end": cycle.end.isoformat()},
        "today": today.isoformat(), "checked_today": progress.checked(today), "streak": streak,
        "milestones_reached": list(progress.milestones),
        "next_milestone": None if upcoming is None
        else {"streak": upcoming, "days_to_go": upcoming - streak},
        "make_ups": {"per_cycle": rules.make_ups.per_cycle, "used": progress.make_ups,
                     "left": left, "cost_points": rules.make_ups.cost_points},
        "days": days,
    }


def page(campaign: Campaign, rules: CheckInConfig, now: datetime, member_id: str | None) -> dict[str, Any]:
    """What the page needs: the rules and rewards, and with a player his calendar."""
    box, zone = rules.blind_box, campaign.config.zone
    return {
        **heading(campaign, now),
        "rules": {"cycle": rules.cycle, "cycle_days": rules.cycle_days,
                  "streak_scope": rules.streak_scope, "on_miss": rules.on_miss,
                  "wheel_chances": rules.wheel_chances},
        "daily_reward": describe(rules.daily_reward, zone),
        "day_rewards": [{"day": d.day, "reward": describe(d.reward, zone)} for d in rules.day_rewards],
        "milestones": [{"streak": m.streak, "reward": describe(m.reward, zone),
                        "wheel_chances": m.wheel_chances} for m in rules.milestones],
        "make_ups": rules.make_ups.model_dump(),
        "blind_box": None if box is None else {
            "prizes": [p.public(campaign.config.zone) for p in box.prizes]},
        "calendar": None if member_id is None else calendar(campaign, rules, member_id, now),
    }
