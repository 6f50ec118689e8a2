"""The diminishing rule and its window (pure functions of config and time, unit-tested)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

from games.red_packet.config import GAME, Diminishing
from plugins.contracts import Campaign
from plugins.types import cents

__all__ = ["GRABS_QUOTA", "PACKETS_QUOTA", "WINDOW_COUNTER", "diminished", "unspent", "window_period"]

PACKETS_QUOTA = f"{GAME}:packets"
GRABS_QUOTA = f"{GAME}:grabs"
WINDOW_COUNTER = f"{GAME}:grab-window"


def diminished(part: int, earlier: int, rule: Diminishing | None) -> int:
    """What a grabber gets of a `part` (cents) after `earlier` grabs in the window: the part
    times the factor for this grab, never below the floor; past the factors, the floor; never
    more than the part itself."""
    if rule is None:
        return part
    floor = cents(rule.floor)
    if earlier < len(rule.factors):
        share = int((Decimal(part) * rule.factors[earlier]).to_integral_value(ROUND_FLOOR))
        return min(part, max(floor, share))
    return min(part, floor)


def window_period(window: str, campaign: Campaign, now: datetime) -> tuple[str, int]:
    """The window a grab counts in (the campaign's local day, or ISO week) and a TTL for its
    counter (two days after the window ends)."""
    day = campaign.config.local_day(now)
    if window == "week":
        year, week, weekday = day.isocalendar()
        period, ends = f"{year}-W{week:02d}", day + timedelta(days=8 - weekday)
    else:
        period, ends = day.isoformat(), day + timedelta(days=1)
    midnight = datetime.combine(ends, time(), tzinfo=campaign.config.zone)
    return period, int(midnight.timestamp()) + 2 * 86400


def unspent(total: int, reserved: int, handed_out: int, bonus_paid: int) -> int:
    """Cents a packet took when made (its total and the sharer's reserved cash bonus) and did
    not pay out (to grabbers, as the bonus): what its expiry gives back."""
    return total + reserved - handed_out - bonus_paid
