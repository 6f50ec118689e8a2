"""Anti-fraud: quotas, velocity limits, blacklist and block records of a `Player`."""

from plugins.antifraud.blocks import list_blocks, record_block
from plugins.antifraud.rules import (
    add_guards,
    add_quota,
    blacklist,
    fraud_rule,
    grant_chances,
    quota_left,
    raise_for_block,
)
from plugins.identity.callers import Player

__all__ = [
    "Player",
    "add_guards",
    "add_quota",
    "blacklist",
    "fraud_rule",
    "grant_chances",
    "list_blocks",
    "quota_left",
    "raise_for_block",
    "record_block",
]
