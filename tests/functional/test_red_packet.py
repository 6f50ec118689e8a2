"""Red packets end to end through the real handler: orders from the brand, packets for an
action, grabs with diminishing amounts, the sharer's bonus, the partner coupon, the lists,
and the DynamoDB calls each action costs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from plugins.prize_pool.budget import BUDGET
from plugins.store import AllowanceItem, CashItem, CouponItem, keys
from tests.conftest import Apply, GameClient, Reply, bearer, demo_doc, operator_token, wheel_doc

ORDERS = "/campaigns/demo/orders"
PACKETS = "/campaigns/demo/packets"
GRABS = "/campaigns/demo/grabs"

COUPON = {"type": "coupon", "type_id": "partner-tea", "title": "Tea 5 off 30",
          "kind": "full_reduction", "threshold": "30.00", "discount": "5.00", "valid_days": 7}
SECTION: dict[str, Any] = {
    "order": {"min_amount": "99.00", "percent": "10", "cap": "20.00"},
    "action": {"amount": "5.00", "per_day": 2},
    "parts": 5,
    "min_part": "0.01",
    "lifetime_hours": 24,
    "diminishing": {"window": "day", "factors": ["1.0", "0.5"], "floor": "0.05"},
}


def rp_doc(**changes: Any) -> dict[str, Any]:
    """The demo campaign running only red packets (config as given), a budget of 5000.00 in
    4 shards, and generous velocity limits."""
    doc = demo_doc(velocity={"per_device": 10_000, "per_ip": 10_000}, budget="5000.00",
                   budget_shards=4)
    doc["games"] = {"red-packet": SECTION | changes}
    return doc


def brand(member: str = "crm-system") -> dict[str, str]:
    return bearer(operator_token(member, "brand"))


def order(client: GameClient, order_id: str, member: str, amount: str = "150.00") -> Reply:
    return client.call("POST", ORDERS, headers=brand(),
                       body={"order_id": order_id, "member_id": member, "amount": amount})


def grab(client: GameClient, packet_id: str, member: str, key: str | None = None) -> Reply:
    return client.call("POST", f"{PACKETS}/{packet_id}/grabs", member=member,
                       key=key or f"grab-{member}-{packet_id[-6:]}")


def cash(member: str) -> int:
    try:
        return int(CashItem.get(keys.member(member), keys.CASH_BALANCE).cents)
    except CashItem.DoesNotExist:
        return 0


def budget_left() -> int:
    shards = AllowanceItem.batch_get([(keys.allowance("demo", BUDGET, s), keys.ALLOWANCE_SK)
                                      for s in range(4)], consistent_read=True)
    return sum(int(s.remaining) for s in shards)


@pytest.fixture
def rp(apply: Apply) -> GameClient:
    apply(rp_doc())
    return GameClient("red-packet")


def test_an_order_makes_one_packet_paid_from_the_budget(rp: GameClient) -> None:
    # GIVEN a counted budget (red packets make it counted)
    before = budget_left()
    assert before == 500000
    # WHEN the brand reports an order of 150.00 (10 % capped at 20.00)
    reply = order(rp, "ord-1001", "alice")
    # THEN alice owns a packet of 15.00 in 5 parts, and the budget paid for it
    assert reply.status == 201, reply.body
    assert reply.headers["Idempotent-Replayed"] == "false"
    packet = reply.body
    assert (packet["total"], packet["parts"], packet["source"]) == ("15.00", 5, "order")
    assert budget_left() == before - 1500
    page = rp.call("GET", packet["share_path"], member="alice").body
    assert page["state"] == "open" and page["parts_left"] == 5 and page["mine"] is True
    mine = rp.call("GET", PACKETS, member="alice").body
    assert [p["packet_id"] for p in mine["packets"]] == [packet["packet_id"]]


def test_the_same_order_reported_again_is_the_same_packet(rp: GameClient) -> None:
    first = order(rp, "ord-2002", "alice")
    again = [order(rp, "ord-2002", "alice") for _ in range(3)]
    assert all(r.body == first.body and r.headers["Idempotent-Replayed"] == "true" for r in again)
    assert budget_left() == 500000 - 1500
    assert len(rp.call("GET", PACKETS, member="alice").body["packets"]) == 1
    # the percentage is capped: 500.00 x 10 % = 50.00, capped at 20.00
    assert order(rp, "ord-2003", "alice", "500.00").body["total"] == "20.00"


def test_friends_grab_parts_that_add_up_to_the_total(rp: GameClient) -> None:
    packet = order(rp, "ord-3003", "alice").body
    pid = packet["packet_id"]
    got = [grab(rp, pid, f"friend-{i}") for i in range(5)]
    assert [g.status for g in got] == [201] * 5
    # each friend's first grab today gets his whole part, paid in cash
    assert all(g.body["amount"] == g.body["part"] and g.body["withheld"] == "0.00" for g in got)
    assert sum(cash(f"friend-{i}") for i in range(5)) == 1500
    page = rp.call("GET", f"{PACKETS}/{pid}").body
    assert page["state"] == "empty" and page["parts_left"] == 0
    assert {g["member"] for g in page["grabs"]} == {"f***0", "f***1", "f***2", "f***3", "f***4"}
    assert grab(rp, pid, "late-comer").code == "PACKET_EMPTY"


def test_a_packet_for_a_player_action_within_its_daily_quota(rp: GameClient) -> None:
    made = [rp.call("POST", PACKETS, member="bob", key=f"share-000{i}") for i in range(3)]
    assert [m.status for m in made] == [201, 201, 403]
    assert made[2].code == "NO_CHANCES_LEFT"
    assert made[0].body["total"] == "5.00" and made[0].body["source"] == "action"
    me = rp.call("GET", "/campaigns/demo", member="bob").body["me"]
    assert me["packets_left_today"] == 0
    assert budget_left() == 500000 - 1000


def test_diminishing_grabs_across_the_window(apply: Apply, clock: list[datetime]) -> None:
    # GIVEN equal parts of 1.00, factors [1.0, 0.5] then a floor of 0.05 a day
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "5.00"}))
    rp = GameClient("red-packet")
    packets = [order(rp, f"ord-dim-{i}", f"sharer-{i}").body["packet_id"] for i in range(5)]
    # WHEN carol grabs from four packets today
    got = [grab(rp, pid, "carol").body for pid in packets[:4]]
    # THEN she gets 1.00, 0.50, then the floor, the floor
    assert [g["amount"] for g in got] == ["1.00", "0.50", "0.05", "0.05"]
    assert [g["withheld"] for g in got] == ["0.00", "0.50", "0.95", "0.95"]
    assert [g["grab_in_window"] for g in got] == [1, 2, 3, 4]
    assert cash("carol") == 160
    # AND the next local day (Asia/Shanghai) starts a new window
    clock[0] = clock[0].replace(hour=16)
    assert grab(rp, packets[4], "carol").body["amount"] == "1.00"
    # AND the sharer sees what was held back on his packet
    page = rp.call("GET", f"{PACKETS}/{packets[1]}", member="sharer-1").body
    assert (page["handed_out"], page["withheld"]) == ("0.50", "0.50")


def test_weekly_window_and_no_diminishing(apply: Apply, clock: list[datetime]) -> None:
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "5.00"}, lifetime_hours=72,
                 diminishing={"window": "week", "factors": ["1.0"], "floor": "0.10"}))
    rp = GameClient("red-packet")
    pids = [order(rp, f"ord-wk-{i}", f"s-{i}").body["packet_id"] for i in range(3)]
    assert grab(rp, pids[0], "dave").body["amount"] == "1.00"
    clock[0] = clock[0].replace(day=24)  # the same ISO week
    assert grab(rp, pids[1], "dave").body["amount"] == "0.10"
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "5.00"}, lifetime_hours=72,
                 diminishing=None))
    assert grab(rp, pids[2], "dave").body["amount"] == "1.00"


def test_the_sharer_gets_his_bonus_once_at_the_nth_grab(apply: Apply) -> None:
    apply(rp_doc(sharer_bonus={"after_grabs": 3, "reward": {"type": "cash", "amount": "2.00"}}))
    rp = GameClient("red-packet")
    pid = order(rp, "ord-bonus", "erin").body["packet_id"]
    # the bonus is paid for up front, with the packet
    assert budget_left() == 500000 - 1500 - 200
    for i in range(2):
        grab(rp, pid, f"g{i}")
    assert cash("erin") == 0
    grab(rp, pid, "g2")
    assert cash("erin") == 200
    grab(rp, pid, "g3")
    assert cash("erin") == 200
    page = rp.call("GET", f"{PACKETS}/{pid}", member="erin").body
    assert page["sharer_bonus_paid"] is True


def test_a_partner_coupon_comes_with_each_grab_until_refused(apply: Apply) -> None:
    apply(rp_doc(coupon=COUPON | {"per_user_per_day": 1}))
    rp = GameClient("red-packet")
    pids = [order(rp, f"ord-cpn-{i}", f"s{i}").body["packet_id"] for i in range(2)]
    first = grab(rp, pids[0], "fay").body
    assert first["coupon"]["title"] == "Tea 5 off 30" and first["coupon_refused"] is False
    # the second coupon today is refused by its daily limit: the grab goes on without it
    second = grab(rp, pids[1], "fay")
    assert second.status == 201
    assert second.body["coupon"] is None and second.body["coupon_refused"] is True
    coupons = list(CouponItem.query(keys.member("fay"), CouponItem.sk.startswith("CPN#")))
    assert len(coupons) == 1


def test_the_player_lists_his_packets_and_grabs(rp: GameClient) -> None:
    own = rp.call("POST", PACKETS, member="gus", key="share-gus-1").body
    other = order(rp, "ord-list", "hal").body
    taken = grab(rp, other["packet_id"], "gus").body
    listed = rp.call("GET", PACKETS, member="gus").body
    assert [p["packet_id"] for p in listed["packets"]] == [own["packet_id"]]
    assert listed["next_cursor"] is None
    grabs = rp.call("GET", GRABS, member="gus").body
    assert [(g["packet_id"], g["amount"]) for g in grabs["grabs"]] == [
        (other["packet_id"], taken["amount"])]
    me = rp.call("GET", "/campaigns/demo", member="gus").body["me"]
    assert me["cash_balance"] == taken["amount"] and me["grabs_in_window"] == 1


def test_the_campaign_page_shows_the_rules(rp: GameClient) -> None:
    page = rp.call("GET", "/campaigns/demo").body
    assert page["me"] is None and page["open"] is True
    assert page["rules"]["triggers"] == ["order", "action"]
    assert page["rules"]["diminishing"]["factors"] == ["1.0", "0.5"]


def test_round_trips_per_action(rp: GameClient, dynamodb_calls: list[str]) -> None:
    rp.call("GET", "/campaigns/demo")  # warm the config
    dynamodb_calls.clear()
    # an order: one transaction
    pid = order(rp, "ord-count", "ivy").body["packet_id"]
    assert dynamodb_calls == ["TransactWriteItems"]
    dynamodb_calls.clear()
    # a packet for an action: one transaction
    assert rp.call("POST", PACKETS, member="ivy", key="share-ivy-1").status == 201
    assert dynamodb_calls == ["TransactWriteItems"]
    dynamodb_calls.clear()
    # a grab: the one read its amount needs, then one transaction
    assert grab(rp, pid, "jon").status == 201
    assert dynamodb_calls == ["BatchGetItem", "TransactWriteItems"]
    dynamodb_calls.clear()
    # a retried grab: the read finds the first answer
    assert grab(rp, pid, "jon").headers["Idempotent-Replayed"] == "true"
    assert dynamodb_calls == ["BatchGetItem", "GetItem"]
    dynamodb_calls.clear()
    # the share page, the player's page and his list: one read each
    rp.call("GET", f"{PACKETS}/{pid}")
    rp.call("GET", "/campaigns/demo", member="jon")
    rp.call("GET", PACKETS, member="jon")
    assert dynamodb_calls == ["GetItem", "BatchGetItem", "Query"]


def test_cash_is_a_reward_any_game_can_issue(apply: Apply) -> None:
    # GIVEN a wheel whose only weighted prize is a 1.00 cash red packet
    doc = rp_doc()
    wheel = doc["games"]["lucky-wheel"] = wheel_doc()["games"]["lucky-wheel"]
    wheel.update(fallback="thanks", prizes=[
        {"id": "cash-1", "name": "1 yuan", "weight": 1, "reward": {"type": "cash", "amount": "1.00"}},
        {"id": "thanks", "name": "Thanks", "weight": 0}])
    apply(doc)
    # WHEN a player draws, twice with the same key
    wheel_client = GameClient("lucky-wheel")
    first = wheel_client.call("POST", "/campaigns/demo/draws", member="kai", key="cash-draw-1")
    again = wheel_client.call("POST", "/campaigns/demo/draws", member="kai", key="cash-draw-1")
    # THEN the cash issuer credited his balance once, with one ledger line
    assert first.body["reward"] == {"type": "cash", "amount": "1.00"} and again.body == first.body
    assert cash("kai") == 100
    line = CashItem.get(keys.member("kai"), keys.cash_ledger(first.body["draw_id"]))
    assert int(line.cents) == 100
