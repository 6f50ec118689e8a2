"""Expiry: lazy for players, swept for money.

Players see a packet past its time as expired at once (`views.packet_state`; a grab is then
PACKET_EXPIRED, and the grab's transaction is conditional on `expires > now` anyway). The
money comes back through `expire_due(now)`, which a scheduled worker calls: it sweeps the
expiry due list written when each packet was made (`plugins.expiry`: no scan, no GSI), and for each
packet due marks it expired and returns its unspent cents (unclaimed parts, what diminishing
held back, an unearned cash bonus) to the shards that paid for it (campaign budget, packets'
budget, or both; with neither, it is only recorded on the packet), in one transaction
conditional on the packet still being open with the grab count read. Exactly once, however
often and however concurrently it runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from games.red_packet.fund import fund_refund
from games.red_packet.items import EXPIRY, PacketItem, packet_key
from plugins.expiry import FIRST_LOOKBACK, expire_once
from plugins.prize_pool.budget import refund
from plugins.store import Transaction
from plugins.timebox import UNBOUNDED, Deadline

__all__ = ["expire_due", "expire_packet"]

ATTEMPTS = 5


def expire_packet(campaign_id: str, packet_id: str, now: datetime) -> bool | None:
    """Expire one packet due by `now` and give back what it did not spend.

    True when this call expired it, False when it was already expired (or is gone), None
    when it is not due yet or kept moving under concurrent grabs (the next sweep retries).
    """
    key = packet_key(campaign_id, packet_id)

    def due(packet: PacketItem) -> bool | None:
        if packet.state != "open":
            return False
        return None if packet.expires > now.timestamp() else True

    def expire(packet: PacketItem) -> Transaction:
        unspent = packet.unspent
        tx = Transaction()
        tx.update("packet", PacketItem(*key),
                  [PacketItem.state.set("expired"), PacketItem.returned.set(unspent),
                   PacketItem.expired_at.set(now)],
                  (PacketItem.state == "open") & (PacketItem.grabbed == int(packet.grabbed)))
        paid = packet.debits or {}
        refund(tx, campaign_id, _back(paid.get("budget", {}), unspent))
        fund_refund(tx, campaign_id, _back(paid.get("fund", {}), unspent))
        EXPIRY.drop(tx, "index", campaign_id, packet_id, int(packet.expires))
        return tx

    return expire_once(PacketItem, key, due, expire, ATTEMPTS)


def _back(debits: dict[str, int], amount: int) -> dict[int, int]:
    """`amount` cents spread back over the shards that paid, none above what it paid."""
    back: dict[int, int] = {}
    for shard, paid in sorted((int(s), int(c)) for s, c in debits.items()):
        give = min(paid, amount)
        if give > 0:
            back[shard] = give
            amount -= give
    return back


def expire_due(now: datetime, deadline: Deadline = UNBOUNDED, *,
               lookback: timedelta = FIRST_LOOKBACK) -> int:
    """Sweep every packet whose lifetime ended by `now` (the expiry due list, from its cursor,
    on the very first run from `lookback` ago, until `deadline`); return how many this call
    expired."""
    return EXPIRY.sweep(now, expire_packet, lookback=lookback, deadline=deadline)
