"""The booking's section of the campaign report (docs/console.md, "The report"), from what
its actions tallied: bookings, cancellations and pick-ups, each also under the hour its
pick-up window closes, so the expired ones are known without a sweep."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from plugins.contracts import Campaign
from plugins.store import due_by

__all__ = ["report"]


def report(campaign: Campaign, figures: Mapping[str, int], now: datetime) -> dict[str, Any]:
    """Bookings by state and the pick-up rate: picked up / (bookings - cancelled). A booking
    still `booked` after its pick-up window counts as expired, swept or not."""
    total, cancelled = figures.get("bookings", 0), figures.get("cancelled", 0)
    picked_up = figures.get("picked_up", 0)
    expired = (due_by(figures, "booked_due", now) - due_by(figures, "cancelled_due", now)
               - due_by(figures, "picked_up_due", now))
    kept = total - cancelled
    return {
        "bookings": total,
        "booked": total - cancelled - picked_up - expired,
        "picked_up": picked_up,
        "cancelled": cancelled,
        "expired": expired,
        "pickup_rate": round(picked_up / kept, 4) if kept else 0.0,
    }
