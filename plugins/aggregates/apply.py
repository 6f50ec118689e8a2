"""Adds the facts of stream records to the campaign's figures, each record exactly once.

Per batch, one `BatchGetItem` per 100 marks it needs (which records are already counted,
which members are already counted in their distinct figures: a member's marks seen once are
remembered by the process, since they are never removed), then as few
`TransactWriteItems` as fit 100 items each: a mark per record (`attribute_not_exists`: a
record delivered again is skipped), a mark per newly counted member and figure, and one ADD
per figures row touched. A row is one of `SLOTS` items per day and game, picked at random per
transaction, so aggregators running side by side (one per stream shard) rarely touch the same
item; when they do, or when a mark was written meanwhile, the rest is read and sent again.
A distinct figure counts a member once over the campaign, once per game and once per day.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

from plugins.aggregates.changes import ALL_GAMES, Change, Fact
from plugins.aggregates.facts import facts_of
from plugins.store import BaseItem, dynamodb_client, keys

__all__ = ["ALL_DAYS", "SLOTS", "apply_changes", "forget_marks"]

SLOTS = 8
ALL_DAYS = "ALL"
APPLIED_FOR = timedelta(days=2)  # longer than a stream keeps a record (24 h)
MAX_ITEMS = 100  # DynamoDB's limit per transaction and per BatchGetItem
ATTEMPTS = 8
RETRIED = frozenset({"TransactionCanceledException", "TransactionConflictException",
                     "ProvisionedThroughputExceededException", "ThrottlingException"})
KNOWN_LIMIT = 500_000
_SERIALIZE = TypeSerializer().serialize
_known: dict[str, set[tuple[str, str]]] = {}
"""Per table, the members' marks this process saw exist."""
Key = tuple[str, str]
Zones = Callable[[str], Any]
"""The time zone of a campaign (its local days), by campaign id."""


def forget_marks() -> None:
    """Forget the marks this process saw (a table emptied or made anew under the same name)."""
    _known.clear()


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _seen(fact: Fact, day: str) -> list[tuple[Key, tuple[str, str, str]]]:
    """Each mark a distinct figure of `fact` needs, and the (day, game, figure) it counts in."""
    return [((keys.member(member), keys.aggregate_seen(fact.campaign_id, figure, d, g)), (d, g, figure))
            for figure, member in sorted(fact.distinct)
            for d, g in ((ALL_DAYS, fact.game), (ALL_DAYS, ALL_GAMES), (day, ALL_GAMES))]


def _existing(table: str, wanted: list[Key]) -> set[Key]:
    """Which of the keys exist: BatchGetItem, 100 keys at a time, unprocessed keys again."""
    client, found = dynamodb_client(), set()
    for start in range(0, len(wanted), MAX_ITEMS):
        request: dict[str, Any] = {table: {"Keys": [_key(*k) for k in wanted[start:start + MAX_ITEMS]],
                                           "ProjectionExpression": "pk, sk", "ConsistentRead": True}}
        while request:
            answer = client.batch_get_item(RequestItems=request)
            found |= {(i["pk"]["S"], i["sk"]["S"]) for i in answer["Responses"].get(table, [])}
            request = answer.get("UnprocessedKeys") or {}
    return found


class _Group:
    """The writes of the changes one transaction counts."""

    def __init__(self, now: datetime) -> None:
        self.ttl = {"ttl": {"N": str(int((now + APPLIED_FOR).timestamp()))}}
        self.marks: dict[Key, dict[str, Any]] = {}
        self.rows: dict[tuple[str, str, str], Counter[str]] = {}

    def size(self) -> int:
        return len(self.marks) + len(self.rows)

    def add(self, change: Change, facts: list[Fact], days: Callable[[Fact], str],
            existing: set[Key]) -> None:
        self.marks[(keys.aggregate_applied(change.event_id), "EV")] = self.ttl
        for fact in facts:
            day = days(fact)
            self.rows.setdefault((fact.campaign_id, day, fact.game), Counter()).update(fact.figures)
            for mark, (d, g, figure) in _seen(fact, day):
                if mark not in existing and mark not in self.marks:
                    self.marks[mark] = {}
                    self.rows.setdefault((fact.campaign_id, d, g), Counter())[figure] += 1

    def send(self, table: str) -> None:
        slot = random.randrange(SLOTS)
        items: list[dict[str, Any]] = [
            {"Put": {"TableName": table, "Item": _key(*mark) | extra,
                     "ConditionExpression": "attribute_not_exists(pk)"}}
            for mark, extra in self.marks.items()]
        for (campaign_id, day, game), figures in self.rows.items():
            added = [(name, n) for name, n in figures.items() if n]
            if added:
                row = _key(keys.aggregates(campaign_id), keys.aggregate_row(day, game, slot))
                items.append({"Update": {
                    "TableName": table, "Key": row,
                    "UpdateExpression": "ADD " + ", ".join(f"#f{i} :v{i}" for i in range(len(added))),
                    "ExpressionAttributeNames": {f"#f{i}": name for i, (name, _) in enumerate(added)},
                    "ExpressionAttributeValues": {f":v{i}": _SERIALIZE(n) for i, (_, n) in enumerate(added)},
                }})
        dynamodb_client().transact_write_items(TransactItems=items)


def _count_some(pending: list[tuple[Change, list[Fact]]], table: str,
                days: Callable[[Fact], str], now: datetime) -> int:
    """Count the first of `pending` in one transaction (after one read); how many it covered."""
    wanted = [(keys.aggregate_applied(change.event_id), "EV") for change, _ in pending]
    known = _known.setdefault(table, set())
    wanted += [mark for _, facts in pending for fact in facts for mark, _ in _seen(fact, days(fact))
               if mark not in known]
    existing = _existing(table, list(dict.fromkeys(wanted)))
    if len(known) > KNOWN_LIMIT:
        known.clear()
    known.update(mark for mark in existing if mark[0].startswith("M#"))
    existing |= known
    group, covered = _Group(now), 0
    for change, facts in pending:
        if (keys.aggregate_applied(change.event_id), "EV") not in existing:
            at_most = 1 + sum(3 * len(f.distinct) + 4 for f in facts)  # marks and rows it may add
            if covered and group.size() + at_most > MAX_ITEMS:
                break
            group.add(change, facts, days, existing)
        covered += 1
    if group.marks:
        group.send(table)
        known.update(mark for mark in group.marks if mark[0].startswith("M#"))
    return covered


def apply_changes(changes: Iterable[Change], zones: Zones, now: datetime,
                  games: Iterable[Callable[[Change], list[Fact]]] = ()) -> Change | None:
    """Count every change's facts exactly once; None, or the first change not counted when
    the store kept refusing (the caller hands it back to the stream as the batch's failure)."""
    mappers = tuple(games)
    pending = [(c, facts) for c in changes if (facts := facts_of(c, mappers))]
    table = BaseItem.Meta.table_name

    def days(fact: Fact) -> str:
        return fact.day or fact.at.astimezone(zones(fact.campaign_id)).date().isoformat()

    failures = 0
    while pending:
        try:
            pending = pending[_count_some(pending, table, days, now):]
            failures = 0
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in RETRIED:
                raise
            failures += 1
            if failures == ATTEMPTS:
                return pending[0][0]
            time.sleep(random.uniform(0, min(1.0, 0.02 * 2**failures)))
    return None
