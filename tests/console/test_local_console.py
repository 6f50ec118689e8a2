"""`mgames local` serves the console on chalice's local server, beside the games."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.dynamodb import LocalDynamoDB
from infra.local.stack import LocalStack
from plugins.runtime import runtime
from plugins.store import bind_table
from tests.conftest import ROOT, operator_token, token


@pytest.fixture(scope="module")
def stack(local_dynamodb: LocalDynamoDB) -> Iterator[LocalStack]:
    """As in tests/functional/test_local_stack.py: free ports, env and bindings restored."""
    saved_env = dict(os.environ)
    local_dynamodb.reset()
    runtime.configs.clear()
    started = LocalStack(port=0, dynamodb_port=0, jobs_every=0,
                         campaigns=[ROOT / "examples" / "demo.yaml"]).start()
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


def get(stack: LocalStack, path: str, role: str | None) -> tuple[int, Any]:
    headers = {} if role is None else {"Authorization": "Bearer " + operator_token("mia", role)}
    request = urllib.request.Request(stack.console_url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_the_console_serves_on_its_own_port(stack: LocalStack) -> None:
    assert stack.console_port not in (0, 8002, stack.port)
    status, body = get(stack, "/campaigns/demo/versions", "marketer")
    assert status == 200 and body["versions"][0]["applied_by"] == "mgames local"


def test_the_console_answers_with_the_envelope(stack: LocalStack) -> None:
    status, body = get(stack, "/campaigns/demo/versions", None)
    assert status == 401 and body["error"]["request_id"]
    assert body == {"error": {"code": "TOKEN_MISSING", "message": "this call needs a bearer token",
                              "request_id": body["error"]["request_id"]}}
    status, body = get(stack, "/campaigns/demo/report", "staff")
    assert (status, body["error"]["code"]) == (403, "FORBIDDEN")


def test_a_play_reaches_the_report_through_the_stream(stack: LocalStack) -> None:
    """The local stack hands the table's stream to the aggregator every second, as Lambda's
    event source mapping would: a draw shows in the report without anyone asking for it."""
    draw = urllib.request.Request(
        stack.url + "/lucky-wheel/campaigns/demo/draws", method="POST", data=b"{}",
        headers={"Authorization": "Bearer " + token("ann"), "Content-Type": "application/json",
                 "Idempotency-Key": "local-draw-0001"})
    with urllib.request.urlopen(draw, timeout=10) as reply:
        assert reply.status == 201
    deadline = time.monotonic() + 15
    while True:
        status, body = get(stack, "/campaigns/demo/report", "marketer")
        assert status == 200, body
        if body["plays"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert body["plays"] == {"lucky-wheel": 1} and body["funnel"]["players"] == 1
