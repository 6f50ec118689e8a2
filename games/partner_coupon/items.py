"""The partner coupons' own items in the games table, and their keys.

| item | pk | sk |
| --- | --- | --- |
| a pool bucket's head (codes loaded / taken) | `C#<c>#PC#<partner>#<type>#<bucket>` | `HEAD` |
| one code, at its position in the bucket | `C#<c>#PC#<partner>#<type>#<bucket>` | `CODE#<position:08d>` |
| a code's uniqueness marker | `C#<c>#PCX#<partner>#<type>#<code>` | `X` |
| an upload's action record (`plugins.actions`) | `C#<c>#PCUP#<partner>#<type>` | `<upload id>` |
| a partner's tally (issued, cost cents) | `C#<c>#PC#<partner>` | `TALLY` |
| a realtime code to fetch (outbox) | `C#<c>#PCO#<coupon id>` | `OUT` |
| the outbox's work queue | `PCOQ#<shard>` | `<c>#<coupon id>` |
| a coupon issued for a partner (settlement) | `C#<c>#PCL#<partner>#<shard>` | `<coupon id>` |

A pool is spread over `BUCKETS` partitions so a rush of claims does not queue on one head.
Inside a bucket, codes sit at positions 0, 1, 2, ... in upload order; the head's `taken`
is the position of the next code to hand out. A claim reads the heads (one BatchGetItem),
picks a bucket with `taken < loaded`, and in its transaction moves that head on
(`taken == t`) and marks the code at position `t` claimed (`state == available`): two
claims can never get one code, and a lost race is a re-read, never a double issue.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from plugins.store import BaseItem, OfCampaign, OfMember, register_model

__all__ = [
    "BUCKETS",
    "LEDGER_SHARDS",
    "OUTBOX_SHARDS",
    "CodeItem",
    "CodeMarkerItem",
    "LedgerItem",
    "OutboxItem",
    "OutboxQueueItem",
    "PoolHeadItem",
    "TallyItem",
    "code_key",
    "head_key",
    "ledger_key",
    "ledger_pk",
    "marker_key",
    "outbox_key",
    "queue_key",
    "queue_pk",
    "tally_key",
    "upload_key",
]

BUCKETS = 8
HEAD = "HEAD"


class PoolHeadItem(BaseItem):
    """How many codes a bucket holds (`loaded`) and how many were handed out (`taken`)."""

    loaded = NumberAttribute(default=0)
    taken = NumberAttribute(default=0)


class CodeItem(BaseItem):
    """One partner code; `state` available → claimed, once."""

    code = UnicodeAttribute()
    state = UnicodeAttribute(default="available")
    upload_id = UnicodeAttribute()
    line = NumberAttribute()
    member_id = UnicodeAttribute(null=True)
    coupon_id = UnicodeAttribute(null=True)
    claimed_at = UTCDateTimeAttribute(null=True)


class CodeMarkerItem(BaseItem):
    """The code exists in this pool (written with attribute_not_exists: no duplicates)."""

    upload_id = UnicodeAttribute()


class TallyItem(BaseItem):
    """A partner's coupons issued and their cost in cents: quota and budget are bounds on it."""

    issued = NumberAttribute(default=0)
    cost = NumberAttribute(default=0)


for _model in (PoolHeadItem, CodeItem, CodeMarkerItem, TallyItem):
    register_model(_model)


def pool_pk(campaign_id: str, partner: str, type_id: str, bucket: int) -> str:
    return f"C#{campaign_id}#PC#{partner}#{type_id}#{bucket}"


def head_key(campaign_id: str, partner: str, type_id: str, bucket: int) -> tuple[str, str]:
    return pool_pk(campaign_id, partner, type_id, bucket), HEAD


def code_key(campaign_id: str, partner: str, type_id: str, bucket: int,
             position: int) -> tuple[str, str]:
    return pool_pk(campaign_id, partner, type_id, bucket), f"CODE#{position:08d}"


def marker_key(campaign_id: str, partner: str, type_id: str, code: str) -> tuple[str, str]:
    return f"C#{campaign_id}#PCX#{partner}#{type_id}#{code}", "X"


def upload_key(campaign_id: str, partner: str, type_id: str, upload_id: str) -> tuple[str, str]:
    """Where an upload's action record lives: unique per coupon type, not per member."""
    return f"C#{campaign_id}#PCUP#{partner}#{type_id}", upload_id


def tally_key(campaign_id: str, partner: str) -> tuple[str, str]:
    return f"C#{campaign_id}#PC#{partner}", "TALLY"


class OutboxItem(OfCampaign, OfMember, BaseItem):
    """A realtime code to fetch from the partner, written with the award in its transaction.

    `state` pending → done | dead; `attempts` counts the leases taken (each lease is one
    call); `next_attempt_at` (epoch seconds) is when it may be tried again. The call's
    terms are a snapshot of config at issue, so the worker needs no campaign read.
    """

    coupon_id = UnicodeAttribute()
    partner = UnicodeAttribute()
    type_id = UnicodeAttribute()
    endpoint = UnicodeAttribute()
    timeout = NumberAttribute()
    max_attempts = NumberAttribute()
    state = UnicodeAttribute(default="pending")
    attempts = NumberAttribute(default=0)
    next_attempt_at = NumberAttribute()
    code = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)


class OutboxQueueItem(BaseItem):
    """An outbox item still to work on, in a few shard partitions the worker queries; deleted
    when the item is done or dead."""

    outbox_pk = UnicodeAttribute()


register_model(OutboxItem)
register_model(OutboxQueueItem)
OUTBOX_SHARDS = 4


def outbox_key(campaign_id: str, coupon_id: str) -> tuple[str, str]:
    return f"C#{campaign_id}#PCO#{coupon_id}", "OUT"


def queue_key(campaign_id: str, coupon_id: str) -> tuple[str, str]:
    return f"PCOQ#{int(coupon_id[-4:], 16) % OUTBOX_SHARDS}", f"{campaign_id}#{coupon_id}"


def queue_pk(shard: int) -> str:
    return f"PCOQ#{shard}"


class LedgerItem(OfMember, BaseItem):
    """One coupon issued for a partner, written with the award: what settlement counts."""

    type_id = UnicodeAttribute()
    cost = NumberAttribute()


register_model(LedgerItem)
LEDGER_SHARDS = 4


def ledger_key(campaign_id: str, partner: str, coupon_id: str) -> tuple[str, str]:
    return ledger_pk(campaign_id, partner, int(coupon_id[-4:], 16) % LEDGER_SHARDS), coupon_id


def ledger_pk(campaign_id: str, partner: str, shard: int) -> str:
    return f"C#{campaign_id}#PCL#{partner}#{shard}"
