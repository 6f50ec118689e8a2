"""The conformance check (tests/contract.py) itself: it fails an answer whose error code its
operation does not list (per operation, not per game), whose headers depart from the document
(no request id, `Retry-After` missing or misplaced, `Idempotent-Replayed` missing or
undeclared, a bad value) or whose times lack their offset; a conforming answer passes."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from infra.openapi import documents
from tests.contract import violations

OK = {"X-Request-Id": "req-1"}
DRAWS = "/campaigns/demo/draws"


@cache
def doc(name: str) -> dict[str, Any]:
    return documents()[name]


def error(code: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": "why", "request_id": "req-1"}}


DRAW = {"draw_id": "20261123120000aaaaaaaaaaaa", "drawn_at": "2026-11-23T12:00:00+08:00",
        "prize": {"id": "thanks", "name": "Thanks", "value": "0.00"}, "reward": None, "fallback": True}


def test_a_conforming_answer_passes() -> None:
    assert violations(doc("lucky-wheel"), "POST", DRAWS, 201, DRAW,
                      OK | {"Idempotent-Replayed": "false"}) == []
    assert violations(doc("lucky-wheel"), "POST", DRAWS, 409, error("CONFLICT"),
                      OK | {"Retry-After": "1"}) == []
    assert violations(doc("booking"), "POST", "/campaigns/demo/bookings", 409, error("SOLD_OUT"), OK) == []


def test_a_code_the_operation_does_not_list_fails_though_its_game_answers_it() -> None:
    # OWN_PACKET is a 403 of the red packets' grab, not of their order report
    grab = violations(doc("red-packet"), "POST", "/campaigns/demo/packets/x/grabs", 403,
                      error("OWN_PACKET"), OK)
    order = violations(doc("red-packet"), "POST", "/campaigns/demo/orders", 403, error("OWN_PACKET"), OK)
    assert grab == [] and any("OWN_PACKET" in v for v in order)
    # NO_CHANCES_LEFT: a draw's, never the wheel's page
    page = violations(doc("lucky-wheel"), "GET", "/campaigns/demo", 403, error("NO_CHANCES_LEFT"), OK)
    assert any("NO_CHANCES_LEFT" in v for v in page)


@pytest.mark.parametrize(("status", "body", "headers", "why"), [
    (201, DRAW, {"Idempotent-Replayed": "false"}, "no X-Request-Id"),
    (201, DRAW, OK, "no Idempotent-Replayed"),
    (201, DRAW, OK | {"Idempotent-Replayed": "maybe"}, "Idempotent-Replayed"),
    (403, error("NO_CHANCES_LEFT"), OK | {"Idempotent-Replayed": "false"}, "undeclared"),
    (503, error("SERVICE_UNAVAILABLE"), OK, "no Retry-After"),
    (429, error("RATE_LIMITED"), OK | {"Retry-After": "soon"}, "Retry-After"),
    (409, error("CONFLICT"), OK, "no Retry-After"),
    (403, error("NO_CHANCES_LEFT"), OK | {"Retry-After": "1"}, "waiting changes nothing"),
])
def test_headers_that_depart_from_the_document_fail(status: int, body: Any, headers: dict[str, str],
                                                    why: str) -> None:
    found = violations(doc("lucky-wheel"), "POST", DRAWS, status, body, headers)
    assert any(why in v for v in found), found


def test_a_business_409_with_retry_after_fails() -> None:
    found = violations(doc("booking"), "POST", "/campaigns/demo/bookings", 409, error("SOLD_OUT"),
                       OK | {"Retry-After": "1"})
    assert any("waiting changes nothing" in v for v in found), found


def test_a_header_declared_nowhere_in_the_document_fails() -> None:
    broken = documents()["lucky-wheel"]
    del broken["components"]["headers"]["Idempotent-Replayed"]
    found = violations(broken, "POST", DRAWS, 201, DRAW, OK | {"Idempotent-Replayed": "false"})
    assert any("not declared in the components" in v for v in found), found


def test_an_unknown_path_still_needs_its_request_id() -> None:
    found = violations(doc("lucky-wheel"), "GET", "/nowhere", 404, error("ROUTE_NOT_FOUND"), {})
    assert found == ["GET /nowhere 404: no X-Request-Id"]


@pytest.mark.parametrize("when", ["2026-11-23T04:00:00Z", "2026-11-23T12:00:00", "2026-11-23T04:00:00.5Z"])
def test_a_time_without_its_offset_fails(when: str) -> None:
    found = violations(doc("lucky-wheel"), "POST", DRAWS, 201, DRAW | {"drawn_at": when},
                       OK | {"Idempotent-Replayed": "false"})
    assert any("without the campaign's offset" in v for v in found), found
