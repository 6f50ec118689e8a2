"""Leases on queued work (the webhook outbox, the partner-code outbox): an item `pending`
with `attempts` taken so far and `next_attempt_at` (epoch seconds) when it may be tried
again. A worker takes attempt n+1 by one conditional update that also holds the item until
the attempt is surely over, so two workers never make the same attempt; a failed attempt
sets when the next may start, conditional on still holding the lease."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any

from plugins.store.client import LOST_RACE
from plugins.store.models import BaseItem

__all__ = ["postpone", "take_lease"]


def take_lease(item: BaseItem, now: datetime, until: int) -> int | None:
    """Take the item's next attempt, held until `until`; its number, or None when another
    worker took it (or is finishing it) meanwhile."""
    model: Any = type(item)
    attempt = int(getattr(item, "attempts", 0)) + 1
    try:
        item.update([model.attempts.set(attempt), model.next_attempt_at.set(until)],
                    (model.state == "pending") & (model.attempts == attempt - 1)
                    & (model.next_attempt_at <= int(now.timestamp())))
    except LOST_RACE:
        return None
    return attempt


def postpone(item: BaseItem, attempt: int, at: int, error: str) -> None:
    """After failed attempt `attempt`: the next may start at `at`; nothing when the lease ran
    out meanwhile (the next holder decides)."""
    model: Any = type(item)
    with suppress(*LOST_RACE):
        item.update([model.next_attempt_at.set(at), model.last_error.set(error)],
                    (model.state == "pending") & (model.attempts == attempt))
