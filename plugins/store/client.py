"""How the store's botocore client behaves when DynamoDB does not answer promptly.

Three promises, kept on the client itself so that every model and every call site gets them:
- **bounded calls**: explicit connect and read timeouts and a bounded number of attempts
  (botocore's standard retry mode), from `ClientSettings`;
- **a deadline per request**: `request_deadline()` marks when the request must give up; every
  attempt (the first and each retry, of every call) checks it before it is sent, so a request
  ends within its deadline, the attempt under way and the backoff chosen before it;
- **one error for "not now"**: throttling, DynamoDB's own failures, timeouts and unreachable
  endpoints, once botocore's retries are spent, and a transaction cancelled for throttling,
  all become `ServiceUnavailableError` (503 SERVICE_UNAVAILABLE, `Retry-After`) instead of
  PynamoDB's errors, which callers would take for a failed condition or a crash.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError
from pynamodb.connection.base import Connection
from pynamodb.exceptions import UpdateError

from plugins.errors import ConflictError, ServiceUnavailableError
from plugins.timebox import Deadline

__all__ = ["LOST_RACE", "ClientSettings", "FaultAwareConnection", "client_settings", "request_deadline",
           "use"]

LOST_RACE = (UpdateError, ConflictError)
"""What a conditional single-item update that lost to another writer raises: its condition
failed, or DynamoDB refused it while a transaction held the item (`_check_answer`)."""

UNAVAILABLE_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable",
})
"""Error codes of a call DynamoDB did not do, and may do when asked again later."""
UNAVAILABLE_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded"})
"""Cancellation reasons of a transaction DynamoDB did not try, as opposed to a failed condition."""


@dataclass(frozen=True)
class ClientSettings:
    """Timeouts (seconds), attempts per call, and the total time a request may take."""

    connect_timeout: float
    read_timeout: float
    max_attempts: int
    deadline: float

    @property
    def pynamodb(self) -> dict[str, float]:
        """As PynamoDB's `Meta` options (it makes 1 + max_retry_attempts attempts)."""
        return {"connect_timeout_seconds": self.connect_timeout,
                "read_timeout_seconds": self.read_timeout,
                "max_retry_attempts": self.max_attempts - 1}


# On AWS a request must end before the function's 10 s timeout (template.yaml): it starts no
# attempt after 5 s; past that, the attempt under way (1 s connect + 1 s read) and a backoff
# botocore already chose (standard mode, 3 attempts: under 2 s) end by 9 s. DynamoDB answers
# in milliseconds: a read that takes a second is a hung connection, retried anew.
AWS = ClientSettings(connect_timeout=1, read_timeout=1, max_attempts=3, deadline=5)
# A custom endpoint (the local stack, the tests: moto applying one request at a time) may queue
# a call behind dozens of others for seconds, which is no hang.
LOCAL = ClientSettings(connect_timeout=15, read_timeout=30, max_attempts=4, deadline=120)
ENVIRONMENT = {"connect_timeout": "MGAMES_DYNAMODB_CONNECT_TIMEOUT",
               "read_timeout": "MGAMES_DYNAMODB_READ_TIMEOUT",
               "max_attempts": "MGAMES_DYNAMODB_MAX_ATTEMPTS",
               "deadline": "MGAMES_REQUEST_DEADLINE_SECONDS"}


def client_settings(host: str | None = None) -> ClientSettings:
    """Bounded on AWS, patient on a custom endpoint; each value overridable by its variable."""
    custom = host or os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")
    base = LOCAL if custom else AWS
    values: dict[str, Any] = {}
    for name, variable in ENVIRONMENT.items():
        raw = os.environ.get(variable)
        kind = int if name == "max_attempts" else float
        values[name] = kind(raw) if raw else getattr(base, name)
    return ClientSettings(**values)


_request = threading.local()
_bound = AWS


def use(settings: ClientSettings) -> ClientSettings:
    """Make `settings` those of the client in use (their deadline bounds every request)."""
    global _bound
    _bound = settings
    return settings


@contextmanager
def request_deadline(seconds: float | None = None) -> Iterator[None]:
    """Within this block (one request, on this thread) no DynamoDB attempt starts after
    `seconds` (by default the bound settings' deadline): it fails with ServiceUnavailableError."""
    saved = getattr(_request, "deadline", None)
    _request.deadline = Deadline.within(_bound.deadline if seconds is None else seconds)
    try:
        yield
    finally:
        _request.deadline = saved


def _check_deadline(**_: Any) -> None:
    deadline: Deadline | None = getattr(_request, "deadline", None)
    if deadline is not None and deadline.passed():
        raise ServiceUnavailableError("the request ran out of time; retry later")


def _check_answer(parsed: dict[str, Any], **_: Any) -> None:
    error = parsed.get("Error", {}).get("Code")
    reasons = {r.get("Code") for r in parsed.get("CancellationReasons", ()) or ()}
    if error in UNAVAILABLE_CODES or reasons & UNAVAILABLE_REASONS:
        raise ServiceUnavailableError("the store is busy; retry later")
    if error == "TransactionConflictException":  # a single write on an item a transaction held
        raise ConflictError("another write held this item meanwhile; retry with the same key")


def _check_failure(exception: Exception, **_: Any) -> None:
    if isinstance(exception, HTTPClientError | BotoConnectionError):
        raise ServiceUnavailableError("the store cannot be reached; retry later") from exception


class FaultAwareConnection(Connection):
    """PynamoDB's connection whose botocore client, whenever PynamoDB (re)creates it, carries
    the deadline check and the translation of unavailability."""

    _hooked: Any = None

    @property
    def client(self) -> Any:
        client = super().client
        if self._hooked is not client:
            events = client.meta.events
            events.register("before-send.dynamodb", _check_deadline)
            events.register("after-call.dynamodb", _check_answer)
            events.register("after-call-error.dynamodb", _check_failure)
            self._hooked = client
        return client
