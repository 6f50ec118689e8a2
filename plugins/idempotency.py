"""The idempotency record every write keeps under its key, in its own transaction.

A player's action (`plugins.actions.perform`) and a staff, partner or marketer write
(`operation` + `commit_once`) alike put an `ActionItem` keyed by the idempotency key with
`attribute_not_exists` into the transaction that does the write: no extra round trip. A
retry of the key fails that condition and reads the first answer back; the same key with
another body is refused (IDEMPOTENCY_KEY_REUSED).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plugins.errors import IdempotencyKeyReusedError
from plugins.http import checked_key
from plugins.store import ActionItem, Transaction, TransactionCancelledError, keys

__all__ = ["ActionResult", "Once", "commit_once", "operation"]


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
        record = ActionItem(self.pk, self.sk, game=self.game, campaign_id=self.campaign_id,
                            created_at=self.now, config_version=self.config_version,
                            request_hash=self.body_hash, result=result)
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


def operation(by: str, kind: str, key: str | None, body: Any, now: datetime, campaign_id: str,
              config_version: int | None = None) -> Once | None:
    """The record of a staff, partner or marketer write of `kind` (`bookings/verify`) sent by
    `by` under `key`; None without a key. Kept under the caller, outside the player actions a
    campaign's report counts."""
    if key is None:
        return None
    return Once(keys.member(by), keys.operation(kind, checked_key(key)), body=body, game=kind,
                campaign_id=campaign_id, now=now, config_version=config_version)


def commit_once(tx: Transaction, result: dict[str, Any], once: Once | None) -> ActionResult:
    """Commit `tx` with `once`'s record in it: `result` the first time, the first answer to a
    retry of the key. Any other cancellation is the caller's to explain."""
    if once is not None:
        once.put(tx, result)
    try:
        tx.commit()
    except TransactionCancelledError as cancelled:
        if once is not None and "action" in cancelled.failed:
            return once.replay()
        raise
    return ActionResult(result=result, replayed=False)
