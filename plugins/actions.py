"""The one path every player action takes: one transaction holding the action record, the
anti-fraud guards, the quota and the game's own writes.

The action record (`Once`) is keyed by the idempotency key and written with
`attribute_not_exists`: a retry of the same key fails that condition and gets the first
answer back, so nothing is awarded twice. On the happy path an action is exactly one DynamoDB
round trip. Staff, partner and marketer writes keep the same record (`plugins.idempotency`)
in their own transaction, so a retry after a lost answer gets the first success too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plugins.admission import admit
from plugins.antifraud import Player, add_guards, add_quota, raise_for_block
from plugins.audience import excluded
from plugins.contracts import Campaign
from plugins.errors import ConflictError
from plugins.idempotency import ActionResult, Once
from plugins.store import ActionItem, Transaction, TransactionCancelledError, keys
from plugins.store.pages import page

__all__ = ["ActionRequest", "ActionResult", "Quota", "history", "perform", "recorded", "replay", "replay_or"]

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
    audience: bool = True
    """Whether the campaign's and the game's audiences apply: to a player's own action, not to
    what a brand's system reports about a member (`plugins.audience`)."""

    @property
    def record_key(self) -> tuple[str, str]:
        return self.record or (keys.member(self.player.member_id),
                               keys.action(self.campaign.id, self.game, self.key))

    @property
    def once(self) -> Once:
        return Once(*self.record_key, body=self.body, game=self.game, campaign_id=self.campaign.id,
                    now=self.now, config_version=self.campaign.version)


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
        body = request.body if isinstance(request.body, dict) else {}
        tx.tally.channel = str(body.get("channel") or campaign.config.channel)
        request.once.put(tx, result | {"audit": audit})
        add_guards(tx, campaign, player, request.now)
        if request.audience:
            admit(tx, campaign, request.game, player)
        if quota is not None:
            add_quota(tx, campaign, player, quota.name, request.now, quota.per_day, quota.total)
        try:
            tx.commit()
            return ActionResult(result=result, replayed=False)
        except TransactionCancelledError as cancelled:
            if "action" in cancelled.failed:
                return replay(request)
            refused = excluded(cancelled.failed.keys())
            if refused is not None:
                raise refused from None
            raise_for_block(cancelled, campaign, request.game, player, request.now)
            if not recover(cancelled):
                break
    raise ConflictError("the action could not be completed, retry with the same key")


def replay(request: ActionRequest) -> ActionResult:
    """The stored answer of an action already done under this key."""
    return request.once.replay()


def replay_or(request: ActionRequest, error: Exception) -> ActionResult:
    """The stored answer of a key that already acted, else `error`: a retry of an action done
    before its stock ran out (or anything else refused it since) still gets its answer."""
    try:
        return replay(request)
    except ActionItem.DoesNotExist:
        raise error from None


def recorded(request: ActionRequest) -> ActionResult | None:
    """The stored answer if the action was done already, else None: read first by work that
    cannot be one transaction (an upload's many), so a repeat redoes none of it."""
    return request.once.recorded()


def history(member_id: str, campaign_id: str, game: str, cursor: str | None,
            limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a player's own actions in a game, as they were answered, and the cursor of
    the next page: one Query. Pages follow the records' keys (their idempotency keys: the
    table keeps no time order for them); each page is newest first."""
    found = page(ActionItem, keys.member(member_id), keys.action_prefix(campaign_id, game), cursor,
                 limit)
    answers = sorted(found.items, key=lambda item: item.created_at, reverse=True)
    return [{k: v for k, v in item.result.items() if k != "audit"} for item in answers], found.next_cursor
