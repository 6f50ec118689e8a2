"""PynamoDB models of the single games table; the key design is in docs/store.md.

Every item has a string partition key `pk` and sort key `sk`, and may expire through the
table's TTL attribute `ttl`. One botocore client serves every model: `bind_table` points
them all at a table (name from `MGAMES_TABLE`, endpoint from `AWS_ENDPOINT_URL_DYNAMODB`),
with the timeouts, retries and fault handling of `plugins.store.client`.
"""

from __future__ import annotations

import os
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import TableConnection
from pynamodb.models import Model

from plugins.store.client import FaultAwareConnection, client_settings, use
from plugins.store.mixins import OfCampaign, OfMember

DEFAULT_TABLE = "mgames-local"


class BaseItem(Model):
    """Keys and TTL shared by every item type of the table."""

    class Meta:
        table_name = os.environ.get("MGAMES_TABLE", DEFAULT_TABLE)
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
        max_pool_connections = 64
        # Timeouts and retries: `client_settings` (plugins/store/client.py), set by `bind_table`.

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    ttl = NumberAttribute(null=True)


class ConfigItem(BaseItem):
    """A campaign config version (`CFG#v…`) or the pointer to the current one (`CFG#CURRENT`)."""

    version = NumberAttribute()
    doc = JSONAttribute()
    applied_at = UTCDateTimeAttribute()
    applied_by = UnicodeAttribute(null=True)
    budget_counted = BooleanAttribute(default=False)


class CounterItem(BaseItem):
    """A bounded counter: quotas, per-user caps, velocity windows, claim limits."""

    n = NumberAttribute(default=0)


class AllowanceItem(BaseItem):
    """One shard of a sharded allowance (prize stock, campaign budget in cents)."""

    allotted = NumberAttribute()
    remaining = NumberAttribute()


class MarkerItem(BaseItem):
    """A presence-only item whose existence is the rule (one coupon type per period)."""


class ActionItem(OfCampaign, BaseItem):
    """A player action (or a staff, partner or marketer write) keyed by its idempotency key;
    holds the answer a retry gets back."""

    game = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    config_version = NumberAttribute(null=True)
    request_hash = UnicodeAttribute()
    result = JSONAttribute()


class OperationItem(BaseItem):
    """One operator's write in a campaign's log: the credential that did it, what, when (and
    the campaign's time zone then, to answer it in), and the answer it got."""

    by = UnicodeAttribute()
    kind = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    zone = UnicodeAttribute(null=True)
    result = JSONAttribute()


class CouponItem(OfCampaign, OfMember, BaseItem):
    """An issued coupon; `state` is issued or redeemed, expiry is read from `valid_until`."""

    coupon_id = UnicodeAttribute()
    type_id = UnicodeAttribute()
    origin = UnicodeAttribute()
    channel = UnicodeAttribute(null=True)
    state = UnicodeAttribute(default="issued")
    issued_at = UTCDateTimeAttribute()
    valid_from = UTCDateTimeAttribute()
    valid_until = UTCDateTimeAttribute()
    redeemed_at = UTCDateTimeAttribute(null=True)
    redeemed_by = UnicodeAttribute(null=True)  # who redeemed it: staff, a partner, the CLI
    redeemed_store = UnicodeAttribute(null=True)  # where, for staff (a partner's settlement)
    order_amount = NumberAttribute(null=True)  # cents: the order it was redeemed with (sales driven)
    terms = JSONAttribute()


class DrawItem(OfCampaign, BaseItem):
    """What re-derives a draw (`plugins.prize_pool.proof`), written in the draw's transaction."""

    proof = JSONAttribute()


class PointsItem(BaseItem):
    """A member's points balance, or one ledger line keyed by when and what moved it."""

    points = NumberAttribute(default=0)
    reason = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute(null=True)  # a ledger line's time


class SegmentsItem(BaseItem):
    """The lists a marketer uploaded that hold a member, for one campaign (`plugins.audience`)."""

    segments = UnicodeSetAttribute(null=True)


class CashItem(BaseItem):
    """A member's cash red-packet balance in cents, or one ledger line keyed by what paid it."""

    cents = NumberAttribute(default=0)
    reason = UnicodeAttribute(null=True)


class BlockItem(BaseItem):
    """The details of a sampled anti-fraud block: which rule stopped whom, and why (the
    blocks themselves are counted in `CounterItem`s, `plugins.antifraud.blocks`)."""

    rule = UnicodeAttribute()
    reason = UnicodeAttribute()
    game = UnicodeAttribute()
    member_id = UnicodeAttribute(null=True)
    device_id = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute()


class BlacklistItem(BaseItem):
    """A blacklisted member, device or IP; its existence fails the action's condition check."""

    reason = UnicodeAttribute(null=True)
    added_at = UTCDateTimeAttribute()


MODELS: tuple[type[BaseItem], ...] = (
    ConfigItem,
    CounterItem,
    AllowanceItem,
    MarkerItem,
    ActionItem,
    CouponItem,
    DrawItem,
    PointsItem,
    CashItem,
    BlockItem,
    BlacklistItem,
)


def register_model(model: type[BaseItem]) -> type[BaseItem]:
    """Let `bind_table` reach a game's own item model (games may keep items of their own)."""
    global MODELS
    if model not in MODELS:
        MODELS = (*MODELS, model)
        model.Meta.table_name = BaseItem.Meta.table_name
        model._connection = BaseItem._connection
    return model


def bind_table(table_name: str | None = None, host: str | None = None) -> TableConnection:
    """Point every model at one table through one shared connection (one client per process)."""
    BaseItem.Meta.table_name = table_name or os.environ.get("MGAMES_TABLE", DEFAULT_TABLE)
    BaseItem.Meta.host = host  # type: ignore[attr-defined]
    for name, value in use(client_settings(host)).pynamodb.items():
        setattr(BaseItem.Meta, name, value)
    BaseItem._connection = None
    connection = BaseItem._get_connection()
    connection.connection.__class__ = FaultAwareConnection  # the client it makes gets the hooks
    for model in MODELS:
        model.Meta.table_name = BaseItem.Meta.table_name
        model._connection = connection
    return connection


def dynamodb_client() -> Any:
    """The botocore client every model shares (tests hook it to count round trips)."""
    return BaseItem._get_connection().connection.client


bind_table()
