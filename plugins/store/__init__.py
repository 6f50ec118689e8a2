"""The only package that speaks DynamoDB: PynamoDB models over one table, keys, transactions."""

from plugins.store.client import LOST_RACE, ClientSettings, client_settings, request_deadline
from plugins.store.mixins import OfCampaign, OfMember
from plugins.store.models import (
    ActionItem,
    AllowanceItem,
    BaseItem,
    BlacklistItem,
    BlockItem,
    CashItem,
    ConfigItem,
    CounterItem,
    CouponItem,
    DrawItem,
    MarkerItem,
    OperationItem,
    PointsItem,
    SegmentsItem,
    bind_table,
    dynamodb_client,
    register_model,
)
from plugins.store.reads import get_many
from plugins.store.tally import Tally, due_by
from plugins.store.transaction import Transaction, TransactionCancelledError, TransactionConflictError

__all__ = [
    "LOST_RACE",
    "ActionItem",
    "AllowanceItem",
    "BaseItem",
    "BlacklistItem",
    "BlockItem",
    "CashItem",
    "ClientSettings",
    "ConfigItem",
    "CounterItem",
    "CouponItem",
    "DrawItem",
    "MarkerItem",
    "OfCampaign",
    "OfMember",
    "OperationItem",
    "PointsItem",
    "SegmentsItem",
    "Tally",
    "Transaction",
    "TransactionCancelledError",
    "TransactionConflictError",
    "bind_table",
    "client_settings",
    "due_by",
    "dynamodb_client",
    "get_many",
    "register_model",
    "request_deadline",
]
