"""Expiry: lazy for readers, swept for stock.

A booking past its pick-up window reads as expired at once (`rules.booking_state`), and cancel
and verify are conditional on the window anyway. `expire_due(now)`, the plug-in's job, makes
it so in the store: it sweeps the expiry due list (`plugins.expiry`) written with each
booking (no scan, no GSI, from the sweep's cursor) for the entries due by now, and expires
each booking in one transaction conditional on it still being booked, dropping its entry;
with `resell_expired: true` and the booked day still bookable, the same transaction gives its
unit back to the shard it came from. Exactly once, however often and however concurrently it runs.
"""

from __future__ import annotations

from datetime import date, datetime

from games.booking.config import GAME, BookingConfig
from games.booking.items import EXPIRY, BookingItem, booking_key, expiry_ref
from games.booking.rules import is_bookable_day
from games.booking.stock import give_back, given_back
from plugins.contracts import Campaign
from plugins.errors import GameError
from plugins.expiry import expire_once
from plugins.runtime import runtime
from plugins.store import Transaction
from plugins.timebox import UNBOUNDED, Deadline

__all__ = ["expire_booking", "expire_due"]

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
    resold: list[tuple[Campaign, BookingConfig, BookingItem]] = []  # what the committed write gave back

    def due(booking: BookingItem) -> bool | None:
        if booking.state != "booked":
            return False
        return None if booking.pickup_until > now.timestamp() else True

    def expire(booking: BookingItem) -> Transaction:
        found = _campaign(campaign_id)
        resell = found is not None and found[1].resell_expired and is_bookable_day(
            found[0], found[1], date.fromisoformat(booking.day), now)
        tx = Transaction()
        tx.update("booking", BookingItem(*key),
                  [BookingItem.state.set("expired"), BookingItem.changed_at.set(now),
                   BookingItem.resold.set(1 if resell else 0)],
                  BookingItem.state == "booked")
        EXPIRY.drop(tx, "expiry", campaign_id, expiry_ref(member_id, booking_id),
                    int(booking.pickup_until))
        resold.clear()
        if resell and found is not None:
            give_back(tx, *found, booking)
            resold.append((*found, booking))
        return tx

    done = expire_once(BookingItem, key, due, expire, ATTEMPTS)
    for campaign, section, booking in resold if done else ():
        given_back(campaign, section, booking)
    return done


def expire_due(now: datetime, deadline: Deadline = UNBOUNDED) -> int:
    """Expire every booking whose pick-up window ended by `now` (the expiry due list, from its
    cursor, until `deadline`); return how many this call expired."""
    return EXPIRY.sweep(now, _expire_entry, deadline=deadline)


def _expire_entry(campaign_id: str, ref: str, now: datetime) -> bool | None:
    member_id, booking_id = ref.split("#", 1)
    return expire_booking(campaign_id, member_id, booking_id, now)
