"""The platform's invariants on the wheel, against the local DynamoDB (the rushes in both its
atomic and realistic modes): no oversell, budget never exceeded, exactly-once awards, one
round trip per draw."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

import pytest

from plugins.prize_pool.allowances import stock_name
from plugins.prize_pool.budget import BUDGET
from plugins.store import ActionItem, AllowanceItem, CounterItem, PointsItem, keys
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient, wheel_doc


def only(prize_id: str, **prize_changes: Any) -> dict[str, Any]:
    """A demo campaign with only `prize_id` (changed as given) and the fallback."""
    doc = wheel_doc(velocity={"per_device": 10_000, "per_ip": 10_000})
    wheel = doc["games"]["lucky-wheel"]
    wheel["prizes"] = [p for p in wheel["prizes"] if p["id"] in (prize_id, wheel["fallback"])]
    for prize in wheel["prizes"]:
        if prize["id"] == prize_id:
            prize.update(prize_changes, weight=1)
    return doc


def remaining(name: str, shards: int) -> int:
    items = AllowanceItem.batch_get(
        [(keys.allowance("demo", name, s), keys.ALLOWANCE_SK) for s in range(shards)]
    )
    return sum(int(item.remaining) for item in items)


def awarded(prize_id: str) -> int:
    records = ActionItem.scan(ActionItem.sk.startswith("ACT#demo#lucky-wheel#"))
    return sum(1 for r in records if r.result["prize"]["id"] == prize_id)


@BOTH_MODES
@pytest.mark.parametrize("shards", [1, 3])
def test_no_oversell_under_a_rush(apply: Apply, crowd: Crowd, shards: int) -> None:
    # GIVEN 5 espresso machines, maybe spread over shards, and 64 members drawing at once
    apply(only("grand", stock=5, shards=shards))
    wheel = GameClient("lucky-wheel")
    calls = [partial(wheel.call, "POST", "/campaigns/demo/draws", member=f"m{i}",
                                 key=f"rush-{i:04d}") for i in range(THREADS)]
    # WHEN they all draw
    replies = crowd(calls)
    # THEN exactly the stock is awarded (every draw wants it: nobody fell back while it
    # lasted), the rest falls back, and the store agrees
    crowd.assert_contended()
    assert all(r.status == 201 for r in replies), {r.status for r in replies}
    won = Counter(r.body["prize"]["id"] for r in replies)
    assert won == {"grand": 5, "thanks": THREADS - 5}
    assert remaining(stock_name("wheel", "grand"), shards) == 0
    assert awarded("grand") == 5


@BOTH_MODES
def test_budget_is_never_exceeded(apply: Apply, crowd: Crowd) -> None:
    # GIVEN an unlimited coupon costing 1.00 and a budget of 10.00 in 4 shards
    doc = only("points-100", cost="1.00")
    doc.update(budget="10.00", budget_shards=4)
    campaign = apply(doc)
    assert campaign.budget_counted
    wheel = GameClient("lucky-wheel")
    # WHEN 64 members draw at once
    replies = crowd([partial(wheel.call, "POST", "/campaigns/demo/draws", member=f"b{i}",
                             key=f"budget-{i:04d}") for i in range(THREADS)])
    # THEN exactly ten awards fit the budget, and no shard went below zero
    crowd.assert_contended()
    won = Counter(r.body["prize"]["id"] for r in replies)
    assert won == {"points-100": 10, "thanks": THREADS - 10}
    shards = AllowanceItem.batch_get([(keys.allowance("demo", BUDGET, s), keys.ALLOWANCE_SK)
                                      for s in range(4)])
    assert sorted(int(s.remaining) for s in shards) == [0, 0, 0, 0]


@BOTH_MODES
def test_same_key_replayed_concurrently_awards_once(wheel: GameClient, crowd: Crowd) -> None:
    # WHEN one member fires the same draw 64 times at once
    replies = crowd([lambda: wheel.call("POST", "/campaigns/demo/draws", member="alice",
                                        key="same-key-0001")] * THREADS)
    crowd.assert_contended()
    # THEN every reply is the one draw, and one chance and one reward were spent
    assert {r.status for r in replies} == {201}
    assert len({r.body["draw_id"] for r in replies}) == 1
    assert sum(r.headers["Idempotent-Replayed"] == "false" for r in replies) == 1
    member = keys.member("alice")
    plays = CounterItem.get(member, keys.quota("demo", "lucky-wheel:plays", "ALL"))
    assert plays.n == 1
    assert len(list(ActionItem.query(member, ActionItem.sk.startswith("ACT#")))) == 1


def test_same_key_replayed_sequentially_returns_the_first_answer(wheel: GameClient) -> None:
    first = wheel.call("POST", "/campaigns/demo/draws", member="bob", key="seq-key-0001")
    again = [wheel.call("POST", "/campaigns/demo/draws", member="bob", key="seq-key-0001")
             for _ in range(3)]
    assert all(r.body == first.body for r in again)
    assert all(r.headers["Idempotent-Replayed"] == "true" for r in again)
    if first.body["reward"] and first.body["reward"]["type"] == "points":
        balance = PointsItem.get(keys.member("bob"), keys.POINTS_BALANCE)
        assert balance.points == first.body["reward"]["points"]
    left = wheel.call("GET", "/campaigns/demo", member="bob").body["chances"]
    assert left["left_today"] == 2


@BOTH_MODES
def test_daily_chances_hold_under_a_rush(wheel: GameClient, crowd: Crowd) -> None:
    # GIVEN 3 chances a day; WHEN one member fires 64 different draws at once
    replies = crowd([partial(wheel.call, "POST", "/campaigns/demo/draws", member="carol",
                             device="phone", key=f"many-{i:04d}") for i in range(THREADS)])
    crowd.assert_contended()
    # THEN three pass, the others are told no chances are left
    statuses = Counter((r.status, r.code) for r in replies)
    assert statuses == {(201, None): 3, (403, "NO_CHANCES_LEFT"): THREADS - 3}


def test_a_warm_draw_is_one_dynamodb_round_trip(wheel: GameClient, dynamodb_calls: list[str]) -> None:
    # a second member: the first's per-day coupon limits could refuse a repeat prize
    wheel.call("POST", "/campaigns/demo/draws", member="dave", key="warm-up-0001")
    dynamodb_calls.clear()
    reply = wheel.call("POST", "/campaigns/demo/draws", member="dora", key="counted-0001")
    assert reply.status == 201
    assert dynamodb_calls == ["TransactWriteItems"]


def test_a_sold_out_prize_costs_one_extra_trip_once(apply: Apply, dynamodb_calls: list[str]) -> None:
    # GIVEN the only weighted prize is sold out after one award
    apply(only("grand", stock=1, per_user_cap=None))
    wheel = GameClient("lucky-wheel")
    wheel.call("POST", "/campaigns/demo/draws", member="e1", key="sold-0001")
    dynamodb_calls.clear()
    # WHEN the next member draws it, the refusal costs one more trip; the one after, none
    assert wheel.call("POST", "/campaigns/demo/draws", member="e2", key="sold-0002").body[
        "fallback"]
    assert dynamodb_calls == ["TransactWriteItems", "TransactWriteItems"]
    dynamodb_calls.clear()
    assert wheel.call("POST", "/campaigns/demo/draws", member="e3", key="sold-0003").body[
        "fallback"]
    assert dynamodb_calls == ["TransactWriteItems"]


def test_reads_are_counted_too(wheel: GameClient, dynamodb_calls: list[str]) -> None:
    # GIVEN a warm config: the page without a token reads nothing, with a token one batch
    wheel.call("GET", "/campaigns/demo")
    dynamodb_calls.clear()
    wheel.call("GET", "/campaigns/demo")
    assert dynamodb_calls == []
    wheel.call("GET", "/campaigns/demo", member="frank")
    assert dynamodb_calls == ["BatchGetItem"]
    # AND made-up campaign ids are remembered as missing, so they cannot force reads
    dynamodb_calls.clear()
    assert wheel.call("GET", "/campaigns/made-up").code == "CAMPAIGN_NOT_FOUND"
    assert wheel.call("GET", "/campaigns/made-up").code == "CAMPAIGN_NOT_FOUND"
    assert dynamodb_calls == ["GetItem"]
