"""A day's stock (and the optional campaign total), sharded over `shards` allowance items.

Stock items are made lazily: the first booking of a day (per loaded config) seeds that day's
shards, split evenly, in one transaction of conditional puts (attribute_not_exists): the
first seeder wins, every later one is cancelled harmlessly, so the stock is seeded exactly
once. The day is then remembered in `Campaign.memo`, and every later booking is one
transaction. A booking takes a unit from a random shard not known to be empty; a cancelled
condition marks that shard empty (in memo) and the next attempt tries another, until none is
left: SOLD_OUT. The total booked never exceeds the seeded quantity, since every unit is a
conditional decrement of a shard that never goes below zero.
"""

from __future__ import annotations

from contextlib import suppress
from random import Random

from games.booking.config import BookingConfig
from games.booking.errors import SoldOutError
from games.booking.items import TOTAL, stock_key
from plugins.contracts import Campaign
from plugins.prize_pool.allowances import split
from plugins.store import AllowanceItem, Transaction, TransactionCancelledError

__all__ = ["empty_shards", "ensure_seeded", "give_back", "sold_out", "take"]


def empty_shards(campaign: Campaign, period: str) -> set[int]:
    """Shards of a day (or of the total) known empty in this process."""
    found: set[int] = campaign.memo.setdefault(("booking", "empty", period), set())
    return found


def sold_out(campaign: Campaign, section: BookingConfig, period: str) -> bool:
    return len(empty_shards(campaign, period)) >= section.shards


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


def take(tx: Transaction, campaign: Campaign, section: BookingConfig, period: str, rng: Random,
         tag: str) -> int:
    """Take one unit from a random shard of `period` not known empty; the shard taken."""
    free = sorted(set(range(section.shards)) - empty_shards(campaign, period))
    if not free:  # another request of this process found the last shard empty meanwhile
        raise SoldOutError(f"sold out for {period}" if period != TOTAL else "sold out for good")
    shard = rng.choice(free)
    tx.update(tag, AllowanceItem(*stock_key(campaign.id, period, shard)),
              [AllowanceItem.remaining.add(-1)], AllowanceItem.remaining >= 1)
    return shard


def give_back(tx: Transaction, campaign: Campaign, period: str, shard: int, tag: str) -> None:
    """Return one unit to the shard it came from (the caller's transaction makes it once)."""
    tx.update(tag, AllowanceItem(*stock_key(campaign.id, period, shard)),
              [AllowanceItem.remaining.add(1)], AllowanceItem.pk.exists())
