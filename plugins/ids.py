"""The ids of what players make: draws, check-ins, tasks and helps, packets, claims, coupons."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from plugins.runtime import runtime

TIME_ORDERED = r"^[0-9]{14}[0-9a-f]{12}$"
"""What `time_ordered_id` makes, for a route's path parameter."""


def time_ordered_id(now: datetime) -> str:
    """26 characters that sort by creation time: the time to the second, then 48 random bits
    (a collision needs millions of ids in one second) from `runtime.rng`, the system CSPRNG
    in production (shared ids stay unguessable), seeded in tests."""
    return now.strftime("%Y%m%d%H%M%S") + random_hex(12)


def keyed_id(now: datetime, *identity: str) -> str:
    """Like `time_ordered_id`, but its 48 bits are SHA-256 of `identity` (campaign, member,
    idempotency key): one action has one id, and a verifiable draw's id leaves the server no
    free choice but the second (docs/verifiable-draws.md)."""
    digest = hashlib.sha256(json.dumps(identity, separators=(",", ":")).encode()).hexdigest()
    return now.strftime("%Y%m%d%H%M%S") + digest[:12]


def random_hex(digits: int) -> str:
    """`digits` random hex digits from `runtime.rng` (the CSPRNG in production, seeded in
    tests): the random part of an id."""
    return f"{runtime.rng.getrandbits(4 * digits):0{digits}x}"
