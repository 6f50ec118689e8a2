"""The check-in game's own items, in the member's partition of the shared table.

| item | sk (pk is `M#<member>`) |
| --- | --- |
| progress in the current cycle | `CHK#<campaign>#STATE` |
| one checked day (the one-per-day rule) | `CHK#<campaign>#D#<local date>` |
| one milestone reached (once per scope) | `CHK#<campaign>#MS#<cycle start or ALL>#<streak>` |
| make-ups used in a cycle | `Q#<campaign>#check-in:make-ups#<cycle start>` (a `CounterItem`) |
"""

from __future__ import annotations

from datetime import date

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from games.check_in.cycles import Progress
from plugins.store import BaseItem, keys, register_model

MAKE_UPS = "check-in:make-ups"


class CheckInState(BaseItem):
    """A member's progress in a campaign's current cycle. `version` grows by one with every
    check-in or make-up, so a write conditioned on it proves the read it was planned from
    is still the truth."""

    cycle = UnicodeAttribute()
    days = JSONAttribute()
    carry = NumberAttribute(default=0)
    make_ups = NumberAttribute(default=0)
    milestones = JSONAttribute()
    version = NumberAttribute()


class CheckInDay(BaseItem):
    """One checked local day; written only if absent, so a day is checked at most once."""

    kind = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    action_id = UnicodeAttribute()


register_model(CheckInState)
register_model(CheckInDay)


def state_key(campaign_id: str) -> str:
    return f"CHK#{campaign_id}#STATE"


def day_key(campaign_id: str, day: date) -> str:
    return f"CHK#{campaign_id}#D#{day.isoformat()}"


def milestone_key(campaign_id: str, scope: str, streak: int) -> str:
    return f"CHK#{campaign_id}#MS#{scope}#{streak:04d}"


def make_ups_key(campaign_id: str, cycle_id: str) -> str:
    return keys.quota(campaign_id, MAKE_UPS, cycle_id)


def load_progress(campaign_id: str, member_id: str, cycle_id: str) -> Progress:
    """The member's stored progress (one strongly consistent GetItem); empty if none."""
    try:
        item = CheckInState.get(keys.member(member_id), state_key(campaign_id), consistent_read=True)
    except CheckInState.DoesNotExist:
        return Progress(cycle=cycle_id)
    return Progress(cycle=item.cycle, days=dict(item.days), carry=int(item.carry),
                    make_ups=int(item.make_ups), milestones=tuple(item.milestones),
                    version=int(item.version))


def state_item(campaign_id: str, member_id: str, progress: Progress) -> CheckInState:
    return CheckInState(keys.member(member_id), state_key(campaign_id), cycle=progress.cycle,
                        days=progress.days, carry=progress.carry, make_ups=progress.make_ups,
                        milestones=list(progress.milestones), version=progress.version)
