"""Endpoints a game's party (a partner) manages itself through its API, beside those of the
campaign file: one item per campaign and party (`C#<campaign>#WHP`, the party's id), replaced
whole by a conditional write, read by the aggregator and the worker in one BatchGetItem for
all of a campaign's parties (never on a player's request).

The party never sends a secret: the platform generates one `whsec_` secret per campaign and
party, keeps it in Secrets Manager under `mgames/webhooks/parties/<party>/<campaign>` (where
the worker may read it, like every webhook secret) and answers it to the party's own writes
only; it is created once (`CreateSecret` fails if it exists, so concurrent first writes
agree), rotated through the party's API, and never stored in the table
(`plugins.webhooks.party_secrets`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from pynamodb.attributes import JSONAttribute, NumberAttribute, UTCDateTimeAttribute

from plugins.errors import ConflictError
from plugins.idempotency import ActionResult, Operation, commit_once
from plugins.store import BaseItem, Transaction, TransactionCancelledError, get_many, register_model
from plugins.store.reads import MAX_KEYS
from plugins.webhook_endpoints import OwnEndpoint, WebhookEndpoint
from plugins.webhooks.party_secrets import secret_ref

__all__ = ["ManagedHooksItem", "managed_endpoints", "read_own", "replace_own"]
logger = logging.getLogger(__name__)


class ManagedHooksItem(BaseItem):
    """A party's own endpoints in a campaign (`OwnEndpoint`s as JSON), versioned."""

    endpoints = JSONAttribute(default=list)
    version = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)


register_model(ManagedHooksItem)


def managed_key(campaign_id: str, party: str) -> tuple[str, str]:
    return f"C#{campaign_id}#WHP", party


def _endpoints(campaign_id: str, party: str, raw: Iterable[dict[str, Any]]) -> tuple[WebhookEndpoint, ...]:
    """The stored endpoints that still pass today's rules (one that no longer does is left out
    and logged, rather than the stream of every campaign held up behind it)."""
    found = []
    for hook in raw:
        try:
            found.append(WebhookEndpoint(**hook, secret_ref=secret_ref(campaign_id, party)))
        except ValidationError:
            logger.warning("a party's own endpoint is no longer valid", extra={
                "campaign": campaign_id, "party": party, "endpoint": hook.get("id")})
    return tuple(found)


def managed_endpoints(campaign_id: str, parties: Iterable[str]) -> dict[str, tuple[WebhookEndpoint, ...]]:
    """Every party's own endpoints in the campaign: one BatchGetItem a hundred parties."""
    wanted = [(ManagedHooksItem, *managed_key(campaign_id, party)) for party in sorted(parties)]
    found = [item for start in range(0, len(wanted), MAX_KEYS)
             for item in get_many(wanted[start:start + MAX_KEYS])]
    return {str(item.sk): _endpoints(campaign_id, str(item.sk), item.endpoints)
            for item in found if isinstance(item, ManagedHooksItem) and item.endpoints}


def read_own(campaign_id: str, party: str) -> dict[str, Any]:
    """The party's own endpoints and their version (0: none written yet); one GetItem."""
    try:
        item = ManagedHooksItem.get(*managed_key(campaign_id, party), consistent_read=True)
    except ManagedHooksItem.DoesNotExist:
        return {"endpoints": [], "version": 0}
    return {"endpoints": list(item.endpoints), "version": int(item.version)}


def replace_own(campaign_id: str, party: str, hooks: tuple[OwnEndpoint, ...], now: datetime,
                op: Operation) -> ActionResult:
    """Replace the party's endpoints, conditional on the version read (a concurrent change:
    409 CONFLICT), with `op`'s idempotency record: a retry of its key answers the first."""
    current = read_own(campaign_id, party)
    raw = [hook.model_dump(mode="json") for hook in hooks]
    version = current["version"] + 1
    result = {"campaign_id": campaign_id, "partner": party, "endpoints": raw, "version": version}
    tx = Transaction()
    condition = (ManagedHooksItem.pk.does_not_exist() if current["version"] == 0
                 else ManagedHooksItem.version == current["version"])
    tx.put("hooks", ManagedHooksItem(*managed_key(campaign_id, party), endpoints=raw, version=version,
                                     updated_at=now), condition)
    try:
        return commit_once(tx, result, op)
    except TransactionCancelledError:
        raise ConflictError("the endpoints changed meanwhile; read them and retry") from None
