"""Anti-fraud of a `Player`: quotas, velocity limits, blacklist, the bounded fraud audit."""

from plugins.antifraud.blocks import block_counts, block_samples, record_block
from plugins.antifraud.rules import (
    add_guards,
    add_quota,
    blacklist,
    chances_left,
    fraud_rule,
    grant_chances,
    plays,
    quota_left,
    raise_for_block,
)
from plugins.identity.callers import Player

__all__ = [
    "Player",
    "add_guards",
    "add_quota",
    "blacklist",
    "block_counts",
    "block_samples",
    "chances_left",
    "fraud_rule",
    "grant_chances",
    "plays",
    "quota_left",
    "raise_for_block",
    "record_block",
]
