"""A `TransactionConflict` is retried, never taken for a failed condition: a draw whose stock
shard or action record is held by other transactions waits its turn for the prize it drew,
and when the conflicts outlast the retries the player gets 409 `CONFLICT` with `Retry-After`
and may send the same request again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

from infra.local.realistic import cancelled
from plugins.store import ActionItem, dynamodb_client
from plugins.store.transaction import CONFLICT_RETRIES
from tests.conftest import Apply, GameClient
from tests.functional.test_invariants import awarded, only

Contended = Callable[[dict[str, Any]], bool]
"""Whether a transaction item (as sent: `{"Update": {...}}`) is held by someone else."""


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


@pytest.fixture
def conflicts() -> Iterator[Callable[[Contended, int], list[int]]]:
    """`conflicts(contended, times)`: the next `times` TransactWriteItems touching a contended
    item are answered, on the wire, as DynamoDB cancels them (`TransactionConflict` on the
    contended items, `None` on the others); returns the list of transaction sizes sent."""
    events = dynamodb_client().meta.events
    handlers: list[Any] = []

    def install(contended: Contended, times: int) -> list[int]:
        sent: list[int] = []
        left = [times]

        def answer(request: Any, **_: Any) -> AWSResponse | None:
            items = json.loads(request.body)["TransactItems"]
            sent.append(len(items))
            held = [contended(item) for item in items]
            if not any(held) or left[0] == 0:
                return None
            left[0] -= 1
            response = cancelled(held)
            headers = HTTPHeaders()
            for name, value in response.headers:
                headers[name] = value
            return AWSResponse(request.url, 400, headers, _Raw(response.body))

        events.register_first("before-send.dynamodb.TransactWriteItems", answer)
        handlers.append(answer)
        return sent

    yield install
    for handler in handlers:
        events.unregister("before-send.dynamodb.TransactWriteItems", handler)


def pk_starts(prefix: str) -> Contended:
    def contended(item: dict[str, Any]) -> bool:
        op = next(iter(item.values()))
        return str((op.get("Key") or op.get("Item"))["pk"]["S"]).startswith(prefix)

    return contended


def sk_starts(prefix: str) -> Contended:
    def contended(item: dict[str, Any]) -> bool:
        op = next(iter(item.values()))
        return str((op.get("Key") or op.get("Item"))["sk"]["S"]).startswith(prefix)

    return contended


STOCK = pk_starts("C#demo#A#P#")


def test_a_conflict_on_the_stock_shard_waits_for_the_prize(
        apply: Apply, conflicts: Callable[[Contended, int], list[int]]) -> None:
    # GIVEN the grand prize in stock, its shard held by others for the first three tries
    apply(only("grand", stock=5))
    sent = conflicts(STOCK, 3)
    # WHEN a member draws it
    reply = GameClient("lucky-wheel").call("POST", "/campaigns/demo/draws", member="m1", key="key-0001")
    # THEN he gets the grand prize, not the fallback, after retrying the same transaction
    assert reply.status == 201 and reply.body["prize"]["id"] == "grand"
    assert not reply.body["fallback"]
    assert len(sent) == 4 and len(set(sent)) == 1
    assert awarded("grand") == 1


def test_a_conflict_on_the_action_record_is_retried_not_a_500(
        apply: Apply, conflicts: Callable[[Contended, int], list[int]]) -> None:
    apply(only("grand", stock=5))
    conflicts(sk_starts("ACT#"), 2)
    reply = GameClient("lucky-wheel").call("POST", "/campaigns/demo/draws", member="m1", key="key-0001")
    assert reply.status == 201 and reply.body["prize"]["id"] == "grand"


@pytest.mark.parametrize("held", ["stock", "action", "quota", "cap"])
def test_conflicts_that_outlast_the_retries_answer_409_and_the_key_may_be_retried(
        apply: Apply, conflicts: Callable[[Contended, int], list[int]], held: str) -> None:
    # GIVEN one item of the draw (stock shard, action record, quota, per-user cap) held by
    # others through every retry
    apply(only("grand", stock=5))
    wheel = GameClient("lucky-wheel")
    contended = {"stock": STOCK, "action": sk_starts("ACT#"),
                 "quota": sk_starts("Q#demo#lucky-wheel:plays#"), "cap": sk_starts("Q#demo#cap:")}
    sent = conflicts(contended[held], CONFLICT_RETRIES + 1)
    # WHEN a member draws
    reply = wheel.call("POST", "/campaigns/demo/draws", member="m1", key="key-0001")
    # THEN he is told to retry, and nothing was written
    assert (reply.status, reply.code) == (409, "CONFLICT")
    assert reply.headers["Retry-After"] == "1"
    assert len(sent) == CONFLICT_RETRIES + 1
    assert list(ActionItem.scan(ActionItem.sk.startswith("ACT#"))) == []
    # AND the same request, once the conflicts are over, draws the prize
    again = wheel.call("POST", "/campaigns/demo/draws", member="m1", key="key-0001")
    assert again.status == 201 and again.body["prize"]["id"] == "grand"
    assert again.headers["Idempotent-Replayed"] == "false"
