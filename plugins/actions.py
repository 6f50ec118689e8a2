"""The one path every player action takes: one transaction holding the action record, the
anti-fraud guards, the quota and the game's own writes.

The action record is keyed by the idempotency key and written with `attribute_not_exists`:
a retry of the same key fails that condition and gets the first answer back, so nothing is
awarded twice. On the happy path an action is exactly one DynamoDB round trip.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plugins.antifraud import Player, add_guards, add_quota, raise_for_block
from plugins.contracts import Campaign
from plugins.errors import ConflictError, IdempotencyKeyReusedError
from plugins.store import ActionItem, Transaction, TransactionCancelledError, keys

MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Quota:
    """Which player counter an action spends, and its limits (None = unlimited)."""

    name: str
    per_day: int | None
    total: int | None


@dataclass(frozen=True)
class ActionRequest:
    campaign: Campaign
    game: str
    player: Player
    key: str
    body: Any
    now: datetime
    record: tuple[str, str] | None = None
    """Where the idempotency record lives: by default under the player, by game and key; an
    action whose key is unique beyond one player (a brand's order id) names its own place."""

    @property
    def record_key(self) -> tuple[str, str]:
        return self.record or (keys.member(self.player.member_id),
                               keys.action(self.campaign.id, self.game, self.key))

    @property
    def body_hash(self) -> str:
        raw = json.dumps(self.body, sort_keys=True, default=str).encode()
        return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class ActionResult:
    result: dict[str, Any]
    replayed: bool


Plan = Callable[[Transaction], tuple[dict[str, Any], dict[str, Any]]]
Recover = Callable[[TransactionCancelledError], bool]


def perform(
    request: ActionRequest, plan: Plan, recover: Recover, quota: Quota | None = None
) -> ActionResult:
    """Run an action exactly once.

    `plan` adds the game's writes to the transaction and returns (result, audit): what the
    player sees, and what only the record keeps. `recover` is asked after a cancellation
    the runner does not own (stock, cap, budget, reward) and says whether to try again.
    """
    campaign, player = request.campaign, request.player
    for _ in range(MAX_ATTEMPTS):
        tx = Transaction()
        result, audit = plan(tx)
        record = ActionItem(
            *request.record_key, game=request.game, campaign_id=campaign.id, created_at=request.now,
            config_version=campaign.version, request_hash=request.body_hash,
            result=result | {"audit": audit},
        )
        tx.put("action", record, ActionItem.pk.does_not_exist())
        add_guards(tx, campaign, player, request.now)
        if quota is not None:
            add_quota(tx, campaign, player, quota.name, request.now, quota.per_day, quota.total)
        try:
            tx.commit()
            return ActionResult(result=result, replayed=False)
        except TransactionCancelledError as cancelled:
            if "action" in cancelled.failed:
                return replay(request)
            raise_for_block(cancelled, campaign, request.game, player, request.now)
            if not recover(cancelled):
                break
    raise ConflictError("the action could not be completed, retry with the same key")


def replay(request: ActionRequest) -> ActionResult:
    """The stored answer of an action already done under this key."""
    first = ActionItem.get(*request.record_key, consistent_read=True)
    if first.request_hash != request.body_hash:
        raise IdempotencyKeyReusedError("this Idempotency-Key was used for a different request")
    result = dict(first.result)
    result.pop("audit", None)
    return ActionResult(result=result, replayed=True)


def recorded(request: ActionRequest) -> ActionResult | None:
    """The stored answer if the action was done already, else None: read first by work that
    cannot be one transaction (an upload's many), so a repeat redoes none of it."""
    try:
        return replay(request)
    except ActionItem.DoesNotExist:
        return None


def history(member_id: str, campaign_id: str, game: str, limit: int = 100) -> list[dict[str, Any]]:
    """A player's own actions in a game, newest first, as they were answered."""
    items = ActionItem.query(
        keys.member(member_id), ActionItem.sk.startswith(keys.action_prefix(campaign_id, game))
    )
    answers = sorted(items, key=lambda item: item.created_at, reverse=True)[:limit]
    return [{k: v for k, v in item.result.items() if k != "audit"} for item in answers]
