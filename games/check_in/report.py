"""The check-in game's section of the campaign report (docs/console.md, "The report"), from
what its actions tallied: check-ins, make-ups, the members who checked in, and the streak
length each check-in reached."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from plugins.contracts import Campaign

__all__ = ["report"]

STREAK = "streak:"


def report(campaign: Campaign, figures: Mapping[str, int], now: datetime) -> dict[str, Any]:
    """Check-ins and make-ups; how many check-ins reached each streak length (a member who
    reached 7 days passed through 1 to 7), and the longest streak reached."""
    reached = {int(name.removeprefix(STREAK)): n for name, n in figures.items()
               if name.startswith(STREAK) and n}
    return {
        "members": figures.get("members", 0),
        "check_ins": figures.get("check_ins", 0),
        "make_ups": figures.get("make_ups", 0),
        "streaks_reached": {str(length): reached[length] for length in sorted(reached)},
        "max_streak": max(reached, default=0),
    }
