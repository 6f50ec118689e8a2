"""Real-time codes: the award writes an outbox item (pending) in its own transaction; the
scheduled job `fetch_codes` calls the partner's endpoint for it and stores the code.

Delivery is at least once, never lost, never doubled:
- a worker first takes a lease: a conditional update `state == pending`, `attempts == a`
  (as read), `next_attempt_at <= now` → `attempts = a + 1`, `next_attempt_at = now + lease`;
  only one worker wins it, so two workers never call at once; a crashed worker's lease runs
  out and another calls again;
- every call sends the outbox id as `Idempotency-Key` (and in the body): the partner answers
  a repeated key with the same code;
- the answer is stored conditional on `state == pending` and the lease's `attempts`: a late
  answer of an older lease, or a second answer, changes nothing;
- a call waits at most its type's `timeout_seconds` in all, and never past the worker's
  deadline (a call the deadline cuts short is a timeout like any other);
- a failure (HTTP error, timeout, bad JSON) backs off exponentially (`BASE_DELAY * 2**(a-1)`,
  capped); after `max_attempts` the item is dead-lettered (`state = dead`), the coupon shows
  `code_state: dead` and operators re-drive it (`redrive`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import TYPE_CHECKING, Any

from games.partner_coupon.items import (
    OUTBOX_SHARDS,
    OutboxItem,
    OutboxQueueItem,
    outbox_key,
    queue_key,
    queue_pk,
)
from plugins.errors import ConflictError
from plugins.outbound import post
from plugins.store import CouponItem, Transaction, TransactionCancelledError, keys
from plugins.store.leases import postpone, take_lease
from plugins.timebox import UNBOUNDED, Deadline, call_within

if TYPE_CHECKING:
    from games.partner_coupon.config import PartnerCouponType
    from plugins.contracts import IssueContext

__all__ = ["BASE_DELAY", "fetch_codes", "fetch_one", "plan_fetch", "redrive"]

BASE_DELAY = 30  # seconds before the first retry
MAX_DELAY = 3600
LEASE_MARGIN = 10  # seconds beyond the call's timeout before another worker may call
MIN_CALL_SECONDS = 0.5  # a call given less than this by the run's deadline waits for the next run
MAX_ANSWER = 64 * 1024  # bytes: a code fits in far less


def outbox_id(campaign_id: str, coupon_id: str) -> str:
    """The idempotency key the partner gets for one coupon."""
    return f"{campaign_id}:{coupon_id}"


def plan_fetch(tx: Transaction, ctx: IssueContext, partner: str, coupon: PartnerCouponType,
               coupon_id: str) -> None:
    """Add the outbox item and its queue entry to the award's transaction."""
    cid = ctx.campaign.id
    item = OutboxItem(*outbox_key(cid, coupon_id), campaign_id=cid, member_id=ctx.member_id,
                      coupon_id=coupon_id, partner=partner, type_id=coupon.type_id,
                      endpoint=str(coupon.endpoint), timeout=coupon.timeout_seconds,
                      max_attempts=coupon.max_attempts, next_attempt_at=int(ctx.now.timestamp()),
                      created_at=ctx.now)
    tx.put("reward:partner-outbox", item, OutboxItem.pk.does_not_exist())
    queued = OutboxQueueItem(*queue_key(cid, coupon_id), outbox_pk=item.pk)
    tx.put("reward:partner-queue", queued, OutboxQueueItem.pk.does_not_exist())


def _call(item: OutboxItem, timeout: float) -> str:
    """POST to the partner; its code, or an exception (HTTP error, timeout, bad answer)."""
    key = outbox_id(str(item.campaign_id), str(item.coupon_id))
    body = json.dumps({"idempotency_key": key, "partner": item.partner, "type_id": item.type_id,
                       "member_id": item.member_id, "coupon_id": item.coupon_id}).encode()
    request = urllib.request.Request(str(item.endpoint), data=body, method="POST", headers={
        "content-type": "application/json", "idempotency-key": key})
    with post(request, timeout) as answer:  # public now, no redirect (plugins/outbound.py)
        data: Any = json.loads(answer.read(MAX_ANSWER))
    code = data.get("code") if isinstance(data, dict) else None
    if not isinstance(code, str) or not code or len(code) > 128:
        raise ValueError(f"the partner's answer holds no code: {str(data)[:100]}")
    return code


