"""Store staff verify a booking at pick-up [核销] by its code: a plain service function, so the
route here and the console API call the same thing.

One read (the code item: staff only know the code, and it carries what the write needs) and
one transaction: booked → picked_up, conditional on the state and on now being inside the
pick-up window, and the expiry entry dropped. A booking verifies once: a second (or a
concurrent) verify fails the condition, reads the booking and is told why (ALREADY_PICKED_UP,
BOOKING_CANCELLED, BOOKING_EXPIRED, PICKUP_NOT_OPEN). A verify sent with an idempotency key
keeps its answer in the same transaction: the retry of a verify whose answer was lost gets
that answer back (replayed), not ALREADY_PICKED_UP.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from games.booking.config import GAME
from games.booking.errors import CodeNotFoundError, NotInPickupWindowError
from games.booking.items import EXPIRY, BookingItem, CodeItem, booking_key, code_key, expiry_ref
from games.booking.rules import SETTLED, booking_of, booking_state, refuse_if_settled
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.errors import ConflictError, ForbiddenError
from plugins.idempotency import ActionResult, commit_once, operation
from plugins.identity.callers import STAFF, Operator
from plugins.store import Transaction, TransactionCancelledError

__all__ = ["VERIFY_ERRORS", "VerifiedView", "verify"]

VERIFY_ERRORS = (CodeNotFoundError, NotInPickupWindowError, *SETTLED)
"""What a pick-up refuses with of its own (for the routes' documents: the function's, the console's)."""


class VerifiedView(BaseModel):
    """What staff are answered: the booking, picked up (the function's route and the console's)."""

    booking_id: str
    code: str
    state: str
    day: str
    store_id: str | None
    member_id: str
    verified_by: str
    verified_at: str


def verify(campaign: Campaign, code: str, staff: Operator, now: datetime,
           key: str) -> ActionResult:
    """Mark the booking with pick-up `code` picked up by `staff`, who must serve in its
    pick-up store (and cover the campaign); what staff hand over. A retry of `key` (the
    request's Idempotency-Key) answers the first verify again."""
    if staff.role != STAFF:
        raise ForbiddenError("only store staff verify bookings")
    staff.require_campaign(campaign.id)
    booking_of(campaign)
    code = code.strip().upper()
    once = operation(staff.name, "bookings/verify", key,
                     {"campaign_id": campaign.id, "code": code}, now, campaign.id, campaign.version,
                     campaign.config.zone)
    try:
        entry = CodeItem.get(*code_key(campaign.id, code), consistent_read=True)
    except CodeItem.DoesNotExist:
        raise CodeNotFoundError("no booking has this pick-up code") from None
    staff.require_store(entry.store_id)
    member, booking_id = str(entry.member_id), str(entry.booking_id)
    key_of_booking = booking_key(member, campaign.id, booking_id)
    moment = int(now.timestamp())
    tx = Transaction()
    tx.update("booking", BookingItem(*key_of_booking),
              [BookingItem.state.set("picked_up"), BookingItem.changed_at.set(now),
               BookingItem.verified_by.set(staff.name)],
              (BookingItem.state == "booked") & (BookingItem.pickup_from <= moment)
              & (BookingItem.pickup_until > moment))
    EXPIRY.drop(tx, "expiry", campaign.id, expiry_ref(member, booking_id), int(entry.pickup_until))
    tx.tally.game = GAME
    tx.tally.count("picked_up")
    tx.tally.by_hour("picked_up_due", int(entry.pickup_until))
    result = {"booking_id": booking_id, "code": code, "state": "picked_up", "day": entry.day,
              "store_id": entry.store_id, "member_id": member, "verified_by": staff.name,
              "verified_at": stamp(now, campaign.config.zone)}
    try:
        return commit_once(tx, result, once)
    except TransactionCancelledError:
        _refuse(BookingItem.get(*key_of_booking, consistent_read=True), now)
        raise ConflictError("the booking changed meanwhile, retry") from None


def _refuse(booking: BookingItem, now: datetime) -> None:
    refuse_if_settled(booking_state(booking, now))
    if now.timestamp() < booking.pickup_from:
        raise NotInPickupWindowError("the pick-up window has not opened yet")
