"""The games table's stream, locally: what Lambda's event source mapping does in AWS.

moto records a table's stream (`StreamSpecification` in template.yaml) in memory. `drain`
takes the records written so far (under `MOTO_LOCK`, and drops them from moto so a long run
keeps no history), hands them to the aggregator's handler in batches of `BATCH` as Lambda
would, and hands a batch's failed tail back to the next drain. `mgames local` drains every
`every` seconds in a thread; tests drain when they read a report.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from infra.local.events import LambdaContext
from infra.local.wsgi import MOTO_LOCK

__all__ = ["StreamDrain", "taken"]

BATCH = 100
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _lambda_record(record: dict[str, Any]) -> dict[str, Any]:
    """moto's record as Lambda delivers it: the creation time in epoch seconds."""
    body = dict(record["dynamodb"])
    created = body["ApproximateCreationDateTime"]
    if hasattr(created, "timestamp"):
        body["ApproximateCreationDateTime"] = created.replace(tzinfo=created.tzinfo or UTC).timestamp()
    return {**record, "dynamodb": body}


class StreamDrain:
    """Feeds the records of `table`'s stream to `handler` (the aggregator's, by default)."""

    def __init__(self, table: str, handler: Handler | None = None) -> None:
        if handler is None:
            from functions.aggregator import handler as aggregate

            handler = aggregate
        self.table, self.handler = table, handler
        self.backlog: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def _take(self) -> list[dict[str, Any]]:
        region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
        with MOTO_LOCK:
            table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(self.table)
            shard = table.stream_shard
            if shard is None:
                return []
            records = [_lambda_record(r.record) for r in shard.items]
            shard.starting_sequence_number += len(shard.items)  # moto numbers from len(items)
            shard.items = []
        return records

    def drain(self) -> int:
        """Hand every record written so far to the handler; the number handed over."""
        with self._lock:
            records, self.backlog = self.backlog + self._take(), []
            context = LambdaContext(function_name="aggregator")
            for start in range(0, len(records), BATCH):
                batch = records[start:start + BATCH]
                answer = self.handler({"Records": batch}, context)
                failures = answer.get("batchItemFailures") or []
                if failures:
                    first = failures[0]["itemIdentifier"]
                    at = next(i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] == first)
                    self.backlog = batch[at:] + records[start + BATCH:]
                    return start + at
            return len(records)


def taken(table: str) -> list[dict[str, Any]]:
    """The records `table`'s stream holds so far, as Lambda delivers them, taken from it."""
    records: list[dict[str, Any]] = []

    def keep(event: dict[str, Any], _: Any) -> dict[str, Any]:
        records.extend(event["Records"])
        return {}

    StreamDrain(table, keep).drain()
    return records
