"""The H5 conventions on every game function's answer: an `X-Request-Id` (the Lambda
context's request id, in the error envelope and the log line too) and error messages in
Chinese on `Accept-Language: zh…`, codes unchanged."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from infra.local.events import LambdaContext, function_url_event
from plugins.messages import ZH
from plugins.web import logger
from tests.conftest import GameClient, token

DRAW = "/campaigns/demo/draws"


def test_every_answer_carries_a_request_id_of_its_own(wheel: GameClient) -> None:
    answers = [
        wheel.call("POST", DRAW, member="rita", key="conv-0000001"),  # 201
        wheel.call("GET", "/campaigns/demo", member="rita"),  # 200
        wheel.call("POST", DRAW, key="conv-0000002"),  # 401 from the route
        wheel.call("GET", "/no/such/route"),  # 404 from the resolver
        wheel.call("POST", DRAW, member="rita", key="conv-0000003", body="x",
                   headers={"content-type": "text/plain"}),  # 415 before routing
    ]
    assert [a.status for a in answers] == [201, 200, 401, 404, 415]
    ids = [a.headers["X-Request-Id"] for a in answers]
    assert all(ids) and len(set(ids)) == len(ids)
    for answer in answers[2:]:
        assert answer.body["error"]["request_id"] == answer.headers["X-Request-Id"]


def test_the_request_id_is_the_lambda_contexts(apply: object) -> None:
    from plugins.web import build_handler

    handler = build_handler("lucky-wheel")
    out = handler(function_url_event("GET", "/campaigns/demo"),
                  LambdaContext("lucky-wheel", aws_request_id="8f5c2a9e-0000-4000-8000-000000000001"))
    assert out["headers"]["X-Request-Id"] == "8f5c2a9e-0000-4000-8000-000000000001"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    level, buffer = logger.log_level, io.StringIO()
    logger.setLevel("INFO")
    previous = logger.registered_handler.setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    logger.registered_handler.setStream(previous)  # type: ignore[attr-defined]
    logger.setLevel(level)


def test_the_log_line_carries_the_request_id(wheel: GameClient, log_lines: io.StringIO) -> None:
    reply = wheel.call("POST", DRAW, member="rosa", key="conv-0000004")
    draws = [json.loads(line) for line in log_lines.getvalue().splitlines()
             if line.startswith("{") and json.loads(line).get("message") == "draw"]
    assert [d["correlation_id"] for d in draws] == [reply.headers["X-Request-Id"]]


@pytest.mark.parametrize("header", ["zh-CN", "zh", "zh-Hans", "en;q=0.5, zh-CN;q=0.9"])
def test_errors_answer_in_chinese_on_request(wheel: GameClient, header: str) -> None:
    reply = wheel.call("POST", DRAW, key="conv-0000005", headers={"accept-language": header})
    assert (reply.status, reply.body["error"]["code"]) == (401, "TOKEN_MISSING")
    assert reply.body["error"]["message"] == ZH["TOKEN_MISSING"]


@pytest.mark.parametrize("header", [None, "en-US", "zh;q=0.5, en", "zh;q=0", "fr"])
def test_errors_answer_in_english_otherwise(wheel: GameClient, header: str | None) -> None:
    sent = {} if header is None else {"accept-language": header}
    reply = wheel.call("POST", DRAW, key="conv-0000006", headers=sent)
    assert reply.body["error"]["message"] == "this call needs 'Authorization: Bearer <token>'"


def test_a_validation_error_and_a_missing_route_are_translated_too(wheel: GameClient) -> None:
    zh = {"accept-language": "zh-CN", "authorization": f"Bearer {token('rita')}"}
    bad = wheel.call("POST", DRAW, key="short", headers=zh)
    missing = wheel.call("GET", "/nowhere", headers=zh)
    assert bad.body["error"] == {"code": "MALFORMED_REQUEST", "message": ZH["MALFORMED_REQUEST"],
                                 "request_id": bad.headers["X-Request-Id"]}
    assert missing.body["error"]["message"] == ZH["ROUTE_NOT_FOUND"]


STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


def stamps(value: Any) -> list[str]:
    """Every timestamp-looking string in an answer."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in stamps(v)]
    if isinstance(value, list):
        return [s for v in value for s in stamps(v)]
    return [value] if isinstance(value, str) and STAMP.match(value) else []


def test_timestamps_carry_the_campaigns_offset(wheel: GameClient) -> None:
    """The demo runs in Asia/Shanghai: a draw, its coupon's validity and the history all
    answer +08:00, never UTC or zone-less."""
    answers = [wheel.call("POST", DRAW, member=f"tz-{n}", key=f"conv-tz-{n:05d}").body for n in range(3)]
    answers.append(wheel.call("GET", DRAW, member="tz-0").body)
    answers.append(wheel.call("GET", "/campaigns/demo", member="tz-0").body)
    found = [s for answer in answers for s in stamps(answer)]
    assert len(found) >= 6
    assert all(s.endswith("+08:00") for s in found), found


def test_stamp_refuses_a_naive_moment() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from plugins.clock import stamp

    shanghai = ZoneInfo("Asia/Shanghai")
    assert stamp(datetime(2026, 1, 1, tzinfo=UTC), shanghai) == "2026-01-01T08:00:00+08:00"
    assert stamp(0, shanghai) == "1970-01-01T08:00:00+08:00"
    with pytest.raises(ValueError, match="naive"):
        stamp(datetime(2026, 1, 1), shanghai)
