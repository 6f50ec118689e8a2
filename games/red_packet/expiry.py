"""Expiry: lazy for players, swept for money.

Players see a packet past its time as expired at once (`views.packet_state`; a grab is then
PACKET_EXPIRED, and the grab's transaction is conditional on `expires > now` anyway). The
money comes back through `expire_due(now)`, which a scheduled worker calls: it reads the
daily expiry buckets written when each packet was made (no scan, no GSI), and for each
packet due marks it expired and returns its unspent cents (unclaimed parts, what diminishing
held back, an unearned cash bonus) to the shards that paid for it (campaign budget, packets'
budget, or both; with neither, it is only recorded on the packet), in one transaction
conditional on the packet still being open with the grab count read. Exactly once, however
often and however concurrently it runs.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime, timedelta

from pynamodb.exceptions import PutError

from games.red_packet.fund import fund_refund
from games.red_packet.items import (
    CURSOR_KEY,
    EXPIRY_SHARDS,
    ExpiryItem,
    PacketItem,
    SweepCursorItem,
    day_of,
    due_by,
    expiry_bucket,
    expiry_key,
    packet_key,
)
from plugins.prize_pool.budget import refund
from plugins.store import Transaction, TransactionCancelledError

__all__ = ["expire_due", "expire_packet"]

ATTEMPTS = 5
FIRST_LOOKBACK = timedelta(days=31)


def _days(first: str, last: str) -> list[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=d)).isoformat() for d in range((end - start).days + 1)]


def expire_packet(campaign_id: str, packet_id: str, now: datetime) -> bool | None:
    """Expire one packet due by `now` and give back what it did not spend.

    True when this call expired it, False when it was already expired (or is gone), None
    when it is not due yet or kept moving under concurrent grabs (the next sweep retries).
    """
    key = packet_key(campaign_id, packet_id)
    for _ in range(ATTEMPTS):
        try:
            packet = PacketItem.get(*key, consistent_read=True)
        except PacketItem.DoesNotExist:
            return False
        if packet.state != "open":
            return False
        if packet.expires > now.timestamp():
            return None
        unspent = packet.unspent
        tx = Transaction()
        tx.update("packet", PacketItem(*key),
                  [PacketItem.state.set("expired"), PacketItem.returned.set(unspent),
                   PacketItem.expired_at.set(now)],
                  (PacketItem.state == "open") & (PacketItem.grabbed == int(packet.grabbed)))
        paid = packet.debits or {}
        refund(tx, campaign_id, _back(paid.get("budget", {}), unspent))
        fund_refund(tx, campaign_id, _back(paid.get("fund", {}), unspent))
        tx.delete("index", ExpiryItem(*expiry_key(campaign_id, packet_id, int(packet.expires))))
        try:
            tx.commit()
            return True
        except TransactionCancelledError:
            continue
    return None


def _back(debits: dict[str, int], amount: int) -> dict[int, int]:
    """`amount` cents spread back over the shards that paid, none above what it paid."""
    back: dict[int, int] = {}
    for shard, paid in sorted((int(s), int(c)) for s, c in debits.items()):
        give = min(paid, amount)
        if give > 0:
            back[shard] = give
            amount -= give
    return back


def expire_due(now: datetime, *, lookback: timedelta = FIRST_LOOKBACK) -> int:
    """Sweep every packet whose lifetime ended by `now`; return how many this call expired.

    Queries each day bucket from the cursor (the oldest day that may still hold work; on
    the very first run, `lookback` ago) to today, `EXPIRY_SHARDS` Queries a day, each for
    the entries due by `now` only; then moves the cursor to the oldest day where a packet
    could not be settled (concurrent grabs), else to today.
    """
    today = day_of(int(now.timestamp()))
    try:
        first: str | None = str(SweepCursorItem.get(*CURSOR_KEY, consistent_read=True).day)
    except SweepCursorItem.DoesNotExist:
        first = None
    start = min(first or day_of(int((now - lookback).timestamp())), today)
    expired, pending = 0, None
    for day in _days(start, today):
        for shard in range(EXPIRY_SHARDS):
            due = ExpiryItem.query(expiry_bucket(day, shard), ExpiryItem.sk < due_by(int(now.timestamp())),
                                   consistent_read=True)
            for entry in due:
                outcome = expire_packet(entry.campaign_id, entry.packet_id, now)
                if outcome is None:
                    pending = pending or day
                elif outcome:
                    expired += 1
                else:
                    entry.delete()  # expired meanwhile by another sweep: the entry is stale
    _move_cursor(first, pending or today)
    return expired


def _move_cursor(old: str | None, new: str) -> None:
    """Move the cursor if nobody moved it meanwhile (a concurrent sweep covered the same
    hours: losing the race is harmless)."""
    if old == new:
        return
    item = SweepCursorItem(*CURSOR_KEY, day=new)
    condition = (SweepCursorItem.pk.does_not_exist() if old is None
                 else SweepCursorItem.day == old)
    with suppress(PutError):
        item.save(condition)
