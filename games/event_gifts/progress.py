"""A member's progress on the rules, as the tasks page shows it: how many of a rule with a
daily limit he was given today, and whether a rule given once a period was given in the
current one. One BatchGetItem of his counters and markers (a page read, not an action)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from games.event_gifts.service import daily_limit, gifts_of, member_once_key
from plugins.contracts import Campaign
from plugins.store import BaseItem, CounterItem, MarkerItem, get_many, keys

__all__ = ["progress"]


def progress(campaign: Campaign, member_id: str, now: datetime) -> dict[str, dict[str, Any]]:
    """rule id -> {"given_today": n (None without a daily limit), "done": given this period}."""
    member, day = keys.member(member_id), campaign.config.local_day(now).isoformat()
    wanted: list[tuple[type[BaseItem], str, str]] = []
    where: dict[str, tuple[int | None, int | None]] = {}
    for rule in gifts_of(campaign).rules:
        counter = marker = None
        if rule.per_member_per_day:
            counter = len(wanted)
            wanted.append((CounterItem, member, keys.quota(campaign.id, daily_limit(rule).name, day)))
        once = member_once_key(campaign, rule, now)
        if once is not None:
            marker = len(wanted)
            wanted.append((MarkerItem, member, once))
        where[rule.id] = (counter, marker)
    found = get_many(wanted) if wanted else []
    return {rule: {"given_today": None if counter is None else int(getattr(found[counter], "n", 0)),
                   "done": marker is not None and found[marker] is not None}
            for rule, (counter, marker) in where.items()}
