"""Under DynamoDB's faults every surface answers 503 SERVICE_UNAVAILABLE with Retry-After, in
the envelope, never a 500: throttling, DynamoDB's own failures, a transaction cancelled for
throttling, an unreachable endpoint, and a hanging one, bounded by the request's deadline.

Faults are injected on the real client: a test-only `before-call` hook answers an operation
as DynamoDB would (after botocore's retries), and real sockets refuse or hang."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from plugins.store import bind_table, client_settings, dynamodb_client
from tests.conftest import Apply, GameClient
from tests.console.conftest import Console, code_of

UNAVAILABLE = ["ProvisionedThroughputExceededException", "ThrottlingException",
               "RequestLimitExceeded", "InternalServerError", "ServiceUnavailable"]


@contextmanager
def answered(operation: str, parsed: dict[str, Any], status: int = 400) -> Iterator[list[str]]:
    """DynamoDB answers every `operation` with `parsed` (and `status`) while inside."""
    seen: list[str] = []

    def fake(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        seen.append(model.name)
        return AWSResponse("http://dynamodb", status, HTTPHeaders(), None), parsed

    events = dynamodb_client().meta.events
    events.register_first(f"before-call.dynamodb.{operation}", fake)
    try:
        yield seen
    finally:
        events.unregister(f"before-call.dynamodb.{operation}", fake)


def error(code: str) -> dict[str, Any]:
    return {"Error": {"Code": code, "Message": "injected"}}


def assert_unavailable(status: int, body: Any, headers: dict[str, str]) -> None:
    assert status == 503, body
    assert body == {"error": {"code": "SERVICE_UNAVAILABLE", "message": body["error"]["message"],
                              "request_id": headers["X-Request-Id"]}}
    assert "Traceback" not in body["error"]["message"]
    assert int(headers["Retry-After"]) >= 1


@pytest.mark.parametrize("code", UNAVAILABLE)
def test_a_throttled_or_failing_draw_answers_503(wheel: GameClient, code: str) -> None:
    wheel.call("GET", "/campaigns/demo")  # the config is cached: the draw's write is the call
    with answered("TransactWriteItems", error(code), 500 if "Server" in code else 400) as seen:
        reply = wheel.call("POST", "/campaigns/demo/draws", member="ann", key="draw-0001")
    assert seen
    assert_unavailable(reply.status, reply.body, reply.headers)


def test_a_transaction_cancelled_for_throttling_is_no_failed_condition(wheel: GameClient) -> None:
    # GIVEN DynamoDB cancels the draw for throttling one item (not for a condition)
    wheel.call("GET", "/campaigns/demo")
    reasons = {**error("TransactionCanceledException"),
               "CancellationReasons": [{"Code": "None"}, {"Code": "ThrottlingError"}]}
    with answered("TransactWriteItems", reasons):
        reply = wheel.call("POST", "/campaigns/demo/draws", member="ann", key="draw-0002")
    # THEN the player may retry: neither a refusal nor a fallback prize
    assert_unavailable(reply.status, reply.body, reply.headers)
    again = wheel.call("POST", "/campaigns/demo/draws", member="ann", key="draw-0002")
    assert again.status == 201 and again.headers["Idempotent-Replayed"] == "false"


def test_a_throttled_read_answers_503_on_a_game_route(wheel: GameClient) -> None:
    from plugins.runtime import runtime

    runtime.configs.clear()
    with answered("GetItem", error("ThrottlingException")):
        reply = wheel.call("GET", "/campaigns/demo")
    assert_unavailable(reply.status, reply.body, reply.headers)


@pytest.mark.parametrize("code", ["ThrottlingException", "InternalServerError"])
def test_a_throttled_console_route_answers_503(console: Console, apply: Apply, code: str) -> None:
    apply()
    with answered("GetItem", error(code)):
        reply = console.call("POST", "/coupons/verify", role="staff",
                             body={"member_id": "ann", "coupon_id": "c1", "store_id": "sh-01"})
    assert_unavailable(reply.status_code, reply.data, reply.headers)


def _unbound_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def store_at(endpoint: str, monkeypatch: pytest.MonkeyPatch, **settings: str) -> Iterator[None]:
    """The models bound to `endpoint` with short timeouts, then back to the test table."""
    saved = dynamodb_client().meta.endpoint_url
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    bind_table("mgames-test", host=endpoint)
    try:
        yield
    finally:
        for name in settings:
            monkeypatch.delenv(name)
        bind_table("mgames-test", host=saved)


@contextmanager
def hanging_endpoint() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()


SHORT = {"MGAMES_DYNAMODB_CONNECT_TIMEOUT": "0.5", "MGAMES_DYNAMODB_READ_TIMEOUT": "1.5",
         "MGAMES_DYNAMODB_MAX_ATTEMPTS": "3", "MGAMES_REQUEST_DEADLINE_SECONDS": "0.2"}
"""Without the deadline a hung call takes 3 attempts x 1.5 s = 4.5 s at least; with it, the
first attempt (1.5 s) and one backoff (under 1 s): 2.5 s at most."""


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.monotonic()
    reply = call()
    return time.monotonic() - started, reply


def test_a_hanging_dynamodb_is_bounded_by_the_request_deadline(
        wheel: GameClient, console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a DynamoDB that accepts and never answers, and attempts enough to hang 4.5 s
    from plugins.runtime import runtime

    with hanging_endpoint() as endpoint, store_at(endpoint, monkeypatch, **SHORT):
        runtime.configs.clear()
        # WHEN a player and a marketer call
        game_took, game = _timed(lambda: wheel.call("GET", "/campaigns/demo"))
        console_took, report = _timed(lambda: console.call("GET", "/campaigns/demo/report"))
    # THEN both answer 503 after the attempt under way and one backoff (slack for a busy CPU)
    assert_unavailable(game.status, game.body, game.headers)
    assert_unavailable(report.status_code, report.data, report.headers)
    assert game_took < 4 and console_took < 4


def test_an_unreachable_dynamodb_answers_503(wheel: GameClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.runtime import runtime

    with store_at(f"http://127.0.0.1:{_unbound_port()}", monkeypatch,
                  **SHORT | {"MGAMES_DYNAMODB_MAX_ATTEMPTS": "2"}):
        runtime.configs.clear()
        reply = wheel.call("POST", "/campaigns/demo/draws", member="ann", key="draw-0003")
    assert_unavailable(reply.status, reply.body, reply.headers)


def test_console_and_game_share_the_mapping(console: Console, wheel: GameClient) -> None:
    with answered("GetItem", error("ProvisionedThroughputExceededException")):
        from plugins.runtime import runtime

        runtime.configs.clear()
        game = wheel.call("GET", "/campaigns/demo")
        report = console.call("GET", "/campaigns/demo/report")
    assert (game.status, game.code) == (report.status_code, code_of(report))


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for local in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"):  # as deployed: AWS's endpoint
        monkeypatch.delenv(local, raising=False)  # (an earlier in-process `mgames --endpoint` sets it)
    monkeypatch.setenv("MGAMES_REQUEST_DEADLINE_SECONDS", "5.5")
    monkeypatch.setenv("MGAMES_DYNAMODB_MAX_ATTEMPTS", "2")
    settings = client_settings(None)
    assert (settings.deadline, settings.max_attempts, settings.read_timeout) == (5.5, 2, 1)