def _finish(item: OutboxItem, attempt: int, now: datetime, code: str | None, error: str) -> bool:
    """Store the code (or the dead letter) with the coupon, conditional on the lease."""
    state = "done" if code is not None else "dead"
    member = keys.member(str(item.member_id))
    try:
        coupon = CouponItem.get(member, keys.coupon(str(item.coupon_id)), consistent_read=True)
    except CouponItem.DoesNotExist:
        coupon = None
    tx = Transaction()
    actions = [OutboxItem.state.set(state), OutboxItem.finished_at.set(now),
               OutboxItem.code.set(code) if code is not None else OutboxItem.last_error.set(error)]
    tx.update("outbox", OutboxItem(item.pk, item.sk), actions,
              (OutboxItem.state == "pending") & (OutboxItem.attempts == attempt))
    if coupon is not None:
        terms = dict(coupon.terms) | {"code": code, "code_state": "ready" if code else "dead"}
        tx.update("coupon", CouponItem(coupon.pk, coupon.sk), [CouponItem.terms.set(terms)],
                  CouponItem.pk.exists())
    tx.delete("queue", OutboxQueueItem(*queue_key(str(item.campaign_id), str(item.coupon_id))))
    try:
        tx.commit()
    except (TransactionCancelledError, ConflictError):
        return False  # another lease finished it first, or has it now: its answer stands
    return True


def fetch_one(item: OutboxItem, now: datetime, deadline: Deadline = UNBOUNDED) -> bool:
    """One lease, one call (within its timeout and `deadline`), and its outcome; True when
    the item reached done or dead."""
    attempt = take_lease(item, now, int(now.timestamp()) + int(float(item.timeout)) + LEASE_MARGIN)
    if attempt is None:
        return False
    timeout = min(float(item.timeout), deadline.remaining())
    try:
        code = call_within(timeout, lambda: _call(item, timeout))
    except (OSError, ValueError, urllib.error.URLError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        if attempt >= int(item.max_attempts):
            return _finish(item, attempt, now, None, error)
        delay = min(BASE_DELAY * 2 ** (attempt - 1), MAX_DELAY)
        postpone(item, attempt, int(now.timestamp()) + delay, error)
        return False
    return _finish(item, attempt, now, code, "")


def fetch_codes(now: datetime, deadline: Deadline = UNBOUNDED) -> int:
    """The scheduled job: every due outbox item gets one attempt until `deadline` (the rest
    stays queued for the next run); returns how many finished.

    One Query per queue shard, then a consistent read of each entry's outbox item (its state
    and attempts decide the lease's condition).
    """
    finished = 0
    for shard in range(OUTBOX_SHARDS):
        for entry in OutboxQueueItem.query(queue_pk(shard), consistent_read=True):
            if deadline.remaining() < MIN_CALL_SECONDS:
                return finished
            try:
                item = OutboxItem.get(entry.outbox_pk, "OUT", consistent_read=True)
            except OutboxItem.DoesNotExist:
                entry.delete()
                continue
            if item.state != "pending":
                entry.delete()  # finished meanwhile by another worker
            elif int(item.next_attempt_at) <= now.timestamp() and fetch_one(item, now, deadline):
                finished += 1
    return finished


def redrive(campaign_id: str, coupon_id: str, now: datetime) -> bool:
    """Put a dead-lettered item back to pending with fresh attempts (an operator's action)."""
    item = OutboxItem(*outbox_key(campaign_id, coupon_id))
    tx = Transaction()
    tx.update("outbox", item, [OutboxItem.state.set("pending"), OutboxItem.attempts.set(0),
                               OutboxItem.next_attempt_at.set(int(now.timestamp()))],
              OutboxItem.state == "dead")
    tx.put("queue", OutboxQueueItem(*queue_key(campaign_id, coupon_id), outbox_pk=item.pk))
    try:
        tx.commit()
    except TransactionCancelledError:
        return False
    return True
