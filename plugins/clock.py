"""An injectable clock, so day boundaries, windows and expiry are testable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


def stamp(moment: datetime | int, zone: tzinfo) -> str:
    """A moment (an aware datetime, or epoch seconds as TTLs keep them) as every response
    shows time: ISO-8601 with its offset, in `zone`, the campaign's (where its page shows it)."""
    if isinstance(moment, int):
        moment = datetime.fromtimestamp(moment, UTC)
    if moment.tzinfo is None:
        raise ValueError("a naive datetime cannot be answered: its offset is unknown")
    return moment.astimezone(zone).isoformat()
