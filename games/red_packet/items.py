"""The red packets' own items in the games table, and their keys (docs/games/red-packet.md).

| item | pk | sk |
| --- | --- | --- |
| a packet (parts, grabs, money) | `C#<campaign>#RP#<packet>` | `RP` |
| a member's own packet / grab | `M#<member>` | `RP#<campaign>#O#<packet>` / `RP#<campaign>#G#<packet>` |
| a reported order's action record | `C#<campaign>#RPORD#<order id>` | `ORD` |
| a packet due to expire (`EXPIRY`) | `RPX#<UTC day of expiry>#<shard>` | `<expiry>#<campaign>#<packet>` |
| the sweep's cursor | `RPX#CURSOR` | `RPX` |

One partition per packet (its grabs never contend with another packet's), the member's own
items in his partition (one Query lists them), expiry buckets by day spread over a few
shards so a rush of new packets is not one hot partition, sorted by expiry time so a sweep
reads only what is due.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    NumberSetAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from games.red_packet.rules import unspent
from plugins.expiry import DueList
from plugins.store import BaseItem, OfCampaign, register_model

__all__ = ["EXPIRY", "PacketItem", "PacketRefItem", "order_key", "packet_key", "ref_key",
           "refs_prefix"]

EXPIRY = DueList("RPX")
"""Packets due to expire, by their end of life; the sweep gives back what they did not pay out."""


class PacketItem(OfCampaign, BaseItem):
    """A shared packet: its parts (split once, at creation) and what became of them.

    `taken` holds the indexes of grabbed parts (a grab is conditional on its part not being
    in it); `grabbed`, `handed_out` and `withheld` count grabs and cents; `bonus` keeps the
    sharer's bonus terms as they were when it was made (`bonus_reserved` cents of it paid for
    up front); `debits` records which budget shards paid for it, so what is not spent goes
    back exactly there.
    """

    packet_id = UnicodeAttribute()
    owner = UnicodeAttribute()
    source = UnicodeAttribute()
    ref = UnicodeAttribute()
    total = NumberAttribute()
    parts: ListAttribute[int] = ListAttribute(of=NumberAttribute)  # type: ignore[arg-type]
    split = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires = NumberAttribute()
    state = UnicodeAttribute(default="open")
    grabbed = NumberAttribute(default=0)
    handed_out = NumberAttribute(default=0)
    withheld = NumberAttribute(default=0)
    taken = NumberSetAttribute(null=True)
    grabs: ListAttribute[Any] = ListAttribute(null=True)
    bonus = JSONAttribute(null=True)
    bonus_reserved = NumberAttribute(default=0)
    bonus_paid = NumberAttribute(default=0)
    bonus_issued_at = UTCDateTimeAttribute(null=True)
    debits = JSONAttribute(default=dict)
    returned = NumberAttribute(null=True)
    expired_at = UTCDateTimeAttribute(null=True)
    config_version = NumberAttribute(default=0)

    @property
    def unspent(self) -> int:
        """Cents reserved for this packet and not paid out: what expiry gives back."""
        return unspent(int(self.total), int(self.bonus_reserved), int(self.handed_out),
                       int(self.bonus_paid))


class PacketRefItem(BaseItem):
    """A packet as its owner (`O`) or one of its grabbers (`G`) lists it; the grab's item is
    also the once-per-packet rule (written with attribute_not_exists)."""

    packet_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    amount = NumberAttribute()
    part = NumberAttribute(null=True)
    at = UTCDateTimeAttribute()
    expires = NumberAttribute()
    source = UnicodeAttribute(null=True)


for _model in (PacketItem, PacketRefItem):
    register_model(_model)


def packet_key(campaign_id: str, packet_id: str) -> tuple[str, str]:
    return f"C#{campaign_id}#RP#{packet_id}", "RP"


def refs_prefix(campaign_id: str, kind: str = "") -> str:
    """Where a member's own packets (`O`) or grabs (`G`) of a campaign sort: every one of them
    without `kind`."""
    return f"RP#{campaign_id}#{kind + '#' if kind else ''}"


def ref_key(member_id: str, campaign_id: str, kind: str, packet_id: str) -> tuple[str, str]:
    """A member's own packet (`O`) or grab (`G`)."""
    return f"M#{member_id}", f"{refs_prefix(campaign_id, kind)}{packet_id}"


def order_key(campaign_id: str, order_id: str) -> tuple[str, str]:
    return f"C#{campaign_id}#RPORD#{order_id}", "ORD"
