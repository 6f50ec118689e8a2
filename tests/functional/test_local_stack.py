"""`mgames local` in-process: the embedded DynamoDB, the demo campaign and every game's function
URL on one port, played over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest

from infra.cli import main
from infra.local.dynamodb import LocalDynamoDB
from infra.local.stack import LocalStack
from plugins.clock import utc_now
from plugins.identity.tokens import mint_player
from plugins.runtime import runtime
from plugins.store import bind_table
from tests.conftest import ROOT

CORS_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Allow-Headers",
                "Access-Control-Allow-Methods", "Access-Control-Max-Age")
HIDDEN = {"weight", "stock", "cost", "shards", "per_user_cap"}


@dataclass
class Answer:
    status: int
    body: Any
    headers: Message

    @property
    def code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


@pytest.fixture(scope="module")
def stack(local_dynamodb: LocalDynamoDB) -> Iterator[LocalStack]:
    """The stack on free ports. It sets process env and rebinds the models: both undone after.

    moto keeps one state per process, shared with the session's DynamoDB, so it is reset
    before (a clean table for the demo) and after (the next test creates its own)."""
    saved_env = dict(os.environ)
    local_dynamodb.reset()
    runtime.configs.clear()
    started = LocalStack(port=0, dynamodb_port=0, campaigns=[ROOT / "examples" / "demo.yaml"]).start()
    try:
        yield started
    finally:
        started.stop()
        for name in set(os.environ) - set(saved_env):
            del os.environ[name]
        os.environ.update(saved_env)
        bind_table("mgames-test", host=local_dynamodb.endpoint_url)
        runtime.configs.clear()
        local_dynamodb.reset()


def http(stack: LocalStack, method: str, path: str, *, headers: dict[str, str] | None = None,
         body: bytes | None = None) -> Answer:
    assert stack.host == "127.0.0.1"
    request = urllib.request.Request(stack.url + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            status, raw, sent = reply.status, reply.read(), reply.headers
    except urllib.error.HTTPError as err:
        status, raw, sent = err.code, err.read(), err.headers
    return Answer(status, json.loads(raw) if raw else None, sent)


def bearer(member: str, device: str | None = None) -> dict[str, str]:
    """A player token the stack verifies (signed with its player ring, local or this process's)."""
    token = mint_player(member, now=utc_now(), ttl=timedelta(hours=2), device_id=device)
    return {"Authorization": f"Bearer {token}"}


def draw(stack: LocalStack, headers: dict[str, str], body: bytes | None = b"{}") -> Answer:
    sent = headers | ({"Content-Type": "application/json"} if body is not None else {})
    return http(stack, "POST", "/lucky-wheel/campaigns/demo/draws", headers=sent, body=body)


def assert_envelope(answer: Answer, status: int, code: str) -> None:
    assert answer.status == status, answer
    assert set(answer.body) == {"error"}
    assert answer.body["error"]["code"] == code
    assert answer.body["error"]["message"]
    assert answer.headers.get_content_type() == "application/json"


def keys_anywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_anywhere(v)}
    return set()


def test_the_stack_started_with_the_demo(stack: LocalStack) -> None:
    assert [(c.id, c.version) for c in stack.applied] == [("demo", 1)]
    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == stack.dynamodb.endpoint_url


def test_the_index_lists_every_game(stack: LocalStack) -> None:
    index = http(stack, "GET", "/")

    assert index.status == 200
    assert index.body["games"]["lucky-wheel"] == f"{stack.url}/lucky-wheel/"


def test_the_campaign_page_shows_no_odds_stock_or_cost(stack: LocalStack) -> None:
    page = http(stack, "GET", "/lucky-wheel/campaigns/demo")

    assert page.status == 200
    assert page.body["campaign_id"] == "demo"
    assert page.body["open"] is True
    assert [p["id"] for p in page.body["prizes"]] == ["grand", "coupon-50", "coffee", "points-100",
                                                      "thanks"]
    assert page.body["prizes"][0]["value"] == "1299.00"
    assert not keys_anywhere(page.body) & HIDDEN


def test_the_openapi_document_lists_the_wheel_routes(stack: LocalStack) -> None:
    schema = http(stack, "GET", "/lucky-wheel/openapi.json")

    assert schema.status == 200
    assert schema.body["openapi"].startswith("3.1")
    routes = {(path, method) for path, ops in schema.body["paths"].items() for method in ops}
    assert routes == {("/campaigns/{campaign_id}", "get"), ("/campaigns/{campaign_id}/draws", "get"),
                      ("/campaigns/{campaign_id}/draws", "post"), ("/campaigns/{campaign_id}/visits", "post"),
                      ("/campaigns/{campaign_id}/commitments", "get"),
                      ("/campaigns/{campaign_id}/draws/{draw_id}/verification", "get"),
                      ("/campaigns/{campaign_id}/disclosure", "get")}
    assert not keys_anywhere(schema.body["components"]) & {"weight", "stock", "cost"}


