"""Re-deriving a recorded draw from the day's seed, the published commitment and the pool of
the config version it names: pure, so a player or an auditor can run the same steps anywhere
(docs/verifiable-draws.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any

from plugins.prize_pool.draw import DrawTable
from plugins.prize_pool.model import PrizePoolConfig
from plugins.prize_pool.seeds import commitment, derive_number, ticket

__all__ = ["check"]


def _draw_day(draw_id: str, zone: tzinfo) -> str | None:
    """The local day a time-ordered draw id was made (its first 14 digits are UTC time)."""
    try:
        made = datetime.strptime(draw_id[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return made.astimezone(zone).date().isoformat()


def check(record: Mapping[str, Any], campaign_id: str, pool: PrizePoolConfig | None, zone: tzinfo,
          seed: bytes, published: str) -> list[dict[str, str]]:
    """Why `record` is not the draw that `seed` (committed to as `published`) and `pool` (the
    recorded config version's, for the recorded tier; None if it has none) make: an empty list
    when it is. Each reason is {"code", "message"}."""
    reasons: list[dict[str, str]] = []

    def fail(code: str, message: str) -> None:
        reasons.append({"code": code, "message": message})

    if commitment(seed) != published:
        fail("SEED_MISMATCH", "the seed does not hash to the published commitment")
    if _draw_day(str(record["draw_id"]), zone) != record["day"]:
        fail("DAY_MISMATCH", f"the draw id was not made on the recorded day {record['day']}")
    number = derive_number(seed, campaign_id, str(record["member_id"]), str(record["key"]),
                           str(record["draw_id"]))
    if number != record["number"]:
        fail("NUMBER_MISMATCH", "the number derived from the seed and the draw's identity differs "
                                "from the recorded one")
    if pool is None:
        fail("CONFIG_MISMATCH", f"config version {record['config_version']} has no pool "
                                f"{record['pool_id']!r} in {record['game']}")
        return reasons
    table = DrawTable(pool)
    drawn_ticket = ticket(number, table.total_weight)
    if drawn_ticket != record["ticket"]:
        fail("TICKET_MISMATCH", f"the number is ticket {drawn_ticket} of {table.total_weight} on "
                                f"config version {record['config_version']}, not {record['ticket']}")
    drawn = table.pick(drawn_ticket).id
    if drawn != record["drawn"]:
        fail("PRIZE_MISMATCH", f"the number selects {drawn!r}, the record says {record['drawn']!r}")
    awarded, reason = record["awarded"], record.get("fallback_reason")
    if awarded != record["drawn"] and (awarded != pool.fallback or not reason):
        fail("AWARD_MISMATCH", f"{awarded!r} was awarded instead of {record['drawn']!r} without "
                               "being the fallback for a recorded reason")
    return reasons
