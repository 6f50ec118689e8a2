"""The webhook outbox: one item per delivery (an event for one endpoint), recorded from the
table's stream by the aggregator (docs/webhooks.md says why the stream and not the action's
own transaction), delivered by the worker (`plugins.webhooks.delivery`).

A pending delivery lives in one of `QUEUE_SHARDS` queue partitions (`WHQ#<n>`), which the
worker reads without a scan; a finished one (delivered or dead) moves to its campaign's
`C#<campaign>#WH`, where `mgames webhooks list` reads it and replay takes it back. Recording a
delivery is a transaction of its queue item (`attribute_not_exists`) and a check that it was
not finished already, so an event handed over again is never delivered again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from plugins.store import BaseItem, Transaction, TransactionCancelledError, register_model
from plugins.webhook_endpoints import WebhookEndpoint
from plugins.webhooks.events import WebhookEvent

__all__ = ["FINISHED_FOR", "ID_PREFIX", "QUEUE_SHARDS", "DeliveryItem", "delivery_id", "finished_key",
           "queue_key", "record"]

QUEUE_SHARDS = 4
ID_PREFIX = "msg_"
FINISHED_FOR = timedelta(days=30)
"""How long a finished delivery (and the mark that stops it being recorded again) is kept."""


class DeliveryItem(BaseItem):
    """One event for one endpoint: pending in the queue, then delivered or dead."""

    campaign_id = UnicodeAttribute()
    endpoint_id = UnicodeAttribute()
    delivery_id = UnicodeAttribute()
    event_type = UnicodeAttribute()
    body = UnicodeAttribute()
    state = UnicodeAttribute(default="pending")
    attempts = NumberAttribute(default=0)
    next_attempt_at = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    history = JSONAttribute(default=list)
    """Each attempt's time (epoch seconds) and outcome (an HTTP status or an error)."""


register_model(DeliveryItem)


def delivery_id(event: WebhookEvent, endpoint_id: str) -> str:
    """The `webhook-id` the receiver deduplicates on: the same for every attempt and replay."""
    digest = hashlib.sha256(f"{event.campaign_id}\n{event.id}\n{endpoint_id}".encode()).hexdigest()
    return f"{ID_PREFIX}{digest[:32]}"


def queue_key(campaign_id: str, delivery: str) -> tuple[str, str]:
    return f"WHQ#{int(delivery[-4:], 16) % QUEUE_SHARDS}", f"{campaign_id}#{delivery}"


def finished_key(campaign_id: str, delivery: str) -> tuple[str, str]:
    return f"C#{campaign_id}#WH", delivery


def record(event: WebhookEvent, endpoints: Iterable[WebhookEndpoint], now: datetime) -> int:
    """Queue `event` for each endpoint listening to it, once ever; how many were new."""
    added = 0
    for endpoint in endpoints:
        if not endpoint.receives(event.type, event.data):
            continue
        delivery = delivery_id(event, endpoint.id)
        body = json.dumps({"id": delivery, "type": event.type, "campaign_id": event.campaign_id,
                           "timestamp": now.isoformat(), "data": event.data},
                          separators=(",", ":"), sort_keys=True, default=str)
        item = DeliveryItem(*queue_key(event.campaign_id, delivery), campaign_id=event.campaign_id,
                            endpoint_id=endpoint.id, delivery_id=delivery, event_type=event.type,
                            body=body, next_attempt_at=int(now.timestamp()), created_at=now, history=[])
        tx = Transaction()
        tx.put("queued", item, DeliveryItem.pk.does_not_exist())
        tx.check("finished", DeliveryItem, *finished_key(event.campaign_id, delivery),
                 DeliveryItem.pk.does_not_exist())
        try:
            tx.commit()
        except TransactionCancelledError:
            continue  # recorded before: the stream handed the record over again
        added += 1
    return added