def test_a_draw_is_exactly_once_per_key(stack: LocalStack) -> None:
    # GIVEN a player's token and one idempotency key
    headers = bearer("alice", "phone-1") | {"Idempotency-Key": "local-draw-0001"}

    # WHEN the page sends the draw twice (a retry after a timeout)
    first = draw(stack, headers)
    retry = draw(stack, headers)

    # THEN one draw, answered twice the same way
    assert first.status == 201, first
    assert first.body["prize"]["id"] and first.body["draw_id"]
    assert first.headers["Idempotent-Replayed"] == "false"
    assert (retry.status, retry.body) == (201, first.body)
    assert retry.headers["Idempotent-Replayed"] == "true"
    mine = http(stack, "GET", "/lucky-wheel/campaigns/demo/draws", headers=bearer("alice"))
    assert [d["draw_id"] for d in mine.body["draws"]] == [first.body["draw_id"]]
    page = http(stack, "GET", "/lucky-wheel/campaigns/demo", headers=bearer("alice"))
    assert page.body["chances"]["left_today"] == 2


def test_a_token_from_mgames_token_plays(stack: LocalStack, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "bob", "--device", "phone-2"]) == 0
    token = capsys.readouterr().out.strip()

    answer = draw(stack, {"Authorization": f"Bearer {token}", "Idempotency-Key": "local-draw-bob1"})

    assert answer.status == 201, answer


@pytest.mark.parametrize(("headers", "body", "status", "code"), [
    ({}, b"{}", 401, "TOKEN_MISSING"),
    ({"Authorization": "Bearer not.a.token"}, b"{}", 401, "TOKEN_INVALID"),
    ("member", b"{}", 400, "IDEMPOTENCY_KEY_MISSING"),
    ("member+key", b"{not json", 400, "MALFORMED_REQUEST"),
    ("member+key", b'{"prize": "grand"}', 400, "MALFORMED_REQUEST"),
], ids=["no token", "bad token", "no key", "bad JSON", "unknown field"])
def test_a_bad_draw_gets_the_envelope(stack: LocalStack, headers: Any, body: bytes, status: int,
                                      code: str) -> None:
    if headers == "member":
        headers = bearer("carol")
    elif headers == "member+key":
        headers = bearer("carol") | {"Idempotency-Key": "local-bad-0001"}

    answer = draw(stack, headers, body)

    assert_envelope(answer, status, code)


def test_an_unknown_game_or_route_is_a_404_envelope(stack: LocalStack) -> None:
    assert_envelope(http(stack, "GET", "/smash-egg/campaigns/demo"), 404, "ROUTE_NOT_FOUND")
    assert_envelope(http(stack, "GET", "/lucky-wheel/prizes"), 404, "ROUTE_NOT_FOUND")
    assert_envelope(http(stack, "GET", "/lucky-wheel/campaigns/nope"), 404, "CAMPAIGN_NOT_FOUND")


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 200),
    ("GET", "/lucky-wheel/campaigns/demo", 200),
    ("GET", "/lucky-wheel/openapi.json", 200),
    ("POST", "/lucky-wheel/campaigns/demo/draws", 401),
    ("GET", "/smash-egg/", 404),
    ("OPTIONS", "/lucky-wheel/campaigns/demo/draws", 204),
])
def test_cors_headers_are_sent_exactly_once(stack: LocalStack, method: str, path: str,
                                            status: int) -> None:
    headers = {"Origin": "https://h5.example.com"}
    if method == "POST":
        headers["Content-Type"] = "application/json"
    answer = http(stack, method, path, headers=headers, body=b"{}" if method == "POST" else None)

    assert answer.status == status
    for name in CORS_HEADERS:
        assert len(answer.headers.get_all(name) or []) == 1, (name, answer.headers.items())
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "idempotency-key" in answer.headers["Access-Control-Allow-Headers"]


def test_the_local_sign_in_mints_a_members_token_of_the_tier_asked(stack: LocalStack) -> None:
    def sign_in(body: dict[str, Any]) -> Answer:
        return http(stack, "POST", "/local/token", headers={"Content-Type": "application/json"},
                    body=json.dumps(body).encode())

    gold = sign_in({"member_id": "tina", "tier": "gold"})
    assert gold.status == 201 and gold.body["member_id"] == "tina"
    page = http(stack, "GET", "/lucky-wheel/campaigns/demo",
                headers={"Authorization": f"Bearer {gold.body['token']}"})
    assert page.body["chances"]["per_day"] == 5  # the demo's gold chances
    for bad in ({"member_id": "tina", "tier": "Gold!"}, {"member_id": "tina", "tier": 3}, {"member_id": ""}):
        assert_envelope(sign_in(bad), 400, "MALFORMED_REQUEST")
