"""Anti-fraud: signed player identity, quotas, velocity limits, blacklist, block records."""

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
from plugins.antifraud.token import Player, mint_token, token_secret, verify_token

__all__ = [
    "Player",
    "add_guards",
    "add_quota",
    "blacklist",
    "fraud_rule",
    "grant_chances",
    "list_blocks",
    "mint_token",
    "quota_left",
    "raise_for_block",
    "record_block",
    "token_secret",
    "verify_token",
]
