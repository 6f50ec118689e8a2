"""The public disclosure route of the console (docs/compliance.md): what it publishes of the
demo, at no DynamoDB cost once warm; and the console's apply refusing a started campaign's
prize change at its field."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from plugins.campaigns.repository import apply_campaign
from plugins.draws import commitments
from tests.conftest import GameClient, demo_doc
from tests.console.conftest import Console


def test_the_demo_s_disclosure_is_public_and_costs_no_read_when_warm(
        console: Console, dynamodb_calls: list[str], clock: list[datetime]) -> None:
    apply_campaign(demo_doc(), now=clock[0])
    first = console.call("GET", "/campaigns/demo/disclosure", role=None)
    dynamodb_calls.clear()
    reply = console.call("GET", "/campaigns/demo/disclosure", role=None)

    assert (first.status_code, reply.status_code, dynamodb_calls) == (200, 200, [])
    body = reply.data
    assert body["organiser"] == "Demo Retail (Shanghai) Co., Ltd."
    assert body["period"] == {"starts_at": "2026-01-01T00:00:00+08:00",
                              "ends_at": "2030-12-31T23:59:59+08:00", "timezone": "Asia/Shanghai"}
    assert body["redemption_terms"].startswith("Coupons are redeemed at the listed stores")
    assert (body["stock_may_extend"], body["prize_value_limit"]) == (True, "50000.00")
    pools = {(p["game"], p["pool"]): p for p in body["prize_pools"]}
    assert set(pools) == {("lucky-wheel", "wheel"), ("check-in", "blind-box"), ("assist", "assist"),
                          ("points-exchange", "exchange"), ("event-gifts", "gifts")}
    wheel = pools[("lucky-wheel", "wheel")]
    assert [(p["id"], p["value"], p["quantity"], p["odds_percent"]) for p in wheel["prizes"]] == [
        ("grand", "1299.00", 3, "1.00"), ("coupon-50", "50.00", 200, "20.00"),
        ("coffee", "25.00", 100, "30.00"), ("points-100", "0.00", None, "49.00"),
        ("thanks", "0.00", None, "0.00")]
    assert wheel["odds_percent_by_tier"]["gold"]["grand"] == "1.80"  # 2 of 111
    assert wheel["how"].startswith("drawn")
    assert pools[("points-exchange", "exchange")]["how"].startswith("not drawn")
    assert "weight" not in json.dumps(body)


def test_the_disclosure_publishes_each_days_commitment_and_reveals_only_past_seeds(
        console: Console, clock: list[datetime]) -> None:
    apply_campaign(demo_doc(), now=clock[0])
    body = console.call("GET", "/campaigns/demo/disclosure", role=None).data
    days = {d["day"]: d for d in body["commitments"]}
    today = clock[0].astimezone(ZoneInfo("Asia/Shanghai")).date()
    yesterday, tomorrow = (str(today + timedelta(days=n)) for n in (-1, 1))
    # today's and later seeds stay secret; a past day's seed is the one its commitment promised
    assert days[str(today)]["seed"] is None and days[tomorrow]["seed"] is None
    past = days[yesterday]
    assert hashlib.sha256(bytes.fromhex(past["seed"])).hexdigest() == past["commitment"]
    assert all(d["seed"] is None for d in body["commitments"] if d["day"] >= str(today))
    # the same list the game functions publish
    assert body["commitments"] == commitments("demo", clock[0])
    # a day later, that day's seed joins them
    clock[0] += timedelta(days=1)
    again = console.call("GET", "/campaigns/demo/disclosure", role=None).data
    later = {d["day"]: d for d in again["commitments"]}
    assert later[str(today)]["seed"] is not None
    assert later[str(today)]["commitment"] == days[str(today)]["commitment"]


def test_an_unknown_campaign_has_no_disclosure(console: Console) -> None:
    reply = console.call("GET", "/campaigns/nope/disclosure", role=None)
    assert (reply.status_code, reply.data["error"]["code"]) == (404, "CAMPAIGN_NOT_FOUND")


def test_the_console_refuses_a_locked_change_with_its_field(console: Console, clock: list[datetime]) -> None:
    apply_campaign(demo_doc(), now=clock[0])  # the test clock: November 2026, the demo started
    doc = demo_doc()
    doc["games"]["lucky-wheel"]["prizes"][2]["weight"] = 25
    reply = console.call("POST", "/campaigns", body=doc)
    assert (reply.status_code, reply.data["error"]["code"]) == (422, "CONFIG_INVALID")
    assert [p["field"] for p in reply.data["error"]["problems"]] == ["games.lucky-wheel.prizes.2.weight"]
    stop = console.call("POST", "/campaigns/demo/games/lucky-wheel/disable")
    assert stop.status_code == 200


def test_every_game_function_answers_the_console_s_disclosure(
        console: Console, dynamodb_calls: list[str], clock: list[datetime]) -> None:
    # GIVEN the demo: a player's page on a game function's origin cannot read the console's
    apply_campaign(demo_doc(), now=clock[0])
    expected = console.call("GET", "/campaigns/demo/disclosure", role=None).data
    for game in ("lucky-wheel", "check-in", "wallet"):
        # WHEN the game function is asked, with no token
        first = GameClient(game).call("GET", "/campaigns/demo/disclosure", headers={})
        dynamodb_calls.clear()
        again = GameClient(game).call("GET", "/campaigns/demo/disclosure", headers={})
        # THEN the same answer, every game's prizes included, and no DynamoDB call once warm
        assert (first.status, first.body) == (200, expected)
        assert (again.body, dynamodb_calls) == (expected, []), game
    assert GameClient("lucky-wheel").call("GET", "/campaigns/nope/disclosure", headers={}).code == (
        "CAMPAIGN_NOT_FOUND")
