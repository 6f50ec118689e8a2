"""The console app under chalice.test.Client, with tokens per role."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
from chalice.test import Client

from tests.conftest import operator_token, token
from tests.contract import assert_conforms


@cache
def document() -> dict[str, Any]:
    """The console's OpenAPI document: every answer the console tests get is checked against it."""
    from functions.console.app import document_text

    parsed: dict[str, Any] = json.loads(document_text())
    return parsed


def auth(role: str | None, who: str = "mia") -> dict[str, str]:
    credential = token(who) if role is None else operator_token(who, role)
    return {"authorization": f"Bearer {credential}"}


class Console:
    """Calls the console app the way API Gateway would (through chalice.test.Client)."""

    def __init__(self, client: Client, aggregate: Callable[[], int]) -> None:
        self.client, self.aggregate = client, aggregate

    def call(self, method: str, path: str, *, role: str | None = "marketer", body: Any = None,
             headers: dict[str, str] | None = None, key: str | None = "fresh") -> Any:
        """`method path` as the `role` (or with `headers`); a write carries a fresh
        Idempotency-Key unless given one, or none with `key=None`."""
        if method == "GET" and path.partition("?")[0].endswith("/report"):
            self.aggregate()  # the stream's aggregator has run by the time a report is read
        sent = dict(headers if headers is not None else auth(role) if role else {})
        if method != "GET" and key is not None:
            sent.setdefault("idempotency-key", uuid.uuid4().hex if key == "fresh" else key)
        raw = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        if raw is not None:
            sent.setdefault("content-type", "application/json")
        reply = getattr(self.client.http, method.lower())(path, headers=sent, body=raw)
        media = {k.lower(): v for k, v in reply.headers.items()}.get("content-type", "application/json")
        media = media.split(";")[0].strip()
        reply.data = json.loads(reply.body) if reply.body and media == "application/json" else None
        assert_conforms(document(), method, path, reply.status_code, reply.data, reply.headers)
        return reply


@pytest.fixture
def console(table: str, clock: Any, aggregate: Callable[[], int]) -> Iterator[Console]:
    from functions.console.app import app

    with Client(app) as client:
        yield Console(client, aggregate)


def code_of(reply: Any) -> str | None:
    return (reply.data or {}).get("error", {}).get("code")
