"""What an action adds to its campaign's figures, carried by the transaction that does it.

Each layer counts what it knows while it plans its writes (the action runner a play, the
prize pool a prize and its cost, an issuer a coupon, a game its own events) and names the
members a figure counts once (`distinct`: a winner, a new member). The action record keeps
the tally (`audit.tally`), so it commits with the action or not at all; the aggregator
(`plugins.aggregates`) reads it from the table's stream. Nothing is written for it on the
player's path: no counter, no hot key, no extra round trip.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["Tally", "due_by"]

HOUR = "%Y-%m-%dT%H"


def due_by(figures: Mapping[str, int], figure: str, now: datetime) -> int:
    """How many of `figure` (counted `Tally.by_hour`) were due by the start of the hour of `now`."""
    hour = now.astimezone(UTC).strftime(HOUR)
    prefix = f"{figure}@"
    return sum(n for name, n in figures.items() if name.startswith(prefix) and name[len(prefix):] <= hour)


@dataclass
class Tally:
    """Figures (name → amount, money in cents) and the members counted once per figure."""

    figures: Counter[str] = field(default_factory=Counter)
    distinct: set[tuple[str, str]] = field(default_factory=set)
    channel: str | None = None
    game: str | None = None
    """The game the figures belong to, when the record's own is an operation's kind."""

    def count(self, figure: str, amount: int = 1) -> None:
        self.figures[figure] += amount

    def by_hour(self, figure: str, due: int) -> None:
        """Count one under the UTC hour of `due` (epoch seconds), rounded up to the next
        hour: what falls due then (a deadline, an expiry) can be told apart later without a
        sweep, by `due_by`."""
        self.count(f"{figure}@{datetime.fromtimestamp(due + 3599, UTC).strftime(HOUR)}")

    def once(self, figure: str, member_id: str) -> None:
        """Count `member_id` in `figure` once over the campaign, and once per day."""
        self.distinct.add((figure, member_id))

    def as_json(self) -> dict[str, Any]:
        return {"n": {k: v for k, v in sorted(self.figures.items()) if v},
                "once": sorted([figure, member] for figure, member in self.distinct),
                "channel": self.channel, "game": self.game}

    @classmethod
    def from_json(cls, doc: Any) -> Tally:
        """The tally an action record kept (an empty one for records from before tallies)."""
        if not isinstance(doc, dict):
            return cls()
        return cls(Counter({str(k): int(v) for k, v in dict(doc.get("n") or {}).items()}),
                   {(str(f), str(m)) for f, m in doc.get("once") or []},
                   str(doc["channel"]) if doc.get("channel") else None,
                   str(doc["game"]) if doc.get("game") else None)
