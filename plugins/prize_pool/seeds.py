"""Commit-reveal seeds: one secret seed per campaign and campaign-local day, and the numbers
a draw derives from it (docs/verifiable-draws.md).

A seed is HMAC-SHA256(master key, "<campaign>|<day>"): derived, never stored, so a draw
reads nothing it did not read before (the master key comes from the environment locally, or
from Secrets Manager through `plugins.secret_store`, kept five minutes per process), and its
commitment, SHA-256(seed), can be published for any day ahead of it. The seed itself is
revealed only once its day is over (`revealed`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import date, datetime, tzinfo
from functools import lru_cache

from plugins.errors import SecretUnavailableError

__all__ = ["MASTER_KEY", "MIN_KEY_LENGTH", "commitment", "day_seed", "derive_number", "revealed",
           "ticket"]

MASTER_KEY = "MGAMES_DRAW_SEED_KEY"
"""The variable holding the master key, or naming its secret with the suffix `_ARN`."""
MIN_KEY_LENGTH = 32


def master_key() -> bytes:
    """The master key of every seed, or SecretUnavailableError (503) without a usable one."""
    text = os.environ.get(MASTER_KEY)
    if not text:
        secret_id = os.environ.get(MASTER_KEY + "_ARN")
        if not secret_id:
            raise SecretUnavailableError(f"no draw seed key: set {MASTER_KEY} or {MASTER_KEY}_ARN")
        from plugins.secret_store import read_secret  # boto3 only when a seed is needed

        text = read_secret(secret_id)
    if len(text) < MIN_KEY_LENGTH:
        raise SecretUnavailableError(f"the draw seed key is shorter than {MIN_KEY_LENGTH} characters")
    return text.encode()


def day_seed(campaign_id: str, day: date) -> bytes:
    """The secret seed of the campaign's local `day`: never to leave the server before
    `revealed` says so."""
    return _seed(master_key(), campaign_id, day.isoformat())


@lru_cache(maxsize=4096)
def _seed(key: bytes, campaign_id: str, day: str) -> bytes:
    return hmac.new(key, f"{campaign_id}|{day}".encode(), hashlib.sha256).digest()


def commitment(seed: bytes) -> str:
    """What is published before the day starts: SHA-256 of the seed, hex."""
    return hashlib.sha256(seed).hexdigest()


def revealed(day: date, now: datetime, zone: tzinfo) -> bool:
    """Whether `day` (the campaign's local day) is over, so its seed may be shown."""
    return day < now.astimezone(zone).date()


def derive_number(seed: bytes, campaign_id: str, member_id: str, key: str, draw_id: str) -> str:
    """A draw's number: HMAC-SHA256(seed, JSON array [campaign, member, key, draw id]), hex.
    JSON keeps the parts apart whatever characters a member id or key holds."""
    identity = json.dumps([campaign_id, member_id, key, draw_id], separators=(",", ":"))
    return hmac.new(seed, identity.encode(), hashlib.sha256).hexdigest()


def ticket(number: str, total_weight: int) -> int:
    """The number as a ticket in [0, total_weight): the 256-bit integer modulo the total (its
    bias is below total / 2**256)."""
    return int(number, 16) % total_weight
