"""Console errors and roles: every failure is the shared envelope with its status."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import demo_doc
from tests.console.conftest import Console, auth, code_of


@pytest.mark.parametrize(("headers", "status", "code"), [
    ({}, 401, "TOKEN_MISSING"),
    ({"authorization": "Basic abc"}, 401, "TOKEN_INVALID"),
    ({"authorization": "Bearer not-a-token"}, 401, "TOKEN_INVALID"),
    ("staff", 403, "FORBIDDEN"),
    (None, 403, "FORBIDDEN"),
])
def test_marketer_routes_refuse_bad_credentials(console: Console,
                                                headers: dict[str, str] | str | None,
                                                status: int, code: str) -> None:
    if not isinstance(headers, dict):  # a role: minted now, on the test clock
        headers = auth(headers)
    reply = console.call("GET", "/campaigns/demo/versions", headers=headers)
    assert (reply.status_code, code_of(reply)) == (status, code)
    assert set(reply.data["error"]) == {"code", "message", "request_id"}


def test_staff_routes_refuse_a_marketer(console: Console) -> None:
    reply = console.call("POST", "/coupons/verify", role="marketer",
                         body={"member_id": "a", "coupon_id": "b"})
    assert (reply.status_code, code_of(reply)) == (403, "FORBIDDEN")


@pytest.mark.parametrize("body", ["{not json", {"member_id": "a"}, {"member_id": "a",
                                  "coupon_id": "b", "extra": 1}, [1, 2], ""])
def test_a_bad_body_is_400_malformed(console: Console, body: Any) -> None:
    reply = console.call("POST", "/coupons/verify", role="staff", body=body)
    assert (reply.status_code, code_of(reply)) == (400, "MALFORMED_REQUEST")


def test_apply_reports_every_config_problem_as_422(console: Console, scan: Any) -> None:
    doc = demo_doc(budget="-1", timezone="Mars/Olympus")
    reply = console.call("POST", "/campaigns", body=doc)
    assert (reply.status_code, code_of(reply)) == (422, "CONFIG_INVALID")
    assert "budget" in reply.data["error"]["message"] and "timezone" in reply.data["error"]["message"]
    assert scan() == {}
    assert code_of(console.call("POST", "/campaigns", body="[")) == "MALFORMED_REQUEST"
    assert code_of(console.call("POST", "/campaigns", body=[1])) == "MALFORMED_REQUEST"


def test_apply_then_versions(console: Console) -> None:
    first = console.call("POST", "/campaigns", body=demo_doc())
    assert first.status_code == 201 and first.data["version"] == 1
    assert console.call("POST", "/campaigns", body=demo_doc(name="Demo 2")).data["version"] == 2
    listed = console.call("GET", "/campaigns/demo/versions")
    assert [v["version"] for v in listed.data["versions"]] == [2, 1]  # newest first
    assert listed.data["versions"][-1]["applied_by"] == "mia"
    missing = console.call("GET", "/campaigns/nope/versions", role="admin")
    assert (missing.status_code, code_of(missing)) == (404, "CAMPAIGN_NOT_FOUND")
    assert code_of(console.call("GET", "/campaigns/nope/versions")) == "FORBIDDEN"  # not hers


def test_kill_switch_turns_a_game_off_and_on(console: Console, apply: Any) -> None:
    from plugins.runtime import runtime
    from tests.conftest import GameClient

    apply()
    wheel = GameClient("lucky-wheel")
    off = console.call("POST", "/campaigns/demo/games/lucky-wheel/disable")
    assert off.status_code == 200 and off.data["version"] == 2 and off.data["enabled"] is False
    assert "lucky-wheel" not in off.data["games"]
    runtime.configs.clear()  # the functions' cache TTL elapsing
    assert wheel.call("GET", "/campaigns/demo").code == "GAME_NOT_ENABLED"
    on = console.call("POST", "/campaigns/demo/games/lucky-wheel/enable")
    assert on.data["version"] == 3 and "lucky-wheel" in on.data["games"]
    runtime.configs.clear()
    assert wheel.call("GET", "/campaigns/demo").status == 200
    versions = console.call("GET", "/campaigns/demo/versions").data["versions"]
    assert [v["games"]["lucky-wheel"] for v in versions] == [True, False, True]
    unknown = console.call("POST", "/campaigns/demo/games/pinball/disable")
    assert (unknown.status_code, code_of(unknown)) == (404, "GAME_NOT_ENABLED")
    assert code_of(console.call("POST", "/campaigns/nope/games/booking/disable", role="admin")) == \
        "CAMPAIGN_NOT_FOUND"


def test_the_campaign_switch_stops_every_game_and_starts_them_again(console: Console, apply: Any) -> None:
    from plugins.runtime import runtime
    from tests.conftest import GameClient

    apply()
    wheel, check_in = GameClient("lucky-wheel"), GameClient("check-in")
    off = console.call("POST", "/campaigns/demo/disable")
    assert off.status_code == 200 and (off.data["game"], off.data["enabled"], off.data["version"]) == \
        (None, False, 2)
    runtime.configs.clear()  # the functions' cache TTL elapsing
    assert wheel.call("GET", "/campaigns/demo").body["open"] is False
    refused = [wheel.call("POST", "/campaigns/demo/draws", member="ann", key="draw-key-ann"),
               check_in.call("POST", "/campaigns/demo/check-ins", member="ann", key="check-in-key-ann")]
    assert [(r.status, r.code) for r in refused] == [(403, "CAMPAIGN_NOT_OPEN")] * 2
    again = console.call("POST", "/campaigns/demo/disable")  # a new key: one more version, still off
    assert again.data["enabled"] is False
    on = console.call("POST", "/campaigns/demo/enable")
    assert on.status_code == 200 and on.data["enabled"] is True
    runtime.configs.clear()
    assert wheel.call("POST", "/campaigns/demo/draws", member="ann", key="draw-key-ann").status == 201
    versions = console.call("GET", "/campaigns/demo/versions").data["versions"]
    assert [v["enabled"] for v in versions] == [True, False, False, True]
    assert code_of(console.call("POST", "/campaigns/nope/disable", role="admin")) == "CAMPAIGN_NOT_FOUND"
    assert code_of(console.call("POST", "/campaigns/demo/disable", role="staff")) == "FORBIDDEN"
