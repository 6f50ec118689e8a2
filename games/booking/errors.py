"""The booking's own refusals; like every GameError they answer with the shared envelope."""

from __future__ import annotations

from plugins.errors import GameError


class DayNotBookableError(GameError, code="DAY_NOT_BOOKABLE", status=422):
    """The day asked for is not one the campaign takes bookings for (past, too far ahead,
    not a bookable weekday, outside the campaign)."""


class BookingClosedError(GameError, code="BOOKING_CLOSED", status=403):
    """Bookings are not taken at this hour."""


class StoreUnknownError(GameError, code="STORE_UNKNOWN", status=422):
    """The store named is not one of the campaign's pick-up stores (or none was named)."""


class AlreadyBookedError(GameError, code="ALREADY_BOOKED", status=409):
    """The player already holds a booking for that day (or in this campaign)."""


class BookingNotFoundError(GameError, code="BOOKING_NOT_FOUND", status=404):
    """The player holds no booking with this id in this campaign."""


class CodeNotFoundError(GameError, code="CODE_NOT_FOUND", status=404):
    """No booking has this pick-up code."""


class BookingCancelledError(GameError, code="BOOKING_CANCELLED", status=409):
    """The booking is cancelled (cancelled twice, or verified after a cancel)."""


class PickedUpError(GameError, code="ALREADY_PICKED_UP", status=409):
    """The booking was already picked up (verified)."""


class BookingExpiredError(GameError, code="BOOKING_EXPIRED", status=410):
    """The booking's pick-up window is over."""


class NotInPickupWindowError(GameError, code="PICKUP_NOT_OPEN", status=409):
    """The pick-up window has not opened yet."""
