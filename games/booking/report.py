"""The booking's figures for the campaign report (docs/console.md, "The report").

One `Scan` of the table, filtered to this campaign's bookings (`BKB#<campaign>#…` in the
members' partitions).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from games.booking.items import BookingItem, bookings_prefix
from plugins.contracts import Campaign

__all__ = ["report"]


def report(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """Bookings by state and the pick-up rate: picked up / (bookings - cancelled). A booking
    still `booked` after its pick-up window counts as expired, swept or not."""
    bookings = BookingItem.scan(BookingItem.sk.startswith(bookings_prefix(campaign.id))
                                & (BookingItem.campaign_id == campaign.id))
    states: Counter[str] = Counter()
    epoch = int(now.timestamp())
    for booking in bookings:
        state = str(booking.state)
        states["expired" if state == "booked" and int(booking.pickup_until) <= epoch else state] += 1
    total = sum(states.values())
    kept = total - states["cancelled"]
    return {
        "bookings": total,
        "booked": states["booked"],
        "picked_up": states["picked_up"],
        "cancelled": states["cancelled"],
        "expired": states["expired"],
        "pickup_rate": round(states["picked_up"] / kept, 4) if kept else 0.0,
    }
