"""The campaign report equals counts taken straight from the store after a scripted campaign."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

import pytest

from plugins.antifraud import blacklist
from plugins.types import yuan
from tests.conftest import GameClient, wheel_doc
from tests.console.conftest import Console, code_of

COSTS = {"grand": 89900, "coupon-50": 500, "coffee": 600, "points-100": 0, "thanks": 0}


def scripted(apply: Any, clock: Any, budget: str) -> None:
    """Three members draw six times in all, one coupon is redeemed, a blacklisted one is
    blocked."""
    doc = wheel_doc(budget=budget, starts_at="2026-11-21T00:00:00")
    for prize in doc["games"]["lucky-wheel"]["prizes"]:
        prize["weight"] = {"grand": 1, "coupon-50": 2, "coffee": 2, "points-100": 1}.get(
            prize["id"], 0)
    apply(doc)
    wheel = GameClient("lucky-wheel")
    for n, member in enumerate(["alice", "alice", "alice", "bob", "bob", "carol"]):
        reply = wheel.call("POST", "/campaigns/demo/draws", member=member, key=f"draw-{n:04d}")
        assert reply.status == 201, reply.body
        if reply.body["reward"] and reply.body["reward"].get("coupon_id") and n == 0:
            from plugins.issuance.coupon import redeem_coupon

            redeem_coupon(member, reply.body["reward"]["coupon_id"], clock[0])
    blacklist("member", "eve", reason="test", now=clock[0])
    blocked = wheel.call("POST", "/campaigns/demo/draws", member="eve", key="draw-eve-01")
    assert blocked.code == "FRAUD_BLOCKED"


def from_store(items: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    actions = [(pk, json.loads(i["result"]["S"])) for (pk, sk), i in items.items()
               if sk.startswith("ACT#demo#")]
    won: Counter[str] = Counter(r["prize"]["id"] for _, r in actions if not r["fallback"])
    coupons = [i for (_, sk), i in items.items()
               if sk.startswith("CPN#") and i["campaign_id"]["S"] == "demo"]
    shards = [i for (pk, _), i in items.items() if pk.startswith("C#demo#A#BUDGET#")]
    return {
        "players": len({pk for pk, _ in actions}),
        "winners": len({pk for pk, r in actions if not r["fallback"] and r["prize"]["id"] != "thanks"}),
        "plays": len(actions),
        "won": dict(won),
        "cost": sum(COSTS[p] * n for p, n in won.items()),
        "shards_used": sum(int(s["allotted"]["N"]) - int(s["remaining"]["N"]) for s in shards),
        "issued": len(coupons),
        "redeemed": sum(1 for c in coupons if c["state"]["S"] == "redeemed"),
        "blocks": sum((Counter({sk.split("#", 2)[2]: int(i["n"]["N"])})
                       for (pk, sk), i in items.items()
                       if pk.startswith("C#demo#BLOCKS#") and sk.startswith("N#")), Counter()),
    }


@pytest.mark.parametrize("budget", ["5000.00", "1000.00"])  # proven by config / counted in shards
def test_report_matches_the_store(console: Console, apply: Any, clock: Any, scan: Any,
                                  budget: str) -> None:
    scripted(apply, clock, budget)
    truth = from_store(scan())
    reply = console.call("GET", "/campaigns/demo/report")
    assert reply.status_code == 200, reply.data
    report = reply.data
    assert report["funnel"]["players"] == truth["players"] == 3
    assert report["funnel"]["winners"] == truth["winners"] > 0
    assert report["plays"] == {"lucky-wheel": truth["plays"]} and truth["plays"] == 6
    assert report["prizes_awarded"].get("lucky-wheel", {}) == truth["won"]
    assert report["cost"]["total"] == report["cost"]["by_game"]["lucky-wheel"] == yuan(truth["cost"])
    assert report["cost"]["by_kind"] == {"prizes": yuan(truth["cost"])}
    assert (report["cost"]["brand"], report["cost"]["partner"]) == (yuan(truth["cost"]), "0.00")
    assert report["cost"]["budget"] == budget
    if budget == "1000.00":  # the budget is counted: its shards agree
        assert truth["shards_used"] == truth["cost"]
    assert report["funnel"]["coupons_issued"] == truth["issued"] > 0
    assert report["funnel"]["coupons_redeemed"] == truth["redeemed"] == 1
    assert report["fraud_blocks"] == dict(truth["blocks"]) and sum(truth["blocks"].values()) == 1
    assert report["channels"] == {"h5-demo": {"plays": 6, "cost": yuan(truth["cost"])}}
    assert report["days"] == [{
        "day": "2026-11-23", "visitors": 0, "players": 3, "plays": 6,
        "winners": truth["winners"], "cost": yuan(truth["cost"]), "coupons_redeemed": 1,
        "sales_driven": "0.00", "fraud_blocks": 1}]


def test_report_of_an_unknown_campaign_is_404(console: Console) -> None:
    reply = console.call("GET", "/campaigns/nope/report", role="admin")
    assert (reply.status_code, code_of(reply)) == (404, "CAMPAIGN_NOT_FOUND")


def test_report_needs_a_marketer(console: Console, apply: Any) -> None:
    apply()
    assert code_of(console.call("GET", "/campaigns/demo/report", role="staff")) == "FORBIDDEN"


def test_the_report_as_csv_has_a_row_per_day_and_the_total(console: Console, apply: Any,
                                                           clock: Any) -> None:
    scripted(apply, clock, "1000.00")
    report = console.call("GET", "/campaigns/demo/report").data
    reply = console.call("GET", "/campaigns/demo/report.csv")
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/csv")
    assert 'filename="demo-report.csv"' in reply.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(reply.body.decode())))
    assert [row["day"] for row in rows] == ["2026-11-23", "total"]
    day, total = rows
    assert day == {k: str(v) for k, v in report["days"][0].items()}
    assert (total["players"], total["plays"], total["cost"]) == ("3", "6", report["cost"]["total"])
