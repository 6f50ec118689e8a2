"""The booking's own refusals; like every GameError they answer with the shared envelope."""

from __future__ import annotations

from plugins.errors import GameError

__all__ = [
    "AlreadyBookedError",
    "BookingCancelledError",
    "BookingClosedError",
    "BookingExpiredError",
    "BookingNotFoundError",
    "CodeNotFoundError",
    "DayNotBookableError",
    "NotInPickupWindowError",
    "PickedUpError",
    "SoldOutError",
    "StoreUnknownError",
]


class DayNotBookableError(GameError):
    """The day asked for is not one the campaign takes bookings for (past, too far ahead,
    not a bookable weekday, outside the campaign)."""

    code = "DAY_NOT_BOOKABLE"
    status = 422


class BookingClosedError(GameError):
    """Bookings are not taken at this hour."""

    code = "BOOKING_CLOSED"
    status = 403


class StoreUnknownError(GameError):
    """The store named is not one of the campaign's pick-up stores (or none was named)."""

    code = "STORE_UNKNOWN"
    status = 422


class SoldOutError(GameError):
    """Every unit of that day (or of the campaign) is booked."""

    code = "SOLD_OUT"
    status = 409


class AlreadyBookedError(GameError):
    """The player already holds a booking for that day (or in this campaign)."""

    code = "ALREADY_BOOKED"
    status = 409


class BookingNotFoundError(GameError):
    """The player holds no booking with this id in this campaign."""

    code = "BOOKING_NOT_FOUND"
    status = 404


class CodeNotFoundError(GameError):
    """No booking has this pick-up code."""

    code = "CODE_NOT_FOUND"
    status = 404


class BookingCancelledError(GameError):
    """The booking is cancelled (cancelled twice, or verified after a cancel)."""

    code = "BOOKING_CANCELLED"
    status = 409


class PickedUpError(GameError):
    """The booking was already picked up (verified)."""

    code = "ALREADY_PICKED_UP"
    status = 409


class BookingExpiredError(GameError):
    """The booking's pick-up window is over."""

    code = "BOOKING_EXPIRED"
    status = 410


class NotInPickupWindowError(GameError):
    """The pick-up window has not opened yet."""

    code = "PICKUP_NOT_OPEN"
    status = 409
