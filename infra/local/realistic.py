"""The realistic mode of the local DynamoDB: what real DynamoDB does to concurrent writers.

The atomic mode applies one request at a time, so nothing ever conflicts. Here, as on
DynamoDB (ARCHITECTURE.md, "Where it really runs"):

- a `TransactWriteItems` holds its items for `Faults.hold` seconds (its commit window), then
  applies; one that touches an item another holds is cancelled at once
  (`TransactionCanceledException`, reason `TransactionConflict` on each contended item, `None`
  on the others), it does not wait. The wait for the local lock comes after the window: DynamoDB
  has no one queue for every item, so queueing here must not stretch the window (it did, and
  made every hot-stock rush conflict on its shards whatever their number);
- a `PutItem`, `UpdateItem` or `DeleteItem` on a held item gets `TransactionConflictException`;
- a `ClientRequestToken` makes a transaction idempotent for 10 minutes after it completes: a
  repeat answers the first success without applying again, a repeat while it runs gets
  `TransactionInProgressException`, the token with other parameters
  `IdempotentParameterMismatchException` (moto ignores the token);
- when `Faults` ask: throttling, a per-item write-rate limit, latency, hangs, lost answers.

moto itself is not thread-safe: every request is still applied under the one moto lock, only
the holding happens outside it. Errors use moto's own error shapes (the JSON protocol's
`__type`), so botocore parses them as the real service's. Reads, batches and other services
pass through as in the atomic mode.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException, TransactionCanceledException

from infra.local.faults import Faults
from infra.local.wsgi import MOTO_LOCK, AtomicWSGIApp, Response, read_body

__all__ = ["RealisticWSGIApp"]

TRANSACT = "TransactWriteItems"
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem"})
TOKEN_TTL = 600.0
CONFLICT = "Transaction is ongoing for the item"
REGION = re.compile(r"Credential=[^/]+/[^/]+/([^/]+)/")
ItemKey = tuple[str, str]
"""(table, the item's key as canonical JSON)"""


@dataclass
class _Token:
    """A `ClientRequestToken` seen: its parameters, and once done, the success to answer again."""

    digest: str
    done: float | None = None
    success: Response | None = None


def error(code: str, message: str) -> Response:
    """A DynamoDB error answer, shaped by moto as the service shapes it."""
    return _answer(DynamodbException(ERROR_TYPE_PREFIX + code, message))


def cancelled(contended: Sequence[bool]) -> Response:
    """`TransactionCanceledException`: `TransactionConflict` where contended, `None` elsewhere."""
    return _answer(TransactionCanceledException(
        [("TransactionConflict", CONFLICT, None) if c else (None, None, None) for c in contended]))


def _answer(exc: DynamodbException) -> Response:
    return Response("400 Bad Request", exc.get_headers(), exc.get_body().encode())


class RealisticWSGIApp(AtomicWSGIApp):
    """moto behind conflicts, idempotency tokens and `Faults`; `stats` counts what it served
    (`holds`, `conflicts`, `throttled`, `hangs`, `lost`, `replayed`)."""

    def __init__(self, app: WSGIApplication, faults: Faults | None = None) -> None:
        super().__init__(app)
        self.faults = faults or Faults()
        self.stats: Counter[str] = Counter()
        self._state = threading.Lock()
        self._rng = random.Random(self.faults.seed)
        self._held: set[ItemKey] = set()
        self._tokens: dict[str, _Token] = {}
        self._writes: dict[ItemKey, deque[float]] = {}
        self._key_names: dict[tuple[str, str], tuple[str, ...] | None] = {}

    def reset(self) -> None:
        """Forget tokens, write rates, counts and key schemas; the faults start over."""
        with self._state:
            self.stats.clear()
            self._rng.seed(self.faults.seed)
            self._tokens.clear()
            self._writes.clear()
            self._key_names.clear()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = read_body(environ)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB_"):
            return self.apply(environ).send(start_response)
        operation = target.partition(".")[2]
        hang, throttle, lost = self._roll()
        if hang:
            self._count("hangs")
        time.sleep(self.faults.latency + (self.faults.hang_seconds if hang else 0.0))
        if throttle:
            response = self._throttled()
        else:
            region = (REGION.findall(environ.get("HTTP_AUTHORIZATION", "")) or ["us-east-1"])[0]
            response = self._serve(environ, operation, json.loads(body or b"{}"), region)
        if lost and (operation in WRITES or operation == TRANSACT):
            self._count("lost")
            _drop(environ)
        return response.send(start_response)

    def _serve(self, environ: WSGIEnvironment, operation: str, payload: dict[str, Any],
               region: str) -> Response:
        if operation == TRANSACT:
            return self._transact(environ, payload, region)
        if operation in WRITES:
            key = self._key(region, payload.get("TableName", ""), payload.get("Key") or payload.get("Item"))
            with self._state:
                if key in self._held:
                    self.stats["conflicts"] += 1
                    return error("TransactionConflictException", CONFLICT)
                if self._over_rate([key], 1):
                    return self._throttled(counted=True)
        return self.apply(environ)

    def _transact(self, environ: WSGIEnvironment, payload: dict[str, Any], region: str) -> Response:
        """Check the token, take the items or conflict, hold them, apply, let them go."""
        token = payload.get("ClientRequestToken")
        digest = hashlib.sha256(json.dumps({k: v for k, v in payload.items() if k != "ClientRequestToken"},
                                           sort_keys=True).encode()).hexdigest()
        keys = [self._key(region, op.get("TableName", ""), op.get("Key") or op.get("Item"))
                for item in payload.get("TransactItems", []) for op in item.values()]
        with self._state:
            if token is not None:
                self._expire_tokens()
                prior = self._tokens.get(token)
                if prior is not None and prior.digest != digest:
                    return error("IdempotentParameterMismatchException",
                                 "Request token used with different parameters")
                if prior is not None and prior.done is None:
                    return error("TransactionInProgressException",
                                 "The transaction with the given request token is already in progress")
                if prior is not None and prior.success is not None:
                    self.stats["replayed"] += 1
                    return prior.success
            contended = [key in self._held for key in keys]
            if any(contended):
                self.stats["conflicts"] += 1
                return cancelled(contended)
            if self._over_rate(keys, 2):
                return self._throttled(counted=True)
            self._held.update(keys)
            self.stats["holds"] += 1
            if token is not None:
                self._tokens.pop(token, None)  # a failed first try runs again, as new
                self._tokens[token] = _Token(digest)
        response = None
        try:
            try:  # the commit window: what overlaps it conflicts; the wait for the local lock
                time.sleep(self.faults.hold)  # below has no equivalent on DynamoDB, so is not in it
            finally:
                with self._state:
                    self._held.difference_update(keys)
            response = self.apply(environ)
            return response
        finally:
            with self._state:
                if token is not None and (entry := self._tokens.get(token)) is not None:
                    entry.done = time.monotonic()
                    if response is not None and response.status.startswith("200"):
                        entry.success = response

    def _roll(self) -> tuple[bool, bool, bool]:
        """This request's fate (hang, throttle, lose the answer): three draws, always, in order."""
        f = self.faults
        with self._state:
            return (self._rng.random() < f.hang_rate, self._rng.random() < f.throttle_rate,
                    self._rng.random() < f.lost_rate)

    def _count(self, what: str) -> None:
        with self._state:
            self.stats[what] += 1

    def _throttled(self, counted: bool = False) -> Response:
        """The throttling answer; `counted` when the caller holds the state lock."""
        if counted:
            self.stats["throttled"] += 1
        else:
            self._count("throttled")
        return error(self.faults.throttle_code, "The level of configured provisioned throughput "
                     "for the table was exceeded. Consider increasing your provisioning level.")

    def _over_rate(self, keys: Sequence[ItemKey], weight: int) -> bool:
        """Whether writing `keys` (each costing `weight`) breaks the per-item rate; records
        the writes when it does not. Called under the state lock."""
        limit = self.faults.item_writes_per_second
        if not limit:
            return False
        now = time.monotonic()
        if len(self._writes) > 10_000:  # items not written in the last second are forgotten
            self._writes = {k: w for k, w in self._writes.items() if w and w[-1] > now - 1}
        windows = [self._writes.setdefault(key, deque()) for key in keys]
        for window in windows:
            while window and window[0] <= now - 1:
                window.popleft()
        if any(len(window) + weight > limit for window in windows):
            return True
        for window in windows:
            window.extend([now] * weight)
        return False

    def _expire_tokens(self) -> None:
        """Drop tokens completed over 10 minutes ago (oldest first). Under the state lock."""
        horizon = time.monotonic() - TOKEN_TTL
        for token, entry in list(self._tokens.items()):
            if entry.done is None or entry.done > horizon:
                break
            del self._tokens[token]

    def _key(self, region: str, table: str, attributes: dict[str, Any] | None) -> ItemKey:
        """The item a write touches: its key attributes (a Put's item holds more than them)."""
        attributes = attributes or {}
        names = self._names(region, table) or sorted(attributes)
        return table, json.dumps({name: attributes.get(name) for name in names}, sort_keys=True)

    def _names(self, region: str, table: str) -> tuple[str, ...] | None:
        """The key attribute names of `table` (None if moto does not know it), looked up once."""
        if (region, table) not in self._key_names:
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.dynamodb.models import dynamodb_backends

            with MOTO_LOCK:
                try:
                    found = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(table)
                    names: tuple[str, ...] | None = tuple(
                        n for n in (found.hash_key_attr, found.range_key_attr) if n)
                except Exception:  # an unknown table: moto answers for it when applied
                    names = None
            self._key_names[region, table] = names
        return self._key_names[region, table]


def _drop(environ: WSGIEnvironment) -> None:
    """Close the connection without an answer: the client sees it closed, not an error."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        sock.shutdown(socket.SHUT_RDWR)
    raise ConnectionAbortedError("the realistic mode dropped this answer")
