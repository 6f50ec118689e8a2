"""The ids of what players make: draws, check-ins, tasks and helps, packets, claims."""

from __future__ import annotations

from datetime import datetime

from plugins.runtime import runtime

TIME_ORDERED = r"^[0-9]{14}[0-9a-f]{12}$"
"""What `time_ordered_id` makes, for a route's path parameter."""


def time_ordered_id(now: datetime) -> str:
    """26 characters that sort by creation time: the time to the second, then 48 random bits
    (a collision needs millions of ids in one second) from `runtime.rng`, the system CSPRNG
    in production (shared ids stay unguessable), seeded in tests."""
    return now.strftime("%Y%m%d%H%M%S") + f"{runtime.rng.getrandbits(48):012x}"
