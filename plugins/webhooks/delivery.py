"""Delivering the outbox: at least once, each attempt leased by a conditional write (two
workers never both send the same attempt), retried with exponential backoff and jitter over
about a day (`MAX_ATTEMPTS`, `delay`), then dead-lettered until an operator replays it.

The endpoint's URL, timeout and secrets are read when the delivery is sent, from the
campaign's current config: a rotated secret or a moved URL applies to deliveries still
pending; an endpoint no longer configured dead-letters its deliveries at once.
"""

from __future__ import annotations

import random
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from plugins.errors import ConflictError, SecretUnavailableError
from plugins.outbound import post
from plugins.store import Transaction, TransactionCancelledError
from plugins.store.leases import postpone, take_lease
from plugins.timebox import UNBOUNDED, Deadline, call_within
from plugins.webhook_endpoints import WebhookEndpoint
from plugins.webhooks.outbox import FINISHED_FOR, QUEUE_SHARDS, DeliveryItem, finished_key
from plugins.webhooks.signing import endpoint_secrets, signed_headers

__all__ = ["BASE_DELAY", "MAX_ATTEMPTS", "MAX_DELAY", "Endpoints", "delay", "deliver_due"]

MAX_ATTEMPTS = 12
BASE_DELAY, MAX_DELAY = 60, 6 * 3600
JITTER = 0.25
LEASE_MARGIN = 30
MIN_CALL_SECONDS = 1.0
Outcome = Literal["delivered", "failed", "taken"]
Endpoints = Callable[[str, str], WebhookEndpoint | None]
"""The endpoint a campaign configures now under an id, or None."""


def delay(attempt: int, rng: random.Random | None = None) -> int:
    """Seconds before the attempt after `attempt` (from 1): doubling from a minute, capped at
    six hours, each spread by ±25 % so that deliveries failed together do not retry together."""
    nominal = min(BASE_DELAY * 2 ** (attempt - 1), MAX_DELAY)
    return round(nominal * (rng or random).uniform(1 - JITTER, 1 + JITTER))


def _send(item: DeliveryItem, endpoint: WebhookEndpoint, now: datetime, timeout: float) -> int:
    """POST the signed body; the HTTP status (2xx), or an exception."""
    body = str(item.body).encode()
    at = int(now.timestamp())
    headers = signed_headers(endpoint_secrets(endpoint.secret_ref, at), str(item.delivery_id), at, body)
    request = urllib.request.Request(str(endpoint.url), data=body, method="POST", headers=headers)
    with post(request, timeout) as answer:  # public now, no redirect (plugins/outbound.py)
        answer.read(1024)
        return int(answer.status)


def _finish(item: DeliveryItem, attempt: int, now: datetime, state: str, error: str | None) -> bool:
    """Move the delivery out of the queue as `state`, conditional on still holding the lease."""
    finished = DeliveryItem(*finished_key(str(item.campaign_id), str(item.delivery_id)),
                            **{name: getattr(item, name) for name in (
                                "campaign_id", "endpoint_id", "delivery_id", "event_type", "body",
                                "created_at")},
                            state=state, attempts=attempt, next_attempt_at=0, finished_at=now,
                            last_error=error, ttl=int((now + FINISHED_FOR).timestamp()))
    tx = Transaction()
    tx.delete("queued", DeliveryItem(item.pk, item.sk),
              (DeliveryItem.state == "pending") & (DeliveryItem.attempts == attempt))
    tx.put("finished", finished)
    try:
        tx.commit()
    except (TransactionCancelledError, ConflictError):
        return False  # the lease ran out and another worker has it: its outcome stands
    return True


def deliver_one(item: DeliveryItem, now: datetime, endpoints: Endpoints,
                deadline: Deadline = UNBOUNDED) -> Outcome:
    """One leased attempt and its outcome: `delivered`, `failed` (retried later or dead), or
    `taken` (another worker holds the attempt, or finished it)."""
    endpoint = endpoints(str(item.campaign_id), str(item.endpoint_id))
    timeout = min(endpoint.timeout_seconds if endpoint else 1.0, deadline.remaining())
    attempt = take_lease(item, now, int(now.timestamp() + timeout) + LEASE_MARGIN)
    if attempt is None:
        return "taken"
    if endpoint is None:
        return _failed(item, attempt, now, "the endpoint is no longer configured", final=True)
    try:
        call_within(timeout, lambda: _send(item, endpoint, now, timeout))
    except (OSError, ValueError, urllib.error.URLError, SecretUnavailableError) as exc:
        return _failed(item, attempt, now, f"{type(exc).__name__}: {exc}"[:300], attempt >= MAX_ATTEMPTS)
    return "delivered" if _finish(item, attempt, now, "delivered", None) else "taken"


def _failed(item: DeliveryItem, attempt: int, now: datetime, error: str, final: bool) -> Outcome:
    """Dead-letter the delivery, or set its next attempt; conditional on the lease."""
    if final:
        _finish(item, attempt, now, "dead", error)
        return "failed"
    postpone(item, attempt, int(now.timestamp()) + delay(attempt), error)
    return "failed"


def deliver_due(now: datetime, endpoints: Endpoints, deadline: Deadline = UNBOUNDED) -> int:
    """Every due delivery gets one attempt until `deadline` (the rest waits for the next
    run); how many were delivered. One Query per queue shard. Once an endpoint fails, its
    other deliveries wait for the next run, so a receiver that is down or hangs costs one
    timeout a run, not one per delivery, and cannot hold up the other endpoints'."""
    delivered, failing = 0, set()
    for shard in range(QUEUE_SHARDS):
        due = DeliveryItem.query(f"WHQ#{shard}", filter_condition=DeliveryItem.next_attempt_at
                                 <= int(now.timestamp()), consistent_read=True)
        for item in due:
            if deadline.remaining() < MIN_CALL_SECONDS:
                return delivered
            endpoint = (str(item.campaign_id), str(item.endpoint_id))
            if endpoint in failing:
                continue
            outcome = deliver_one(item, now, endpoints, deadline)
            delivered += outcome == "delivered"
            if outcome == "failed":
                failing.add(endpoint)
    return delivered
