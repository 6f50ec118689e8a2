"""When a day may be booked, the state a booking shows as of now (lazy expiry), and the
views pages get."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from games.booking.config import GAME, BookingConfig
from games.booking.errors import (
    BookingCancelledError,
    BookingClosedError,
    BookingExpiredError,
    DayNotBookableError,
    PickedUpError,
    StoreUnknownError,
)
from games.booking.items import BookingItem
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.types import money, yuan

SETTLED = (PickedUpError, BookingCancelledError, BookingExpiredError)
"""What a booking no longer booked answers a cancel or a pick-up (`refuse_if_settled`)."""
__all__ = ["SETTLED", "booking_of", "booking_state", "booking_view", "check_bookable", "is_bookable_day",
           "pick_store", "public_rules", "refuse_if_settled"]


def booking_of(campaign: Campaign) -> BookingConfig:
    return campaign.section(GAME, BookingConfig)


def is_bookable_day(campaign: Campaign, section: BookingConfig, day: date, now: datetime) -> bool:
    """Whether `day` may still be booked as of `now` (the hours aside)."""
    config, rules = campaign.config, section.booking
    today = config.local_day(now)
    first = max(rules.first_day or date.min, config.local_day(config.aware(config.starts_at)))
    last = min(rules.last_day or date.max, config.local_day(config.aware(config.ends_at)))
    return (today <= day <= today + timedelta(days=rules.days_ahead) and first <= day <= last
            and day.isoweekday() in rules.weekdays)


def check_bookable(campaign: Campaign, section: BookingConfig, day: date, now: datetime) -> None:
    """Raise what stops a booking of `day` now (nothing is written)."""
    campaign.require_open(now)
    hour = now.astimezone(campaign.config.zone).hour
    if not section.booking.from_hour <= hour < section.booking.until_hour:
        raise BookingClosedError(f"bookings are taken from {section.booking.from_hour}:00 "
                                 f"to {section.booking.until_hour}:00")
    if not is_bookable_day(campaign, section, day, now):
        raise DayNotBookableError(f"{day.isoformat()} cannot be booked")


def pick_store(section: BookingConfig, store_id: str | None) -> str | None:
    """The pick-up store: the one named, or the only one; None for delivery."""
    fulfil = section.fulfilment
    if fulfil.method != "store":
        if store_id is not None:
            raise StoreUnknownError("this item is delivered, not picked up in a store")
        return None
    ids = [store.id for store in fulfil.stores]
    if store_id is None and len(ids) == 1:
        return ids[0]
    if store_id not in ids:
        raise StoreUnknownError(f"store_id must be one of {', '.join(ids)}")
    return store_id


def booking_state(booking: BookingItem, now: datetime) -> str:
    """booked, cancelled, picked_up or expired: a booking past its pick-up window is expired
    to every reader before any sweep."""
    if booking.state == "booked" and now.timestamp() >= booking.pickup_until:
        return "expired"
    return str(booking.state)


def refuse_if_settled(state: str) -> None:
    """The error a cancel or a pick-up gets for a booking no longer booked (its `booking_state`)."""
    if state == "picked_up":
        raise PickedUpError("this booking was already picked up")
    if state == "cancelled":
        raise BookingCancelledError("this booking was cancelled")
    if state == "expired":
        raise BookingExpiredError("this booking's pick-up window is over")


def booking_view(booking: BookingItem, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """A booking as the player sees it, its times in the campaign's zone `zone`."""
    return {"booking_id": booking.booking_id, "day": booking.day, "state": booking_state(booking, now),
            "code": booking.code, "store_id": booking.store_id, "price": yuan(int(booking.price)),
            "pickup_from": stamp(int(booking.pickup_from), zone),
            "pickup_until": stamp(int(booking.pickup_until), zone),
            "booked_at": stamp(booking.booked_at, zone)}


def public_rules(section: BookingConfig) -> dict[str, Any]:
    """The item, price and windows as the page shows them."""
    return {"item": section.item.model_dump(mode="json"), "price": money(section.price),
            "day_quantity": section.day_quantity, "limit_per": section.limit_per,
            "booking": section.booking.model_dump(mode="json"),
            "pickup": section.pickup.model_dump(mode="json"),
            "fulfilment": section.fulfilment.model_dump(mode="json")}
