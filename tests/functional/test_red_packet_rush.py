"""Red-packet invariants under 64 concurrent threads, on the local DynamoDB in both its modes
(atomic, realistic): parts never exceed the packet, one grab per member per packet, one
packet per order, the sharer's bonus once, the diminishing count exact, the budget never
exceeded."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

import pytest

from games.red_packet.items import PacketItem, PacketRefItem, packet_key
from plugins.store import CashItem, CounterItem, keys
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient
from tests.functional.test_red_packet import PACKETS, budget_left, cash, grab, order, rp_doc

pytestmark = [pytest.mark.slow, BOTH_MODES]


def packet(pid: str) -> PacketItem:
    return PacketItem.get(*packet_key("demo", pid), consistent_read=True)


def cents(amount: str) -> int:
    return round(float(amount) * 100)


def test_64_grabbers_on_a_packet_of_10_parts(apply: Apply, crowd: Crowd) -> None:
    # GIVEN a packet of 20.00 in 10 random parts, with a sharer bonus at the 6th grab
    apply(rp_doc(parts=10, sharer_bonus={"after_grabs": 6, "reward": {"type": "cash", "amount": "1.00"}}))
    rp = GameClient("red-packet")
    made = order(rp, "ord-rush", "owner", "300.00").body
    pid, total = made["packet_id"], cents(made["total"])
    # WHEN 64 friends grab it at once
    replies = crowd([partial(grab, rp, pid, f"friend-{i}") for i in range(THREADS)])
    crowd.assert_contended()
    # THEN exactly 10 grab, the others find it empty, and the parts add up to the total
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 10,
                                                            (409, "PACKET_EMPTY"): THREADS - 10}
    won = [r.body for r in replies if r.status == 201]
    assert sum(cents(w["amount"]) for w in won) == total
    assert sorted(int(w["grab_id"][-3:]) for w in won) == list(range(10))
    stored = packet(pid)
    assert (int(stored.grabbed), int(stored.handed_out), stored.taken) == (10, total, set(range(10)))
    assert sum(cash(f"friend-{i}") for i in range(THREADS)) == total
    # AND the sharer's bonus was paid exactly once
    assert cash("owner") == 100 and stored.bonus_issued_at is not None


def test_one_grabber_with_64_keys_grabs_once(apply: Apply, crowd: Crowd) -> None:
    apply(rp_doc())
    rp = GameClient("red-packet")
    pid = order(rp, "ord-one", "owner").body["packet_id"]
    replies = crowd([partial(grab, rp, pid, "greedy", key=f"greedy-{i:04d}")
                    for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 1,
                                                            (409, "ALREADY_GRABBED"): THREADS - 1}
    won = next(r.body for r in replies if r.status == 201)
    assert cash("greedy") == cents(won["amount"])
    assert int(packet(pid).grabbed) == 1
    grabs = list(PacketRefItem.query(keys.member("greedy"), PacketRefItem.sk.startswith("RP#")))
    assert len(grabs) == 1


def test_one_key_replayed_64_times_grabs_once(apply: Apply, crowd: Crowd) -> None:
    apply(rp_doc())
    rp = GameClient("red-packet")
    pid = order(rp, "ord-same", "owner").body["packet_id"]
    replies = crowd([lambda: grab(rp, pid, "retry", key="same-key-0001")] * THREADS)
    crowd.assert_contended()
    assert {r.status for r in replies} == {201}
    assert len({r.body["grab_id"] for r in replies}) == 1
    assert sum(r.headers["Idempotent-Replayed"] == "false" for r in replies) == 1
    assert cash("retry") == cents(replies[0].body["amount"])


def test_the_same_order_reported_64_times_makes_one_packet(apply: Apply, crowd: Crowd) -> None:
    apply(rp_doc())
    rp = GameClient("red-packet")
    replies = crowd([lambda: order(rp, "ord-dup", "alice")] * THREADS)
    crowd.assert_contended()
    assert {r.status for r in replies} == {201}
    assert len({r.body["packet_id"] for r in replies}) == 1
    assert budget_left() == 500000 - 1500
    assert len(rp.call("GET", PACKETS, member="alice").body["packets"]) == 1


def test_packets_never_exceed_the_budget(apply: Apply, crowd: Crowd) -> None:
    # GIVEN a budget of 10.00 in 4 shards and packets of 1.00
    doc = rp_doc(order={"min_amount": "1.00", "fixed": "1.00"})
    doc.update(budget="10.00", budget_shards=4, games={"red-packet": doc["games"]["red-packet"]})
    apply(doc)
    rp = GameClient("red-packet")
    # WHEN 64 orders come at once
    replies = crowd([partial(order, rp, f"ord-b-{i}", f"m{i}") for i in range(THREADS)])
    crowd.assert_contended()
    # THEN exactly ten packets fit, the rest are refused, and no shard went below zero
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 10,
                                                            (409, "BUDGET_EXHAUSTED"): THREADS - 10}
    assert budget_left() == 0


def test_diminishing_holds_when_one_member_grabs_many_packets_at_once(apply: Apply, crowd: Crowd) -> None:
    # GIVEN ten packets with equal parts of 1.00; factors [1.0, 0.5], then 0.05
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "5.00"}))
    rp = GameClient("red-packet")
    pids = [order(rp, f"ord-m-{i}", f"s{i}").body["packet_id"] for i in range(10)]
    # WHEN one member grabs all ten at once
    replies = crowd([partial(grab, rp, pid, "hoarder") for pid in pids])
    crowd.assert_contended()
    # THEN the count is exact: one full part, one half, the rest at the floor
    assert {r.status for r in replies} == {201}
    got: Any = Counter(r.body["amount"] for r in replies)
    assert got == {"1.00": 1, "0.50": 1, "0.05": 8}
    assert sorted(r.body["grab_in_window"] for r in replies) == list(range(1, 11))
    assert cash("hoarder") == 100 + 50 + 8 * 5
    window = CounterItem.get(keys.member("hoarder"),
                             keys.quota("demo", "red-packet:grab-window", "2026-11-23"))
    assert int(window.n) == 10
    balance = CashItem.get(keys.member("hoarder"), keys.CASH_BALANCE)
    assert int(balance.cents) == 190


def fund_taken() -> int:
    from games.red_packet.fund import packets_spent

    return packets_spent("demo")


def test_the_packets_budget_is_never_exceeded(apply: Apply, crowd: Crowd) -> None:
    # GIVEN a campaign budget proven by config and a packets' budget of 10.00 in 4 shards of
    # 2.50: packets of 1.50 fit one shard each at first, then must spread over two
    fixed, made = "1.50", 6
    campaign = apply(rp_doc(order={"min_amount": "1.00", "fixed": fixed}, packets_budget="10.00"))
    assert campaign.budget_counted is False
    rp = GameClient("red-packet")
    # WHEN 64 orders come at once
    replies = crowd([partial(order, rp, f"ord-f-{i}", f"m{i}") for i in range(THREADS)])
    crowd.assert_contended()
    # THEN only what the packets' budget holds is made, and the campaign budget is untouched
    assert Counter((r.status, r.code) for r in replies) == {
        (201, None): made, (409, "BUDGET_EXHAUSTED"): THREADS - made}
    assert fund_taken() == made * cents(fixed) <= 1000
    assert budget_left() == 0  # no campaign budget shards: nothing counted them
