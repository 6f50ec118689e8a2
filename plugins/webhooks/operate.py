"""The outbox as the platform runs it: recording a stream batch's events (the aggregator),
the worker's delivery job, and an operator's list and replay (CLI and console)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from typing import Any

from plugins.aggregates import Change
from plugins.allowance import MAX_SHARDS
from plugins.errors import CampaignNotFoundError, ConfigInvalidError
from plugins.runtime import runtime
from plugins.store import AllowanceItem, Transaction, TransactionCancelledError, get_many, keys
from plugins.store.pages import MAX_LIMIT, Page, page
from plugins.timebox import UNBOUNDED, Deadline
from plugins.webhook_endpoints import WebhookEndpoint
from plugins.webhooks.delivery import deliver_due
from plugins.webhooks.events import events_of
from plugins.webhooks.managed import managed_endpoints
from plugins.webhooks.outbox import ID_PREFIX, QUEUE_SHARDS, DeliveryItem, finished_key, queue_key, record

__all__ = ["deliver_webhooks", "endpoints_of", "every_delivery", "list_deliveries", "record_events", "replay"]

logger = logging.getLogger(__name__)


def _hooks(campaign_id: str) -> tuple[WebhookEndpoint, ...]:
    """The campaign's endpoints, and those its games' own parties (a partner) configure in the
    file or manage themselves (one BatchGetItem: callers keep the answer for a batch or a run)."""
    try:
        campaign = runtime.configs.get(campaign_id)
    except CampaignNotFoundError:
        return ()
    try:
        games = list(campaign.games.values())
    except ConfigInvalidError:  # a game no longer installed here: its parties' events are lost,
        # rather than the stream of every campaign held up behind them
        logger.exception("the games' webhooks cannot be read", extra={"campaign": campaign_id})
        games = []
    own = managed_endpoints(campaign_id, {party for game in games for party in game.parties()})
    found = [*campaign.config.webhooks, *(hook for game in games for hook in game.webhooks(own))]
    ids = [hook.id for hook in found]  # a party's own endpoint never shadows one of the file
    return tuple(hook for n, hook in enumerate(found) if hook.id not in ids[:n])


def endpoints_of(campaign_id: str) -> list[dict[str, Any]]:
    """Every endpoint the campaign's events go to, as the worker resolves them: the file's, its
    parties' in the file, and those they manage themselves (never a secret, only its name)."""
    return [hook.model_dump(mode="json") for hook in _hooks(campaign_id)]


def _shards(campaign_id: str, name: str) -> list[tuple[int, int]]:
    """(allotted, remaining) of each shard of an allowance: one consistent BatchGetItem."""
    found = get_many([(AllowanceItem, keys.allowance(campaign_id, name, shard), keys.ALLOWANCE_SK)
                      for shard in range(MAX_SHARDS)], consistent_read=True)
    return [(int(item.allotted), int(item.remaining)) for item in found if isinstance(item, AllowanceItem)]


def record_events(changes: Iterable[Change], now: datetime) -> int:
    """Queue every event of `changes` for the endpoints listening to it; how many new deliveries.
    Each campaign's endpoints are read once for the batch."""
    hooks = cache(_hooks)

    def wanted(campaign_id: str, event_type: str) -> bool:
        return any(event_type in hook.events for hook in hooks(campaign_id))  # data: `record` sees it

    return sum(record(event, hooks(event.campaign_id), now)
               for change in changes for event in events_of(change, wanted, _shards))


def deliver_webhooks(now: datetime, deadline: Deadline = UNBOUNDED) -> int:
    """The worker's job: one attempt for every due delivery (`plugins.webhooks.delivery`), each
    campaign's endpoints read once for the run."""
    hooks = cache(_hooks)
    return deliver_due(now, lambda campaign_id, endpoint_id: next(
        (hook for hook in hooks(campaign_id) if hook.id == endpoint_id), None), deadline)


def _view(item: DeliveryItem) -> dict[str, Any]:
    return {"id": item.delivery_id, "endpoint": item.endpoint_id, "event": item.event_type,
            "state": item.state, "attempts": int(item.attempts),
            "next_attempt_at": int(item.next_attempt_at) or None,
            "created_at": item.created_at.isoformat(),
            "finished_at": item.finished_at.isoformat() if item.finished_at else None,
            "last_error": item.last_error}


def _pending(campaign_id: str, limit: int) -> list[DeliveryItem]:
    """The first `limit` pending deliveries of the campaign in each queue partition, oldest first."""
    found = [item for shard in range(QUEUE_SHARDS)
             for item in DeliveryItem.query(f"WHQ#{shard}", DeliveryItem.sk.startswith(f"{campaign_id}#"),
                                            consistent_read=True, limit=limit)]
    return sorted(found, key=lambda item: (item.created_at, str(item.delivery_id)))[:limit]


def list_deliveries(campaign_id: str, state: str | None = None, cursor: str | None = None,
                    limit: int = MAX_LIMIT) -> dict[str, Any]:
    """A page of the campaign's deliveries, optionally of one state: the first page starts
    with the oldest `limit` pending ones, then `limit` finished ones a page (delivered and
    dead, in id order); `next_cursor` reads on. At most one Query per partition."""
    pending = _pending(campaign_id, limit) if cursor is None and state in (None, "pending") else []
    finished: Page[DeliveryItem] = Page([], None)
    if state != "pending":
        only = None if state is None else DeliveryItem.state == state
        finished = page(DeliveryItem, _finished_pk(campaign_id), ID_PREFIX, cursor, limit,
                        filter_condition=only, consistent_read=True)
    return {"deliveries": [_view(item) for item in pending + finished.items],
            "next_cursor": finished.next_cursor}


def every_delivery(campaign_id: str, state: str | None = None) -> Iterator[dict[str, Any]]:
    """Every delivery of the campaign (optionally of one state), page after page (the CLI)."""
    cursor: str | None = None
    while True:
        answer = list_deliveries(campaign_id, state, cursor)
        yield from answer["deliveries"]
        if (cursor := answer["next_cursor"]) is None:
            return


def _finished_pk(campaign_id: str) -> str:
    return finished_key(campaign_id, "")[0]


def replay(campaign_id: str, ids: Iterable[str] = (), now: datetime | None = None) -> list[str]:
    """Send finished deliveries again from a fresh first attempt, same id and body: those named
    (delivered or dead), or else the dead ones, `MAX_LIMIT` at most a call (call again for
    more). The ids queued; a delivery moved meanwhile (replayed by someone else) is left."""
    wanted = set(ids)
    moment = now or runtime.clock()
    queued: list[str] = []
    for item in DeliveryItem.query(_finished_pk(campaign_id), consistent_read=True):
        if len(queued) == MAX_LIMIT:
            break
        if (item.delivery_id not in wanted) if wanted else item.state != "dead":
            continue
        again = DeliveryItem(*queue_key(campaign_id, str(item.delivery_id)),
                             **{name: getattr(item, name) for name in (
                                 "campaign_id", "endpoint_id", "delivery_id", "event_type", "body",
                                 "created_at")},
                             state="pending", attempts=0, next_attempt_at=int(moment.timestamp()))
        tx = Transaction()
        tx.delete("finished", DeliveryItem(*finished_key(campaign_id, str(item.delivery_id))),
                  DeliveryItem.state == item.state)
        tx.put("queued", again, DeliveryItem.pk.does_not_exist())
        try:
            tx.commit()
        except TransactionCancelledError:
            continue
        queued.append(str(item.delivery_id))
    return queued
