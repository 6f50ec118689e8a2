"""Member lists a marketer uploads (`mgames segment`), which an audience names (`plugins.audience`):
each member's lists of a campaign are one item under him, so a list of any size is checked
in the action's own transaction, without a read."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from plugins.store import SegmentsItem, Transaction, keys

__all__ = ["BATCH", "add_members", "not_a_member_id"]

BATCH = 100
"""Members added per transaction (DynamoDB's most items in one)."""


def not_a_member_id(members: Iterable[str]) -> str | None:
    """The first of `members` that cannot be a member id (empty, over 64 characters, with a
    space or the key separator `#`); None if all can."""
    return next((m for m in members if not m or "#" in m or len(m) > 64 or any(c.isspace() for c in m)),
                None)


def add_members(campaign_id: str, segment: str, members: Iterable[str],
                advance: Callable[[int], None] = lambda n: None) -> int:
    """Put `members` in list `segment` of the campaign, a transaction per `BATCH`; answer how
    many were handled. A set add: the same upload again, or a resumed one, changes nothing."""
    done, batch = 0, dict[str, None]()
    for member in members:
        batch[member] = None
        if len(batch) == BATCH:
            done += _add(campaign_id, segment, list(batch), advance)
            batch = {}
    return done + (_add(campaign_id, segment, list(batch), advance) if batch else 0)


def _add(campaign_id: str, segment: str, members: list[str], advance: Callable[[int], None]) -> int:
    tx = Transaction()
    for i, member in enumerate(members):
        tx.update(f"segment:{i}", SegmentsItem(keys.member(member), keys.segments(campaign_id)),
                  [SegmentsItem.segments.add({segment})])
    tx.commit()
    advance(len(members))
    return len(members)
