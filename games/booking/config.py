"""The booking's section of a campaign file: the item, its price and daily stock, when it may
be booked, when and how it is picked up (docs/games/booking.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from plugins.allowance import MAX_SHARDS
from plugins.contracts import GameConfig
from plugins.types import Frozen, Money, PositiveInt, Slug, Store

__all__ = ["GAME", "BookingConfig", "BookingWindow", "Delivery", "Item", "PickupWindow", "Store",
           "StorePickup"]

GAME = "booking"
Hour = Annotated[int, Field(ge=0, le=24, description="an hour of the local day, 0-24")]


class Item(Frozen):
    id: Slug
    name: str = Field(min_length=1, max_length=100)
    image: str | None = Field(default=None, max_length=500, description="image URL")


class BookingWindow(Frozen):
    """Which days may be booked, and at what local hours bookings are taken."""

    days_ahead: int = Field(default=0, ge=0, le=30,
                            description="book today up to this many days ahead (0 = today only)")
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default=[1, 2, 3, 4, 5, 6, 7], min_length=1, description="bookable ISO weekdays (1 = Monday)")
    first_day: date | None = Field(default=None, description="first bookable day (default: campaign start)")
    last_day: date | None = Field(default=None, description="last bookable day (default: campaign end)")
    from_hour: Hour = Field(default=0, description="bookings are taken from this local hour")
    until_hour: Hour = Field(default=24, description="until this local hour (exclusive)")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.until_hour <= self.from_hour:
            raise ValueError("until_hour must be after from_hour")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValueError("last_day must not be before first_day")
        return self


class PickupWindow(Frozen):
    """Pick-up runs from the booked day at `from_hour` to day + `days` - 1 at `until_hour`."""

    days: int = Field(default=1, ge=1, le=30, description="1 = on the booked day only")
    from_hour: Hour = 0
    until_hour: Hour = 24

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.days == 1 and self.until_hour <= self.from_hour:
            raise ValueError("until_hour must be after from_hour")
        return self


class StorePickup(Frozen):
    method: Literal["store"] = "store"
    stores: list[Store] = Field(min_length=1, description="where the item may be picked up")


class Delivery(Frozen):
    method: Literal["delivery"] = "delivery"
    label: str = Field(min_length=1, max_length=100, description="what the page says, e.g. courier")


class BookingConfig(GameConfig):
    item: Item
    price: Money
    day_quantity: PositiveInt = Field(le=1_000_000, description="units bookable per day")
    total_quantity: PositiveInt | None = Field(default=None, le=100_000_000,
                                               description="units over the campaign; None = no cap")
    shards: int = Field(default=4, ge=1, le=MAX_SHARDS,
                        description="stock items per day (and for the total), to spread a rush")
    limit_per: Literal["day", "campaign"] = Field(
        default="day", description="a player books at most one per booked day, or one in all")
    booking: BookingWindow = BookingWindow()
    pickup: PickupWindow = PickupWindow()
    fulfilment: StorePickup | Delivery = Field(discriminator="method")
    resell_expired: bool = Field(default=False,
                                 description="an expired booking's unit goes back to its day's stock")

    @model_validator(mode="after")
    def _shards_fit(self) -> Self:
        if self.shards > self.day_quantity:
            raise ValueError("shards must not exceed day_quantity")
        if self.total_quantity is not None and self.shards > self.total_quantity:
            raise ValueError("shards must not exceed total_quantity")
        return self

    def pickup_window(self, day: date, zone: object) -> tuple[datetime, datetime]:
        """The local start and end (exclusive) of the pick-up of a unit booked for `day`."""
        start = datetime.combine(day, time(), tzinfo=zone) + timedelta(hours=self.pickup.from_hour)  # type: ignore[arg-type]
        last = day + timedelta(days=self.pickup.days - 1)
        end = datetime.combine(last, time(), tzinfo=zone) + timedelta(hours=self.pickup.until_hour)  # type: ignore[arg-type]
        return start, end
