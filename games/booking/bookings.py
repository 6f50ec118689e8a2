"""Booking a unit and cancelling it: player actions through `plugins.actions.perform`.

A booking is ONE transaction once its day is seeded (see `stock`): the action record and
guards, one unit off a day shard (and off a total shard when a total is set), the one-per-day
(or per-campaign) marker (attribute_not_exists), the booking, its pick-up code
(attribute_not_exists: unique) and its expiry index entry. A cancel must read the booking
first (which shards gave the unit, and to tell the player why a cancel is refused): one
consistent BatchGetItem of the booking and the action record, then one transaction making
booked → cancelled (conditional), giving the unit back, releasing the marker and dropping
the expiry entry, so the unit comes back exactly once however often or concurrently it runs.
"""

from __future__ import annotations

from datetime import date
from random import Random
from typing import Any

from games.booking.config import GAME, BookingConfig
from games.booking.errors import (
    AlreadyBookedError,
    BookingClosedError,
    BookingNotFoundError,
    DayNotBookableError,
    StoreUnknownError,
)
from games.booking.items import (
    EXPIRY,
    TOTAL,
    BookingItem,
    CodeItem,
    booking_key,
    code_key,
    expiry_ref,
    marker_key,
)
from games.booking.rules import (
    SETTLED,
    booking_of,
    booking_state,
    booking_view,
    check_bookable,
    pick_store,
    refuse_if_settled,
)
from games.booking.stock import ensure_seeded, give_back, given_back, sold_out, sold_out_error, stock
from plugins.actions import ActionRequest, ActionResult, perform, replay, replay_or
from plugins.errors import CampaignNotOpenError, SoldOutError
from plugins.store import ActionItem, MarkerItem, Transaction, TransactionCancelledError, get_many, keys
from plugins.types import cents

__all__ = ["BOOK_ERRORS", "CANCEL_ERRORS", "CODE_ALPHABET", "book", "cancel", "new_code"]

BOOK_ERRORS = (CampaignNotOpenError, BookingClosedError, DayNotBookableError, StoreUnknownError, SoldOutError,
               AlreadyBookedError)
"""What a booking refuses with of its own (for the route's document)."""
CANCEL_ERRORS = (BookingNotFoundError, *SETTLED)
"""What a cancel refuses with of its own: no campaign window, it gives a unit back."""
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud at the counter
CODE_LENGTH = 8


def new_code(rng: Random) -> str:
    """A pick-up code: 8 characters of 32, 40 bits from `rng`, which must be a CSPRNG (the
    runtime's `SystemRandom`) for the code to be unguessable; tests seed it."""
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_booking_id(rng: Random) -> str:
    return f"{rng.getrandbits(64):016x}"


