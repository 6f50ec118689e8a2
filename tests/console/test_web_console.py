"""What the web console reads and writes through the console: its page, the campaigns list,
validation with every problem at its field, one version's config, the report's page."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from tests.conftest import Apply, Scan, demo_doc, operator_token
from tests.console.conftest import Console, auth, code_of


def marketer_of(*campaigns: str) -> dict[str, str]:
    return {"authorization": "Bearer " + operator_token("mia", "marketer", campaigns=campaigns)}


def test_the_page_is_public_and_carries_its_script_inline(console: Console,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    reply = console.call("GET", "/", role=None)
    page = reply.body.decode()
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page and "<title>营销活动控制台</title>" in page
    assert not re.search(r"<script[^>]*\ssrc=", page), "every script is inline: nothing fetched elsewhere"
    assert len(page) > 50_000 and '{"localTokenUrl"' not in page  # no local sign-in when deployed
    monkeypatch.setenv("MGAMES_LOCAL_TOKEN_URL", "http://127.0.0.1:8000/local/token")
    page = console.call("GET", "/", role=None).body.decode()
    assert '{"localTokenUrl": "http://127.0.0.1:8000/local/token"}' in page


def test_a_marketer_lists_the_campaigns_the_credential_covers(console: Console, apply: Apply) -> None:
    apply()
    apply(demo_doc(id="autumn", name="Autumn"))
    console.call("POST", "/campaigns/demo/games/booking/disable")
    mine = console.call("GET", "/campaigns").data["campaigns"]
    assert [c["campaign_id"] for c in mine] == ["demo"]
    assert mine[0]["version"] == 2 and mine[0]["name"] == "Double 11 member week"
    assert mine[0]["games"]["booking"] is False and mine[0]["games"]["lucky-wheel"] is True
    other = console.call("GET", "/campaigns", headers=marketer_of("winter"))
    assert other.status_code == 200 and other.data == {"campaigns": []}
    every = console.call("GET", "/campaigns", role="admin").data["campaigns"]
    assert [(c["campaign_id"], c["version"]) for c in every] == [("autumn", 1), ("demo", 2)]


def broken() -> dict[str, Any]:
    """The demo with a bad time zone, a prize dearer than the budget, a check-in blind-box prize
    without a weight, and no budget."""
    doc = demo_doc(timezone="Mars/Olympus")
    del doc["budget"]
    doc["games"]["lucky-wheel"]["prizes"][0]["cost"] = "abc"
    del doc["games"]["check-in"]["blind_box"]["prizes"][1]["weight"]
    return doc


def test_validate_names_each_problem_at_its_field_and_writes_nothing(console: Console, scan: Scan) -> None:
    before = scan()
    reply = console.call("POST", "/campaigns/validate", body=broken(), key=None,
                         headers=auth("marketer") | {"accept-language": "zh-CN"})
    assert (reply.status_code, code_of(reply)) == (422, "CONFIG_INVALID")
    assert reply.data["error"]["message"] == "活动配置无效"
    fields = {p["field"]: p["message"] for p in reply.data["error"]["problems"]}
    assert set(fields) == {"timezone", "budget", "games.lucky-wheel.prizes.0.cost",
                           "games.check-in.blind_box.prizes.1.weight"}, fields
    assert "Mars/Olympus" in fields["timezone"] and fields["budget"] == "Field required"
    assert scan() == before
    fine = console.call("POST", "/campaigns/validate", body=demo_doc(), key=None)
    assert fine.status_code == 200 and fine.data["valid"] is True and "version" not in fine.data
    assert fine.data["campaign_id"] == "demo" and "lucky-wheel" in fine.data["games"]
    assert scan() == before
    foreign = console.call("POST", "/campaigns/validate", body=demo_doc(id="autumn"), key=None)
    assert (foreign.status_code, code_of(foreign)) == (403, "FORBIDDEN")


def test_a_prize_dearer_than_the_budget_is_named_where_its_pool_is(console: Console) -> None:
    doc = demo_doc(budget="20.00")
    reply = console.call("POST", "/campaigns", body=doc)
    fields = [p["field"] for p in reply.data["error"]["problems"]]
    # the wheel is its own pool; check-in's blind box is its `blind_box` field
    assert "games.lucky-wheel.prizes.0.cost" in fields
    assert "games.check-in.blind_box.prizes.0.cost" not in fields  # its tote costs 12.00
    doc = demo_doc(budget="10.00")
    reply = console.call("POST", "/campaigns", body=doc)
    assert "games.check-in.blind_box.prizes.0.cost" in [p["field"] for p in reply.data["error"]["problems"]]


def test_a_problem_that_names_no_field_has_an_empty_one(console: Console, apply: Apply) -> None:
    apply()
    doc = demo_doc()
    doc["games"]["lucky-wheel"]["prizes"][1]["shards"] = 3
    reply = console.call("POST", "/campaigns", body=doc)
    assert (reply.status_code, code_of(reply)) == (422, "CONFIG_INVALID")
    [problem] = reply.data["error"]["problems"]
    assert problem["field"] == "" and "shard count cannot change" in problem["message"]


def test_one_version_answers_its_config(console: Console, apply: Apply) -> None:
    apply()
    changed = copy.deepcopy(demo_doc(name="Renamed"))
    assert console.call("POST", "/campaigns", body=changed).status_code == 201
    first = console.call("GET", "/campaigns/demo/versions/1").data
    assert first["version"] == 1 and first["config"] == demo_doc() and first["games"]["booking"] is True
    assert console.call("GET", "/campaigns/demo/versions/2").data["config"]["name"] == "Renamed"
    missing = console.call("GET", "/campaigns/demo/versions/3")
    assert (missing.status_code, code_of(missing)) == (404, "VERSION_NOT_FOUND")
    for bad in ("x", "1e3", "1234567890"):
        reply = console.call("GET", f"/campaigns/demo/versions/{bad}")
        assert (reply.status_code, code_of(reply)) == (400, "MALFORMED_REQUEST"), bad
    reply = console.call("GET", "/campaigns/nope/versions/1", headers=marketer_of("nope"))
    assert (reply.status_code, code_of(reply)) == (404, "CAMPAIGN_NOT_FOUND")


def test_the_report_page_is_the_report_rendered(console: Console, apply: Apply) -> None:
    apply()
    reply = console.call("GET", "/campaigns/demo/report.html")
    page = reply.body.decode()
    assert reply.status_code == 200 and reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert reply.headers["Cache-Control"] == "no-store"
    assert "<title>活动报表 · demo</title>" in page and 'id="report-charts"' in page
    assert "配置版本 <b>v1</b>" in page
    missing = console.call("GET", "/campaigns/nope/report.html", role="admin")
    assert (missing.status_code, code_of(missing)) == (404, "CAMPAIGN_NOT_FOUND")
