"""Every rejection answers with the shared envelope and a 4xx, and writes nothing to the
store (a fraud block writes only its audit record)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from plugins.antifraud import blacklist, block_samples
from tests.conftest import FORGED, NOW, Apply, GameClient, Scan, demo_doc, token

DRAW = "/campaigns/demo/draws"


def unchanged_except_blocks(before: dict[Any, Any], after: dict[Any, Any]) -> list[Any]:
    """The keys written by the request, leaving out fraud-audit records."""
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return sorted(k for k in changed if "#BLOCKS#" not in k[0])


def assert_rejected(reply: Any, status: int, code: str) -> None:
    assert reply.status == status, reply
    assert set(reply.body) == {"error"}
    assert reply.body["error"]["code"] == code
    assert reply.body["error"]["message"]
    assert "Traceback" not in reply.body["error"]["message"]


CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("no token", {"key": "k-00000001"}, 401, "TOKEN_MISSING"),
    ("basic auth", {"key": "k-00000001", "headers": {"authorization": "Basic abc"}}, 401,
     "TOKEN_INVALID"),
    ("garbage token", {"key": "k-00000001", "headers": {"authorization": "Bearer abc.def"}}, 401,
     "TOKEN_INVALID"),
    ("forged token", {"key": "k-00000001", "headers": {
        "authorization": "Bearer " + token("eve", ring=FORGED)}}, 401, "TOKEN_INVALID"),
    ("expired token", {"key": "k-00000001", "headers": {
        "authorization": "Bearer " + token("eve", age=timedelta(hours=3))}},
     401, "TOKEN_INVALID"),
    ("no idempotency key", {"member": "eve"}, 400, "IDEMPOTENCY_KEY_MISSING"),
    ("short idempotency key", {"member": "eve", "key": "short"}, 400, "MALFORMED_REQUEST"),
    ("invalid JSON", {"member": "eve", "key": "k-00000001", "body": "{not json"}, 400,
     "MALFORMED_REQUEST"),
    ("unknown field", {"member": "eve", "key": "k-00000001", "body": {"prize": "grand"}}, 400,
     "MALFORMED_REQUEST"),
    ("channel too long", {"member": "eve", "key": "k-00000001", "body": {"channel": "x" * 41}},
     400, "MALFORMED_REQUEST"),
]


@pytest.mark.parametrize(("label", "kwargs", "status", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_draw_requests(wheel: GameClient, scan: Scan, label: str, kwargs: dict[str, Any],
                           status: int, code: str) -> None:
    before = scan()
    reply = wheel.call("POST", DRAW, **kwargs)
    assert_rejected(reply, status, code)
    assert unchanged_except_blocks(before, scan()) == []


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/campaigns/nope", 404, "CAMPAIGN_NOT_FOUND"),
    ("POST", "/campaigns/nope/draws", 404, "CAMPAIGN_NOT_FOUND"),
    ("GET", "/campaigns/Bad_Id!", 400, "MALFORMED_REQUEST"),
    ("GET", "/nowhere", 404, "ROUTE_NOT_FOUND"),
    ("DELETE", "/campaigns/demo/draws", 404, "ROUTE_NOT_FOUND"),
])
def test_bad_routes_and_campaigns(wheel: GameClient, scan: Scan, method: str, path: str, status: int,
                                  code: str) -> None:
    before = scan()
    assert_rejected(wheel.call(method, path, member="eve", key="k-00000001"), status, code)
    assert unchanged_except_blocks(before, scan()) == []


def test_game_not_enabled(apply: Apply, scan: Scan) -> None:
    doc = demo_doc()
    doc["games"]["lucky-wheel"]["enabled"] = False
    apply(doc)
    before = scan()
    reply = GameClient("lucky-wheel").call("POST", DRAW, member="eve", key="k-00000001")
    assert_rejected(reply, 404, "GAME_NOT_ENABLED")
    assert unchanged_except_blocks(before, scan()) == []


@pytest.mark.parametrize("moment", [NOW.replace(year=2025), NOW.replace(year=2031)])
def test_campaign_not_open(wheel: GameClient, scan: Scan, clock: list[datetime], moment: datetime) -> None:
    clock[0] = moment
    before = scan()
    assert_rejected(wheel.call("POST", DRAW, member="eve", key="k-00000001"), 403,
                    "CAMPAIGN_NOT_OPEN")
    assert unchanged_except_blocks(before, scan()) == []
    assert wheel.call("GET", "/campaigns/demo").body["open"] is False


def test_no_chances_left_today_then_tomorrow(wheel: GameClient, scan: Scan, clock: list[datetime]) -> None:
    for i in range(3):
        assert wheel.call("POST", DRAW, member="eve", key=f"day-{i:05d}").status == 201
    before = scan()
    reply = wheel.call("POST", DRAW, member="eve", key="day-00003")
    assert_rejected(reply, 403, "NO_CHANCES_LEFT")
    assert unchanged_except_blocks(before, scan()) == []
    # the campaign's day is Asia/Shanghai: 16:00 UTC is already tomorrow there
    clock[0] = NOW.replace(hour=16)
    assert wheel.call("POST", DRAW, member="eve", key="day-00004").status == 201


def test_no_chances_left_in_the_campaign(apply: Apply, scan: Scan, clock: list[datetime]) -> None:
    doc = demo_doc()
    doc["games"]["lucky-wheel"].update(chances_per_day=None, chances_total=2)
    apply(doc)
    wheel = GameClient("lucky-wheel")
    for day in range(2):
        clock[0] = NOW + timedelta(days=day)
        assert wheel.call("POST", DRAW, member="eve", key=f"tot-{day:05d}").status == 201
    before = scan()
    reply = wheel.call("POST", DRAW, member="eve", key="tot-00009")
    assert_rejected(reply, 403, "NO_CHANCES_LEFT")
    assert "campaign" in reply.body["error"]["message"]
    assert unchanged_except_blocks(before, scan()) == []


@pytest.mark.parametrize(("kind", "value"), [("member", "eve"), ("device", "dev-9"),
                                             ("ip", "10.9.9.9")])
def test_blacklisted_player_is_blocked_and_recorded(wheel: GameClient, scan: Scan, kind: str,
                                                   value: str) -> None:
    blacklist(kind, value, reason="chargeback ring", now=NOW)
    before = scan()
    reply = wheel.call("POST", DRAW, member="eve", device="dev-9", ip="10.9.9.9",
                       key="k-00000001")
    assert_rejected(reply, 403, "FRAUD_BLOCKED")
    assert unchanged_except_blocks(before, scan()) == []
    blocks = block_samples("demo")
    assert [(b.rule, b.member_id, b.game) for b in blocks] == [("blacklist", "eve", "lucky-wheel")]
    assert kind in blocks[0].reason
    # removing the entry lets the player in again
    blacklist(kind, value, reason=None, now=NOW, add=False)
    assert wheel.call("POST", DRAW, member="eve", key="k-00000002").status == 201


def test_device_velocity_limit(apply: Apply, scan: Scan, clock: list[datetime]) -> None:
    apply(demo_doc(velocity={"window_seconds": 60, "per_device": 2, "per_ip": 100}))
    clock[0] = NOW + timedelta(seconds=15)  # a quarter into the minute's window
    wheel = GameClient("lucky-wheel")
    for member in ("v1", "v2"):
        assert wheel.call("POST", DRAW, member=member, device="farm", key="vel-00001").status == 201
    before = scan()
    reply = wheel.call("POST", DRAW, member="v3", device="farm", key="vel-00001")
    assert_rejected(reply, 429, "RATE_LIMITED")
    assert reply.headers["Retry-After"] == "45"  # when the window ends
    assert unchanged_except_blocks(before, scan()) == []
    assert [b.rule for b in block_samples("demo")] == ["velocity_device"]
    # another device is not affected
    assert wheel.call("POST", DRAW, member="v3", device="phone", key="vel-00001").status == 201


def test_key_reused_for_another_body(wheel: GameClient, scan: Scan) -> None:
    assert wheel.call("POST", DRAW, member="eve", key="k-00000001",
                      body={"channel": "wechat"}).status == 201
    before = scan()
    reply = wheel.call("POST", DRAW, member="eve", key="k-00000001", body={"channel": "app"})
    assert_rejected(reply, 422, "IDEMPOTENCY_KEY_REUSED")
    assert unchanged_except_blocks(before, scan()) == []


def test_a_crash_is_an_envelope_without_internals(wheel: GameClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import games.lucky_wheel.routes as routes

    def boom(*_: Any, **__: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "draw", boom)
    wheel.checked = False  # a crash is the one answer the contract leaves out: it documents no 500
    reply = wheel.call("POST", DRAW, member="eve", key="k-00000001")
    assert_rejected(reply, 500, "INTERNAL_ERROR")
    assert "secret" not in reply.body["error"]["message"]