class Booking:
    """One player's booking of one day, across the attempts of one action."""

    def __init__(self, request: ActionRequest, section: BookingConfig, day: date,
                 store_id: str | None, rng: Random) -> None:
        self.request, self.section, self.day, self.store_id, self._rng = (
            request, section, day.isoformat(), store_id, rng)
        self.booking_id = new_booking_id(rng)
        self.code = new_code(rng)
        self.marker = self.day if section.limit_per == "day" else TOTAL
        self._stock = {period: stock(request.campaign, section, period).debit(1, rng)
                       for period in self.periods()}
        self._shards: dict[str, int] = {}

    def periods(self) -> list[str]:
        return [self.day] + ([TOTAL] if self.section.total_quantity is not None else [])

    def plan(self, tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        campaign, now, member = self.request.campaign, self.request.now, self.request.player.member_id
        for period, debit in self._stock.items():
            if debit.exhausted:  # another request of this process found the last shard empty meanwhile
                raise sold_out_error(period)
        self._shards = {period: next(iter(debit.plan(tx))) for period, debit in self._stock.items()}
        start, end = self.section.pickup_window(date.fromisoformat(self.day), campaign.config.zone)
        until = int(end.timestamp())
        tx.put("booking:once", MarkerItem(*marker_key(member, campaign.id, self.marker)),
               MarkerItem.pk.does_not_exist())
        booking = BookingItem(
            *booking_key(member, campaign.id, self.booking_id), campaign_id=campaign.id,
            booking_id=self.booking_id, member_id=member, day=self.day, code=self.code,
            store_id=self.store_id, marker=self.marker, shard=self._shards[self.day],
            total_shard=self._shards.get(TOTAL), price=cents(self.section.price),
            pickup_from=int(start.timestamp()), pickup_until=until, booked_at=now)
        tx.put("booking", booking, BookingItem.pk.does_not_exist())
        tx.put("code", CodeItem(*code_key(campaign.id, self.code), member_id=member,
                                booking_id=self.booking_id, day=self.day, store_id=self.store_id,
                                pickup_until=until), CodeItem.pk.does_not_exist())
        EXPIRY.add(tx, "expiry", campaign.id, expiry_ref(member, self.booking_id), until)
        tx.tally.count("bookings")
        tx.tally.by_hour("booked_due", until)
        audit = {"shards": dict(self._shards), "config_version": campaign.version}
        return booking_view(booking, now, campaign.config.zone), audit

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """Already booked: refused. An empty shard: another one, until none is left. A code
        collision (one in a trillion): a new code."""
        if "booking:once" in cancelled.failed:
            where = "in this campaign" if self.marker == TOTAL else f"for {self.day}"
            raise AlreadyBookedError(f"you already booked {where}")
        retry = False
        for period, debit in self._stock.items():
            if cancelled.any(f"stock:{period}:"):
                if not debit.recover(cancelled):
                    raise sold_out_error(period)
                retry = True
        if "code" in cancelled.failed or "booking" in cancelled.failed:
            self.code, self.booking_id, retry = new_code(self._rng), new_booking_id(self._rng), True
        return retry


def book(request: ActionRequest, day: date, store_id: str | None, rng: Random) -> ActionResult:
    """Book one unit for `day`, exactly once per idempotency key, one per day (or campaign)."""
    campaign = request.campaign
    section = booking_of(campaign)
    check_bookable(campaign, section, day, request.now)
    store = pick_store(section, store_id)
    attempt = Booking(request, section, day, store, rng)
    for period in attempt.periods():
        if sold_out(campaign, section, period):
            return replay_or(request, SoldOutError(f"sold out for {attempt.day}"))
    ensure_seeded(campaign, section, attempt.periods())
    try:
        return perform(request, attempt.plan, attempt.recover)
    except SoldOutError as sold:
        return replay_or(request, sold)


def cancel(request: ActionRequest, booking_id: str) -> ActionResult:
    """Cancel one of the player's bookings before pick-up; its unit returns to stock once."""
    campaign, now, member = request.campaign, request.now, request.player.member_id
    section = booking_of(campaign)
    key = booking_key(member, campaign.id, booking_id)
    found, action = get_many([(BookingItem, *key),
                              (ActionItem, keys.member(member), keys.action(campaign.id, GAME, request.key))],
                             consistent_read=True)
    if action is not None:
        return replay(request)
    if not isinstance(found, BookingItem):
        raise BookingNotFoundError(f"you hold no booking {booking_id} in this campaign")
    booking: BookingItem = found
    refuse_if_settled(booking_state(booking, now))

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        tx.update("booking", BookingItem(*key),
                  [BookingItem.state.set("cancelled"), BookingItem.changed_at.set(now)],
                  (BookingItem.state == "booked") & (BookingItem.pickup_until > int(now.timestamp())))
        give_back(tx, campaign, section, booking)
        tx.delete("marker", MarkerItem(*marker_key(member, campaign.id, booking.marker)))
        EXPIRY.drop(tx, "expiry", campaign.id, expiry_ref(member, booking_id), int(booking.pickup_until))
        tx.tally.count("cancelled")
        tx.tally.by_hour("cancelled_due", int(booking.pickup_until))
        view = booking_view(booking, now, campaign.config.zone) | {"state": "cancelled"}
        return view, {"shard": int(booking.shard)}

    def recover(cancelled: TransactionCancelledError) -> bool:
        if "booking" in cancelled.failed:
            fresh = BookingItem.get(*key, consistent_read=True)
            refuse_if_settled(booking_state(fresh, now))
        return False

    outcome = perform(request, plan, recover)
    if not outcome.replayed:
        given_back(campaign, section, booking)
    return outcome
