"""Expiry: lazy for readers, swept for stock.

A booking past its pick-up window reads as expired at once (`rules.booking_state`), and cancel
and verify are conditional on the window anyway. `expire_due(now)`, the plug-in's job, makes
it so in the store: it reads the day buckets of the expiry index written with each booking
(no scan, no GSI) for the entries due by now, and expires each booking in one transaction
conditional on it still being booked, dropping its index entry; with `resell_expired: true`
and the booked day still bookable, the same transaction gives its unit back to the shard it
came from. Exactly once, however often and however concurrently it runs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from games.booking.config import GAME, BookingConfig
from games.booking.items import (
    EXPIRY_SHARDS,
    TOTAL,
    BookingItem,
    ExpiryItem,
    booking_key,
    day_of,
    expiry_bucket,
    expiry_key,
)
from games.booking.rules import is_bookable_day
from games.booking.stock import empty_shards, give_back
from plugins.campaigns import Campaign
from plugins.errors import GameError
from plugins.runtime import runtime
from plugins.store import Transaction, TransactionCancelledError

__all__ = ["LOOKBACK", "expire_booking", "expire_due"]

LOOKBACK = timedelta(days=14)
ATTEMPTS = 3


def _campaign(campaign_id: str) -> tuple[Campaign, BookingConfig] | None:
    try:
        campaign = runtime.configs.get(campaign_id)
        return campaign, campaign.section(GAME, BookingConfig)
    except GameError:
        return None


def expire_booking(campaign_id: str, member_id: str, booking_id: str, now: datetime) -> bool | None:
    """Expire one booking due by `now`: True when this call did, False when it was not booked
    any more (or is gone), None when it is not due."""
    key = booking_key(member_id, campaign_id, booking_id)
    for _ in range(ATTEMPTS):
        try:
            booking = BookingItem.get(*key, consistent_read=True)
        except BookingItem.DoesNotExist:
            return False
        if booking.state != "booked":
            return False
        if booking.pickup_until > now.timestamp():
            return None
        found = _campaign(campaign_id)
        resell = found is not None and found[1].resell_expired and is_bookable_day(
            found[0], found[1], date.fromisoformat(booking.day), now)
        tx = Transaction()
        tx.update("booking", BookingItem(*key),
                  [BookingItem.state.set("expired"), BookingItem.changed_at.set(now),
                   BookingItem.resold.set(1 if resell else 0)],
                  BookingItem.state == "booked")
        tx.delete("expiry", ExpiryItem(*expiry_key(campaign_id, member_id, booking_id,
                                                   int(booking.pickup_until))))
        if resell and found is not None:
            give_back(tx, found[0], booking.day, int(booking.shard), "stock:day")
            if booking.total_shard is not None:
                give_back(tx, found[0], TOTAL, int(booking.total_shard), "stock:total")
        try:
            tx.commit()
        except TransactionCancelledError:
            continue
        if resell and found is not None:
            empty_shards(found[0], booking.day).discard(int(booking.shard))
        return True
    return None


def expire_due(now: datetime, *, lookback: timedelta = LOOKBACK) -> int:
    """Expire every booking whose pick-up window ended by `now` (index buckets from
    `lookback` ago to today); return how many this call expired."""
    first = date.fromisoformat(day_of(int((now - lookback).timestamp())))
    last = date.fromisoformat(day_of(int(now.timestamp())))
    due = f"{int(now.timestamp()) + 1:010d}"
    expired = 0
    for offset in range((last - first).days + 1):
        day = (first + timedelta(days=offset)).isoformat()
        for shard in range(EXPIRY_SHARDS):
            for entry in ExpiryItem.query(expiry_bucket(day, shard), ExpiryItem.sk < due,
                                          consistent_read=True):
                outcome = expire_booking(str(entry.campaign_id), str(entry.member_id),
                                         str(entry.booking_id), now)
                if outcome:
                    expired += 1
                elif outcome is False:
                    entry.delete()  # settled meanwhile: the entry is stale
    return expired
