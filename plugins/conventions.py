"""What every answer of every HTTP surface carries, whichever route built it: the request's id
(the `X-Request-Id` header, `error.request_id` in the envelope, the log line's correlation id)
and the language of its error messages (`Accept-Language`).

Each surface opens `answering(...)` once per request (the game functions' resolver, the
console's view wrapper); `plugins.http` reads it when it builds an envelope. A `ContextVar`,
so the threaded local servers keep their requests apart.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from plugins.messages import ENGLISH, language_of

__all__ = ["ACCEPTED_HEADERS", "EXPOSED_HEADERS", "REQUEST_ID", "Exchange", "answering", "current",
           "stamped"]

REQUEST_ID = "X-Request-Id"
EXPOSED_HEADERS = ("Idempotent-Replayed", "Retry-After", REQUEST_ID)
"""The response headers a page must be able to read: CORS exposes them on every surface."""
ACCEPTED_HEADERS = ("Accept-Language", "Authorization", "Content-Type", "Idempotency-Key")
"""The request headers a page sends: CORS allows them on every surface."""


@dataclass(frozen=True)
class Exchange:
    """The request being answered: its id and the language its messages are in."""

    request_id: str
    language: str = ENGLISH


_current: ContextVar[Exchange | None] = ContextVar("exchange", default=None)


@contextmanager
def answering(request_id: str | None, accept_language: str | None) -> Iterator[Exchange]:
    """Answer one request: its id (a generated one when the platform gives none) and the
    language its `Accept-Language` header asks for."""
    exchange = Exchange(request_id or str(uuid.uuid4()), language_of(accept_language))
    token = _current.set(exchange)
    try:
        yield exchange
    finally:
        _current.reset(token)


def current() -> Exchange | None:
    """The request being answered, None outside one (a worker, a CLI)."""
    return _current.get()


def stamped(headers: Mapping[str, str]) -> dict[str, str]:
    """`headers` with the request's `X-Request-Id` (unchanged outside a request)."""
    exchange = current()
    return dict(headers) if exchange is None else {**headers, REQUEST_ID: exchange.request_id}
