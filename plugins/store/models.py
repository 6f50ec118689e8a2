"""PynamoDB models of the single games table; the key design is in docs/store.md.

Every item has a string partition key `pk` and sort key `sk`, and may expire through the
table's TTL attribute `ttl`. One botocore client serves every model: `bind_table` points
them all at a table (name from `MGAMES_TABLE`, endpoint from `AWS_ENDPOINT_URL_DYNAMODB`).
"""

from __future__ import annotations

import os
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.connection import TableConnection
from pynamodb.models import Model

from plugins.store.mixins import OfCampaign, OfMember

DEFAULT_TABLE = "mgames-local"
# On AWS no call may outlive the function's 10 s timeout (template.yaml): PynamoDB's client
# makes 1 + max_retry_attempts attempts in botocore's standard retry mode, whose backoff is
# under 1 s then under 2 s (throttling; 25-50 ms otherwise), so at worst 3 x (1 s connect +
# 1 s read) + 3 s = 9 s. DynamoDB answers in milliseconds: a read that takes a second is a
# hung connection, retried on a fresh one.
AWS_CLIENT = {"connect_timeout_seconds": 1, "read_timeout_seconds": 1, "max_retry_attempts": 2}
# A custom endpoint (the local stack, the tests: moto applying one request at a time) may queue
# a call behind dozens of others for seconds, which is no hang: PynamoDB's defaults there.
LOCAL_CLIENT = {"connect_timeout_seconds": 15, "read_timeout_seconds": 30, "max_retry_attempts": 3}


def client_settings(host: str | None = None) -> dict[str, int]:
    """The client's timeouts and retries: bounded on AWS, patient on a custom endpoint."""
    custom = host or os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")
    return LOCAL_CLIENT if custom else AWS_CLIENT


class BaseItem(Model):
    """Keys and TTL shared by every item type of the table."""

    class Meta:
        table_name = os.environ.get("MGAMES_TABLE", DEFAULT_TABLE)
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
        max_pool_connections = 64
        # Timeouts and retries: `client_settings`, set below and by `bind_table`.

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    ttl = NumberAttribute(null=True)


def _configure_client(host: str | None) -> None:
    """Point the shared client at `host` (None: AWS) with the settings that fit it."""
    BaseItem.Meta.host = host  # type: ignore[attr-defined]
    for name, value in client_settings(host).items():
        setattr(BaseItem.Meta, name, value)


_configure_client(None)


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
    """A player action keyed by its idempotency key; holds the answer a retry gets back."""

    game = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    config_version = NumberAttribute()
    request_hash = UnicodeAttribute()
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
    terms = JSONAttribute()


class PointsItem(BaseItem):
    """A member's points balance, or one ledger line keyed by the action that moved it."""

    points = NumberAttribute(default=0)
    reason = UnicodeAttribute(null=True)


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
    _configure_client(host)
    BaseItem._connection = None
    connection = BaseItem._get_connection()
    for model in MODELS:
        model.Meta.table_name = BaseItem.Meta.table_name
        model._connection = connection
    return connection


def dynamodb_client() -> Any:
    """The botocore client every model shares (tests hook it to count round trips)."""
    return BaseItem._get_connection().connection.client


bind_table()
