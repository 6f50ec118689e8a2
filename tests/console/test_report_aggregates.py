"""The report reads aggregates kept from the table's stream: each record counted exactly once
(delivered again, refused and handed back, or applied by two aggregators at once), every cost
counted, nothing scanned, nothing read for another campaign."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

import plugins.aggregates.apply as aggregation
from functions.aggregator import campaign_zone
from infra.local.streams import StreamDrain, taken
from plugins.aggregates import Change, apply_changes, changes_of
from plugins.console.report import campaign_report
from plugins.types import yuan
from tests.conftest import BOTH_MODES, NOW, GameClient, wheel_doc
from tests.console.conftest import Console
from tests.console.test_redemption_rules import FULL_REDUCTION, wheel_coupon
from tests.functional.test_assist import TASKS, assist_doc, ip_of, open_task
from tests.functional.test_partner_coupon import claim, load, pc_doc
from tests.functional.test_red_packet import grab, order, rp_doc

Items = dict[tuple[str, str], dict[str, Any]]


def draws(members: list[str], campaign: str = "demo") -> None:
    wheel = GameClient("lucky-wheel")
    for n, member in enumerate(members):
        reply = wheel.call("POST", f"/campaigns/{campaign}/draws", member=member,
                           key=f"draw-{campaign}-{n:04d}")
        assert reply.status == 201, reply.body


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """What must not change however the records were delivered."""
    return {k: report[k] for k in ("funnel", "plays", "prizes_awarded", "cost", "days", "channels")}


def test_a_report_queries_its_own_figures_and_nothing_else(
        apply: Any, aggregate: Any, dynamodb_calls: list[str]) -> None:
    apply(wheel_doc())
    draws(["ann", "bob", "ann"])
    aggregate()
    dynamodb_calls.clear()
    before = campaign_report("demo", NOW)
    assert sorted(set(dynamodb_calls)) == ["GetItem", "Query"] and dynamodb_calls.count("Query") == 1
    # another campaign's rush adds nothing to what this report reads
    apply(wheel_doc(id="other"))
    draws([f"m{n}" for n in range(30)], campaign="other")
    aggregate()
    after = campaign_report("demo", NOW)
    assert after["items_read"] == before["items_read"] and summary(after) == summary(before)
    assert campaign_report("other", NOW)["plays"] == {"lucky-wheel": 30}


def test_records_delivered_twice_are_counted_once(apply: Any, table: str) -> None:
    from functions.aggregator import handler

    def twice(event: dict[str, Any], context: Any) -> dict[str, Any]:
        handler(event, context)
        return handler(event, context)

    apply(wheel_doc())
    draws(["ann", "bob", "cat", "ann"])
    assert StreamDrain(table, twice).drain() > 0
    report = campaign_report("demo", NOW)
    assert report["plays"] == {"lucky-wheel": 4} and report["funnel"]["players"] == 3


def test_a_batch_the_store_refuses_is_handed_back_and_counted_once(
        apply: Any, table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    apply(wheel_doc())
    draws([f"m{n}" for n in range(40)])
    sent = aggregation._Group.send
    calls = Counter[str]()

    def throttled_after_the_first_chunk(group: Any, table: str) -> None:
        calls["sent"] += 1
        if calls["sent"] > 1 and calls["refused"] < aggregation.ATTEMPTS:
            calls["refused"] += 1
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}},
                              "TransactWriteItems")
        sent(group, table)

    monkeypatch.setattr(aggregation._Group, "send", throttled_after_the_first_chunk)
    monkeypatch.setattr(aggregation.time, "sleep", lambda _: None)
    monkeypatch.setattr(aggregation, "MAX_ITEMS", 30)  # several chunks per batch
    drain = StreamDrain(table)
    handed = drain.drain()
    assert drain.backlog and handed > 0  # the first chunk counted, the rest handed back
    partial = campaign_report("demo", NOW)["plays"]["lucky-wheel"]
    assert 0 < partial < 40
    drain.drain()
    assert not drain.backlog
    assert campaign_report("demo", NOW)["plays"] == {"lucky-wheel": 40}


@BOTH_MODES
def test_two_aggregators_given_the_same_records_count_them_once(apply: Any, table: str) -> None:
    apply(wheel_doc())
    draws([f"m{n % 7}" for n in range(20)])
    changes: list[Change] = changes_of({"Records": taken(table)})
    failures: list[Change | None] = []

    def run() -> None:
        failures.append(apply_changes(changes, campaign_zone, NOW))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [None] * 4
    report = campaign_report("demo", NOW)
    assert report["plays"] == {"lucky-wheel": 20} and report["funnel"]["players"] == 7


def test_an_assist_prize_counts_for_the_initiator(apply: Any, aggregate: Any, scan: Any) -> None:
    apply(assist_doc())
    assist = GameClient("assist")
    task = open_task(assist, "ini-1")
    for n, helper in enumerate(["h-a", "h-b", "h-c"]):
        reply = assist.call("POST", f"{TASKS}/{task}/helps", member=helper, key=f"help-{n:04d}",
                            ip=ip_of(helper))
        assert reply.status == 201, reply.body
    aggregate()
    report = campaign_report("demo", NOW)
    items: Items = scan()
    won = [json.loads(i["reward"]["S"]) for (pk, sk), i in items.items()
           if pk.startswith("C#demo#AST#") and sk == "TASK" and "reward" in i]
    assert len(won) == 1 and not won[0]["fallback"]
    assert report["prizes_awarded"] == {"assist": {won[0]["prize"]["id"]: 1}}
    assert report["funnel"]["winners"] == 1 and report["funnel"]["players"] == 4


def test_red_packet_cash_counts_as_cost(apply: Any, aggregate: Any, scan: Any) -> None:
    apply(rp_doc())
    rp = GameClient("red-packet")
    packet = order(rp, "ord-1", "alice").body["packet_id"]
    for member in ("bob", "carol"):
        assert grab(rp, packet, member).status == 201
    aggregate()
    report = campaign_report("demo", NOW)
    items: Items = scan()
    handed = sum(int(i["handed_out"]["N"]) for (pk, sk), i in items.items()
                 if pk.startswith("C#demo#RP#") and sk == "RP")
    assert handed > 0
    assert report["cost"]["by_kind"] == {"red_packet_cash": yuan(handed)}
    assert report["cost"]["total"] == report["cost"]["brand"] == yuan(handed)
    assert report["k_factor"] == {"red-packet": 2.0}


def test_partner_coupons_count_with_the_brand_and_partner_split(
        apply: Any, aggregate: Any) -> None:
    apply(pc_doc())
    load(10)
    pc = GameClient("partner-coupon")
    for member in ("ann", "bob", "cat"):
        assert claim(pc, member).status == 201
    aggregate()
    cost = campaign_report("demo", NOW)["cost"]
    # three coupons costing 4.00 each, a quarter of it the brand's
    assert cost["by_kind"] == {"partner_coupons": "12.00"}
    assert (cost["total"], cost["brand"], cost["partner"]) == ("12.00", "3.00", "9.00")
    assert campaign_report("demo", NOW)["funnel"]["coupons_issued"] == 3


def test_sales_driven_are_the_orders_coupons_were_redeemed_with(console: Console,
                                                                 apply: Any) -> None:
    coupon_id = wheel_coupon(apply, FULL_REDUCTION)
    body = {"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01",
            "order": {"amount": "300.00"}}
    assert console.call("POST", "/coupons/verify", role="staff", body=body).status_code == 200
    report = console.call("GET", "/campaigns/demo/report").data
    assert report["funnel"]["coupons_redeemed"] == report["days"][0]["coupons_redeemed"] == 1
    assert report["sales_driven"] == report["days"][0]["sales_driven"] == "300.00"
