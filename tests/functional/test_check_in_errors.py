"""Every rejected check-in or make-up answers with the shared envelope and a 4xx, and writes
nothing (a fraud block writes only its audit record)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from plugins.antifraud import blacklist, block_samples
from tests.conftest import FORGED, NOW, Apply, GameClient, Scan, token
from tests.functional.test_check_in import campaign_doc, local
from tests.functional.test_errors import assert_rejected, unchanged_except_blocks

CHECK_IN, MAKE_UP = "/campaigns/demo/check-ins", "/campaigns/demo/make-ups"


@pytest.fixture
def game(apply: Apply, clock: list[datetime]) -> GameClient:
    apply(campaign_doc())
    clock[0] = local("2026-11-25")
    return GameClient("check-in")


CASES: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("no token", CHECK_IN, {"key": "k-00000001"}, 401, "TOKEN_MISSING"),
    ("basic auth", CHECK_IN, {"key": "k-00000001", "headers": {"authorization": "Basic abc"}},
     401, "TOKEN_INVALID"),
    ("forged token", CHECK_IN, {"key": "k-00000001", "headers": {
        "authorization": "Bearer " + token("eve", ring=FORGED)}}, 401, "TOKEN_INVALID"),
    ("expired token", MAKE_UP, {"key": "k-00000001", "body": {"day": "2026-11-24"}, "headers": {
        "authorization": "Bearer " + token("eve", age=timedelta(hours=3))}},
     401, "TOKEN_INVALID"),
    ("no idempotency key", CHECK_IN, {"member": "eve"}, 400, "IDEMPOTENCY_KEY_MISSING"),
    ("no make-up key", MAKE_UP, {"member": "eve", "body": {"day": "2026-11-24"}}, 400,
     "IDEMPOTENCY_KEY_MISSING"),
    ("short idempotency key", CHECK_IN, {"member": "eve", "key": "short"}, 400, "MALFORMED_REQUEST"),
    ("invalid JSON", CHECK_IN, {"member": "eve", "key": "k-00000001", "body": "{not json"}, 400,
     "MALFORMED_REQUEST"),
    ("unknown field", CHECK_IN, {"member": "eve", "key": "k-00000001", "body": {"day": "x"}}, 400,
     "MALFORMED_REQUEST"),
    ("channel too long", CHECK_IN, {"member": "eve", "key": "k-00000001",
                                    "body": {"channel": "x" * 41}}, 400, "MALFORMED_REQUEST"),
    ("make-up without body", MAKE_UP, {"member": "eve", "key": "k-00000001"}, 400,
     "MALFORMED_REQUEST"),
    ("make-up without day", MAKE_UP, {"member": "eve", "key": "k-00000001", "body": {}}, 400,
     "MALFORMED_REQUEST"),
    ("make-up day as number", MAKE_UP, {"member": "eve", "key": "k-00000001",
                                        "body": {"day": 20261124}}, 400, "MALFORMED_REQUEST"),
    ("make-up extra field", MAKE_UP, {"member": "eve", "key": "k-00000001",
                                      "body": {"day": "2026-11-24", "free": True}}, 400,
     "MALFORMED_REQUEST"),
]


@pytest.mark.parametrize(("label", "path", "kwargs", "status", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_requests(game: GameClient, scan: Scan, label: str, path: str, kwargs: dict[str, Any],
                      status: int, code: str) -> None:
    before = scan()
    assert_rejected(game.call("POST", path, **kwargs), status, code)
    assert unchanged_except_blocks(before, scan()) == []


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/campaigns/nope", 404, "CAMPAIGN_NOT_FOUND"),
    ("POST", "/campaigns/nope/check-ins", 404, "CAMPAIGN_NOT_FOUND"),
    ("GET", "/campaigns/nope/check-ins", 404, "CAMPAIGN_NOT_FOUND"),
    ("GET", "/campaigns/Bad_Id!", 400, "MALFORMED_REQUEST"),
    ("DELETE", "/campaigns/demo/check-ins", 404, "ROUTE_NOT_FOUND"),
    ("GET", "/campaigns/demo/make-ups", 404, "ROUTE_NOT_FOUND"),
])
def test_bad_routes_and_campaigns(game: GameClient, scan: Scan, method: str, path: str, status: int,
                                  code: str) -> None:
    before = scan()
    assert_rejected(game.call(method, path, member="eve", key="k-00000001"), status, code)
    assert unchanged_except_blocks(before, scan()) == []


def test_history_needs_a_token(game: GameClient) -> None:
    assert_rejected(game.call("GET", CHECK_IN), 401, "TOKEN_MISSING")


def test_game_not_enabled(apply: Apply, scan: Scan) -> None:
    doc = campaign_doc()
    doc["games"]["check-in"]["enabled"] = False
    apply(doc)
    game = GameClient("check-in")
    before = scan()
    assert_rejected(game.call("POST", CHECK_IN, member="eve", key="k-00000001"), 404,
                    "GAME_NOT_ENABLED")
    assert_rejected(game.call("GET", "/campaigns/demo"), 404, "GAME_NOT_ENABLED")
    assert unchanged_except_blocks(before, scan()) == []


@pytest.mark.parametrize("moment", [NOW.replace(year=2025), NOW.replace(year=2031)])
@pytest.mark.parametrize("path", [CHECK_IN, MAKE_UP])
def test_campaign_not_open(
    game: GameClient, scan: Scan, clock: list[datetime], moment: datetime, path: str,
) -> None:
    clock[0] = moment
    before = scan()
    reply = game.call("POST", path, member="eve", key="k-00000001",
                      body={"day": "2025-11-22"} if path == MAKE_UP else None)
    assert_rejected(reply, 403, "CAMPAIGN_NOT_OPEN")
    assert unchanged_except_blocks(before, scan()) == []
    assert game.call("GET", "/campaigns/demo").body["open"] is False


def test_blacklisted_member_is_blocked_and_recorded(game: GameClient, scan: Scan) -> None:
    blacklist("member", "eve", reason="bot farm", now=NOW)
    before = scan()
    reply = game.call("POST", CHECK_IN, member="eve", key="k-00000001")
    assert_rejected(reply, 403, "FRAUD_BLOCKED")
    assert unchanged_except_blocks(before, scan()) == []
    blocks = block_samples("demo")
    assert [(b.rule, b.member_id, b.game) for b in blocks] == [("blacklist", "eve", "check-in")]
