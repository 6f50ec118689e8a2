"""The booking's own items in the games table, and their keys (docs/games/booking.md).

| item | pk | sk |
| --- | --- | --- |
| one stock shard of a day / of the total (`AllowanceItem`) | `C#<campaign>#BK#<day or ALL>#<shard>` | `A` |
| a booking | `M#<member>` | `BKB#<campaign>#<booking>` |
| the one-per-day (or per-campaign) marker | `M#<member>` | `BKM#<campaign>#<day or ALL>` |
| a pick-up code (unique) | `C#<campaign>#BKC#<code>` | `BKC` |
| a booking due to expire | `BKX#<UTC day>#<shard>` | `<epoch>#<campaign>#<member>#<booking>` |

Stock shards are one partition each, so a rush spreads; a player's bookings and markers sit in
his partition (one Query lists them); codes are keyed by code so staff find a booking in one
read; expiry buckets by day, sorted by time, so a sweep reads only what is due.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from plugins.expiry import DueList
from plugins.store import BaseItem, OfCampaign, OfMember, register_model

__all__ = ["EXPIRY", "TOTAL", "BookingItem", "CodeItem", "booking_key", "bookings_prefix",
           "code_key", "expiry_ref", "marker_key", "stock_key"]

EXPIRY = DueList("BKX")
"""Bookings due to expire, by the end of their pick-up window; dropped when cancelled or
picked up."""
TOTAL = "ALL"


class BookingItem(OfCampaign, OfMember, BaseItem):
    """A booking: `state` booked → cancelled | picked_up | expired, each a conditional
    transition; `shard` / `total_shard` say which stock items gave the unit, so a cancel (or
    a reselling expiry) gives it back exactly there."""

    booking_id = UnicodeAttribute()
    day = UnicodeAttribute()
    code = UnicodeAttribute()
    store_id = UnicodeAttribute(null=True)
    marker = UnicodeAttribute()
    state = UnicodeAttribute(default="booked")
    shard = NumberAttribute()
    total_shard = NumberAttribute(null=True)
    price = NumberAttribute()
    pickup_from = NumberAttribute()
    pickup_until = NumberAttribute()
    booked_at = UTCDateTimeAttribute()
    changed_at = UTCDateTimeAttribute(null=True)
    verified_by = UnicodeAttribute(null=True)
    resold = NumberAttribute(null=True)


class CodeItem(OfMember, BaseItem):
    """A pick-up code, written with attribute_not_exists: the code is unique, and leads staff
    to the booking."""

    booking_id = UnicodeAttribute()
    day = UnicodeAttribute()
    store_id = UnicodeAttribute(null=True)
    pickup_until = NumberAttribute()


for _model in (BookingItem, CodeItem):
    register_model(_model)


def stock_key(campaign_id: str, period: str, shard: int) -> tuple[str, str]:
    """One shard of a day's stock (`period` = yyyy-mm-dd) or of the total (`ALL`)."""
    return f"C#{campaign_id}#BK#{period}#{shard}", "A"


def bookings_prefix(campaign_id: str) -> str:
    return f"BKB#{campaign_id}#"


def booking_key(member_id: str, campaign_id: str, booking_id: str) -> tuple[str, str]:
    return f"M#{member_id}", bookings_prefix(campaign_id) + booking_id


def marker_key(member_id: str, campaign_id: str, period: str) -> tuple[str, str]:
    return f"M#{member_id}", f"BKM#{campaign_id}#{period}"


def code_key(campaign_id: str, code: str) -> tuple[str, str]:
    return f"C#{campaign_id}#BKC#{code}", "BKC"


def expiry_ref(member_id: str, booking_id: str) -> str:
    """A booking in the expiry due list (`EXPIRY`): due when its pick-up window ends."""
    return f"{member_id}#{booking_id}"
