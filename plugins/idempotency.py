"""The idempotency record every write keeps under its key, in its own transaction.

A player's action (`plugins.actions.perform`) and a staff, partner or marketer write
(`operation` + `commit_once`) alike put an `ActionItem` keyed by the idempotency key with
`attribute_not_exists` into the transaction that does the write: no extra round trip. A
retry of the key fails that condition and reads the first answer back; the same key with
another body is refused (IDEMPOTENCY_KEY_REUSED). An operator's write also puts, in the
same transaction, its entry in the campaign's log (who did what: `operations_log`).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from plugins.clock import stamp
from plugins.errors import IdempotencyKeyReusedError
from plugins.http import checked_key
from plugins.store import ActionItem, OperationItem, Transaction, TransactionCancelledError, keys
from plugins.store.pages import DEFAULT_LIMIT, page

__all__ = ["ActionResult", "Once", "Operation", "commit_once", "operation", "operations_log"]


@dataclass(frozen=True)
class ActionResult:
    result: dict[str, Any]
    replayed: bool


@dataclass(frozen=True)
class Once:
    """Where a write's answer is kept under its idempotency key, and what was asked.

    `put` adds the record to the write's own transaction (no extra round trip); when a retry
    of the key fails the record's condition, `replay` reads the first answer back, or refuses
    a different body (IDEMPOTENCY_KEY_REUSED).
    """

    pk: str
    sk: str
    body: Any
    game: str
    campaign_id: str
    now: datetime
    config_version: int | None = None

    @property
    def body_hash(self) -> str:
        raw = json.dumps(self.body, sort_keys=True, default=str).encode()
        return hashlib.sha256(raw).hexdigest()

    def put(self, tx: Transaction, result: dict[str, Any]) -> None:
        """The record, keeping in its `audit` what the transaction tallied (`tx.tally`)."""
        audit = dict(result.get("audit") or {}) | {"tally": tx.tally.as_json()}
        record = ActionItem(self.pk, self.sk, game=self.game, campaign_id=self.campaign_id,
                            created_at=self.now, config_version=self.config_version,
                            request_hash=self.body_hash, result=result | {"audit": audit})
        tx.put("action", record, ActionItem.pk.does_not_exist())

    def replay(self) -> ActionResult:
        """The stored answer of the write already done under this key."""
        first = ActionItem.get(self.pk, self.sk, consistent_read=True)
        if first.request_hash != self.body_hash:
            raise IdempotencyKeyReusedError("this Idempotency-Key was used for a different request")
        result = dict(first.result)
        result.pop("audit", None)
        return ActionResult(result=result, replayed=True)

    def recorded(self) -> ActionResult | None:
        """The stored answer if the write was done already under this key, else None."""
        try:
            return self.replay()
        except ActionItem.DoesNotExist:
            return None


@dataclass(frozen=True)
class Operation:
    """An operator's write: an entry in its campaign's log (with the campaign's time `zone`,
    when known), and with an Idempotency-Key its `Once` record."""

    by: str
    kind: str
    campaign_id: str
    now: datetime
    once: Once | None
    zone: str | None = None

    def put(self, tx: Transaction, result: dict[str, Any]) -> None:
        if self.once is not None:
            self.once.put(tx, result)
        entry = OperationItem(keys.operations(self.campaign_id),
                              keys.operation_entry(self.now.isoformat(), secrets.token_hex(4)),
                              by=self.by, kind=self.kind, at=self.now, zone=self.zone, result=result)
        tx.put("log", entry, OperationItem.pk.does_not_exist())

    def recorded(self) -> ActionResult | None:
        return self.once.recorded() if self.once is not None else None


def operation(by: str, kind: str, key: str | None, body: Any, now: datetime, campaign_id: str,
              config_version: int | None = None, zone: tzinfo | None = None) -> Operation:
    """A staff, partner or marketer write of `kind` (`bookings/verify`) by `by`: logged in the
    campaign (its time then answered in `zone`, the campaign's); with `key`, recorded under the
    caller (outside the player actions a campaign's report counts) so that a retry gets the
    first answer."""
    once = None if key is None else Once(
        keys.member(by), keys.operation(kind, checked_key(key)), body=body, game=kind,
        campaign_id=campaign_id, now=now, config_version=config_version)
    return Operation(by, kind, campaign_id, now, once, None if zone is None else str(zone))


def commit_once(tx: Transaction, result: dict[str, Any], op: Operation | None) -> ActionResult:
    """Commit `tx` with `op`'s log entry and record in it: `result` the first time, the first
    answer to a retry of the key. Any other cancellation is the caller's to explain."""
    if op is not None:
        op.put(tx, result)
    try:
        tx.commit()
    except TransactionCancelledError as cancelled:
        if op is not None and op.once is not None and "action" in cancelled.failed:
            return op.once.replay()
        raise
    return ActionResult(result=result, replayed=False)


def operations_log(campaign_id: str, campaign_zone: Callable[[], tzinfo], cursor: str | None = None,
                   limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """A page of the campaign's operator writes, newest first: who, what, when (in the zone
    the entry kept; `campaign_zone()` for one written before entries kept it), the answer;
    `next_cursor` reads on. One Query."""
    found = page(OperationItem, keys.operations(campaign_id), keys.OPERATION_ENTRY, cursor, limit,
                 scan_index_forward=False, consistent_read=True)
    return {"operations": [{"at": stamp(e.at, ZoneInfo(e.zone) if e.zone else campaign_zone()),
                            "by": e.by, "kind": e.kind, "result": e.result}
                           for e in found.items], "next_cursor": found.next_cursor}
