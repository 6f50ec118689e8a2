"""Due lists: what must happen to a game's item at a known time (a packet's or a booking's
expiry), found by a scheduled sweep without a scan or an index.

An entry is written in the same transaction as the item it is due for, and deleted in the
transaction that settles it. Entries sit in one partition per UTC day of their due time,
spread over `SHARDS` partitions so a rush is not one hot key, sorted by due time, so a
sweep reads only what is due. A cursor keeps the oldest day that may still hold work: a
sweep reads from there to today (on the very first run from `FIRST_LOOKBACK` ago), then moves
it to the oldest day where an entry could not be settled yet (or where its deadline stopped
it), else to today. Settling must be
conditional (exactly once however often and however concurrently sweeps run); a sweep that
loses the race for the cursor leaves it to the one that won. `expire_once` is the settling
both games share: read the item, check it is due, commit its transaction, retry on a race.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from plugins.store import BaseItem, OfCampaign, Transaction, TransactionCancelledError, register_model
from plugins.timebox import UNBOUNDED, Deadline

__all__ = ["FIRST_LOOKBACK", "SHARDS", "DueCursorItem", "DueItem", "DueList", "Settle", "expire_once"]

M = TypeVar("M", bound=BaseItem)

SHARDS = 4
FIRST_LOOKBACK = timedelta(days=31)
Settle = Callable[[str, str, datetime], bool | None]
"""(campaign id, ref, now): True when this call settled the item, False when it was settled
already (or is gone: the entry is stale and dropped), None when it cannot be yet (kept, and
the cursor stays on its day)."""


class DueItem(OfCampaign, BaseItem):
    """An item due at `due` (epoch seconds): `ref` names it within its campaign and game."""

    ref = UnicodeAttribute()
    due = NumberAttribute()


class DueCursorItem(BaseItem):
    """The oldest day whose entries a due list's sweep may still have to settle."""

    day = UnicodeAttribute()


for _model in (DueItem, DueCursorItem):
    register_model(_model)


def day_of(epoch: int) -> str:
    """The UTC day (`yyyy-mm-dd`) of a moment in epoch seconds."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class DueList:
    """One game's due list, `name` prefixing its keys (e.g. `RPX` for red-packet expiry)."""

    name: str

    @property
    def cursor_key(self) -> tuple[str, str]:
        return f"{self.name}#CURSOR", self.name

    def bucket(self, day: str, shard: int) -> str:
        return f"{self.name}#{day}#{shard}"

    def key(self, campaign_id: str, ref: str, due: int) -> tuple[str, str]:
        shard = zlib.crc32(ref.encode()) % SHARDS
        return self.bucket(day_of(due), shard), f"{due:010d}#{campaign_id}#{ref}"

    def add(self, tx: Transaction, tag: str, campaign_id: str, ref: str, due: int) -> None:
        """Put the entry in `tx`, the transaction that makes the item."""
        tx.put(tag, DueItem(*self.key(campaign_id, ref, due), campaign_id=campaign_id, ref=ref,
                            due=due), DueItem.pk.does_not_exist())

    def drop(self, tx: Transaction, tag: str, campaign_id: str, ref: str, due: int) -> None:
        """Delete the entry in `tx`, the transaction that settles the item."""
        tx.delete(tag, DueItem(*self.key(campaign_id, ref, due)))

    def sweep(self, now: datetime, settle: Settle, *, lookback: timedelta = FIRST_LOOKBACK,
              deadline: Deadline = UNBOUNDED) -> int:
        """Settle every entry due by `now`, from the cursor's day to today (`SHARDS` Queries a
        day), until `deadline` (then the cursor stays on the day where it stopped); return
        how many this call settled."""
        today = day_of(int(now.timestamp()))
        try:
            first: str | None = str(DueCursorItem.get(*self.cursor_key, consistent_read=True).day)
        except DueCursorItem.DoesNotExist:
            first = None
        start = date.fromisoformat(min(first or day_of(int((now - lookback).timestamp())), today))
        settled, pending = 0, None
        for day, entry in self._due(start, today, now, deadline):
            if entry is None or deadline.passed():
                pending = pending or day  # out of time: the next run resumes from this day
                break
            outcome = settle(str(entry.campaign_id), str(entry.ref), now)
            if outcome is None:
                pending = pending or day
            elif outcome:
                settled += 1
            else:
                entry.delete()  # settled meanwhile, by another sweep or the player
        self._move_cursor(first, pending or today)
        return settled

    def _due(self, start: date, today: str, now: datetime,
             deadline: Deadline) -> Iterator[tuple[str, DueItem | None]]:
        """The entries due by `now`, day by day from `start`, each with its day, read lazily;
        `(day, None)` when `deadline` passes before a bucket of that day is read."""
        due_by = f"{int(now.timestamp()) + 1:010d}"
        for offset in range((date.fromisoformat(today) - start).days + 1):
            day = (start + timedelta(days=offset)).isoformat()
            for shard in range(SHARDS):
                if deadline.passed():
                    yield day, None
                    return
                for entry in DueItem.query(self.bucket(day, shard), DueItem.sk < due_by,
                                           consistent_read=True):
                    yield day, entry

    def _move_cursor(self, old: str | None, new: str) -> None:
        if old == new:
            return
        item = DueCursorItem(*self.cursor_key, day=new)
        condition = DueCursorItem.pk.does_not_exist() if old is None else DueCursorItem.day == old
        with suppress(PutError):  # a concurrent sweep moved it: it covered the same days
            item.save(condition)


def expire_once(model: type[M], key: tuple[str, str], due: Callable[[M], bool | None],
                expire: Callable[[M], Transaction], attempts: int) -> bool | None:
    """Settle one item exactly once, as a `Settle` answers: read it (gone: False), ask `due`
    (False: settled already, None: not due yet), commit `expire(item)`, a transaction
    conditional on the state as read; a cancelled one is retried from a fresh read, at most
    `attempts` times (then None: the next sweep tries again)."""
    for _ in range(attempts):
        try:
            item = model.get(*key, consistent_read=True)
        except model.DoesNotExist:
            return False
        ready = due(item)
        if not ready:
            return ready
        try:
            expire(item).commit()
        except TransactionCancelledError:
            continue
        return True
    return None
