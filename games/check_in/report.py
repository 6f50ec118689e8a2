"""The check-in game's figures for the campaign report (docs/console.md, "The report").

Two `Scan`s of the table, filtered to this campaign's check-in items: the members' progress
(`CHK#<campaign>#STATE`) for the streaks, and the checked days (`CHK#<campaign>#D#…`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from games.check_in.cycles import CHECKED, Progress, advance, current_streak, cycle_of
from games.check_in.items import CheckInDay, CheckInState, state_key
from games.check_in.service import campaign_days, rules_of
from plugins.contracts import Campaign

__all__ = ["report"]


def report(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """Check-ins and make-ups; each member's current streak (as his page shows it on the
    campaign's last day so far): how many members have each length, the average, the longest."""
    rules = rules_of(campaign)
    config = campaign.config
    first, last = campaign_days(config)
    today = min(max(config.local_day(now), first), last)
    cycle = cycle_of(rules, first, today)
    streaks: Counter[int] = Counter()
    states = CheckInState.scan(CheckInState.sk == state_key(campaign.id))
    for item in states:
        stored = Progress(cycle=item.cycle, days=dict(item.days), carry=int(item.carry),
                          make_ups=int(item.make_ups), milestones=tuple(item.milestones),
                          version=int(item.version))
        streaks[current_streak(rules, advance(rules, stored, cycle), today)] += 1
    kinds: Counter[str] = Counter(
        day.kind for day in CheckInDay.scan(CheckInDay.sk.startswith(f"CHK#{campaign.id}#D#")))
    members = sum(streaks.values())
    return {
        "members": members,
        "check_ins": kinds[CHECKED],
        "make_ups": sum(n for kind, n in kinds.items() if kind != CHECKED),
        "streaks": {str(length): n for length, n in sorted(streaks.items())},
        "average_streak": round(sum(k * n for k, n in streaks.items()) / members, 2) if members else 0.0,
        "max_streak": max(streaks, default=0),
    }
