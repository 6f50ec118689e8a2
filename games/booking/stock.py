"""A day's stock (and the optional campaign total): a sharded allowance (`plugins.allowance`)
of `shards` items per period.

Stock items are made lazily: the first booking of a day (per loaded config) seeds that day's
shards, split evenly, in one transaction of conditional puts (attribute_not_exists): the
first seeder wins, every later one is cancelled harmlessly, so the stock is seeded exactly
once. The day is then remembered in `Campaign.memo`, and every later booking is one
transaction. A booking takes a unit from a random shard not known empty; a failed condition
marks that shard empty (in memo) and the next attempt tries another, until none is left:
SOLD_OUT. The total booked never exceeds the seeded quantity, since every unit is a
conditional decrement of a shard that never goes below zero.
"""

from __future__ import annotations

from contextlib import suppress

from games.booking.config import BookingConfig
from games.booking.items import TOTAL, BookingItem, stock_key
from plugins.allowance import Allowance, Remaining
from plugins.contracts import Campaign
from plugins.errors import SoldOutError
from plugins.prize_pool.allowances import split
from plugins.store import AllowanceItem, Transaction, TransactionCancelledError

__all__ = ["ensure_seeded", "give_back", "given_back", "sold_out", "sold_out_error", "stock"]


def stock(campaign: Campaign, section: BookingConfig, period: str) -> Allowance:
    """The stock of a day (`period` = yyyy-mm-dd) or of the total (`ALL`); debits are tagged
    `stock:<period>:<shard>`."""
    shards = Remaining(f"stock:{period}:", lambda shard: stock_key(campaign.id, period, shard),
                       section.shards)
    return Allowance.of(campaign.memo, shards)


def sold_out(campaign: Campaign, section: BookingConfig, period: str) -> bool:
    """Whether every shard of `period` is known empty in this process."""
    return stock(campaign, section, period).exhausted(1)


def sold_out_error(period: str) -> SoldOutError:
    return SoldOutError(f"sold out for {period}" if period != TOTAL else "sold out for good")


def ensure_seeded(campaign: Campaign, section: BookingConfig, periods: list[str]) -> None:
    """Seed each period's shards unless this process knows they are (one extra round trip
    per period and loaded config, on the first booking only)."""
    seeded: set[str] = campaign.memo.setdefault(("booking", "seeded"), set())
    for period in periods:
        if period in seeded:
            continue
        amount = section.total_quantity if period == TOTAL else section.day_quantity
        tx = Transaction()
        for shard, units in enumerate(split(int(amount or 0), section.shards)):
            item = AllowanceItem(*stock_key(campaign.id, period, shard), allotted=units, remaining=units)
            tx.put(f"seed:{shard}", item, AllowanceItem.pk.does_not_exist())
        with suppress(TransactionCancelledError):  # seeded before, by this or another process
            tx.commit()
        seeded.add(period)


def _sources(booking: BookingItem) -> list[tuple[str, int, str]]:
    """(period, shard, refund tag) of each stock item that gave the booking its unit."""
    found = [(str(booking.day), int(booking.shard), "stock:day:")]
    if booking.total_shard is not None:
        found.append((TOTAL, int(booking.total_shard), "stock:total:"))
    return found


def give_back(tx: Transaction, campaign: Campaign, section: BookingConfig, booking: BookingItem) -> None:
    """Return the booking's unit to the shards it came from (the caller's transaction makes
    it once)."""
    for period, shard, tag in _sources(booking):
        stock(campaign, section, period).shards.refund(tx, tag, {shard: 1})


def given_back(campaign: Campaign, section: BookingConfig, booking: BookingItem) -> None:
    """Once the give-back committed: its shards may pay again, as far as this process knows."""
    for period, shard, _ in _sources(booking):
        stock(campaign, section, period).forget([shard])
