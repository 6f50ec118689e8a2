"""Expiry: lazy for players, and `expire_due(now)` giving each expired packet's unspent money
back to the budget shards that paid for it, exactly once, however often or concurrently it runs."""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial

import pytest

from games.red_packet import expire_due
from games.red_packet.items import EXPIRY, PacketItem, packet_key
from plugins.expiry import DueCursorItem, DueItem
from tests.conftest import NOW, Apply, GameClient, Reply
from tests.functional.test_red_packet import PACKETS, budget_left, cash, grab, order, rp_doc

BONUS = {"after_grabs": 4, "reward": {"type": "cash", "amount": "2.00"}}


def stored(pid: str) -> PacketItem:
    return PacketItem.get(*packet_key("demo", pid), consistent_read=True)


def index_entries() -> list[DueItem]:
    return list(DueItem.scan(DueItem.pk.startswith("RPX#20")))


@pytest.fixture
def rp(apply: Apply) -> GameClient:
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "5.00"},
                 sharer_bonus=BONUS))
    return GameClient("red-packet")


def test_expiry_returns_exactly_the_unclaimed_amount_once(rp: GameClient, clock: list[datetime]) -> None:
    # GIVEN a packet of 5.00 (+2.00 bonus reserved) and a warm-up grab so "kim" is diminished
    warm = order(rp, "ord-warm", "s0").body["packet_id"]
    grab(rp, warm, "kim")
    pid = order(rp, "ord-exp", "lee").body["packet_id"]
    assert budget_left() == 500000 - 2 * 700
    # WHEN two friends grab (one full part 1.00, kim's second grab today 0.50) and it expires
    assert grab(rp, pid, "max").body["amount"] == "1.00"
    assert grab(rp, pid, "kim").body["amount"] == "0.50"
    assert expire_due(clock[0]) == 0  # nothing is due yet
    clock[0] = NOW + timedelta(hours=24)
    # THEN players see it expired at once, before any sweep
    assert rp.call("GET", f"{PACKETS}/{pid}").body["state"] == "expired"
    assert grab(rp, pid, "ned").code == "PACKET_EXPIRED"
    # AND the sweep gives back 7.00 - 1.50 (3 parts, the 0.50 held back, the unearned bonus)
    before = budget_left()
    assert expire_due(clock[0]) == 2
    assert budget_left() == before + (700 - 150) + (700 - 100)
    page = rp.call("GET", f"{PACKETS}/{pid}", member="lee").body
    assert (page["state"], page["returned"], page["sharer_bonus_paid"]) == ("expired", "5.50", False)
    assert index_entries() == []
    # AND a second sweep (or a later one) returns nothing more
    assert expire_due(clock[0]) == 0
    assert expire_due(clock[0] + timedelta(days=3)) == 0
    assert DueCursorItem.get(*EXPIRY.cursor_key).day == "2026-11-27"
    assert budget_left() == before + 550 + 600
    assert cash("max") + cash("kim") == 100 + 100 + 50


def test_a_fully_grabbed_packet_returns_only_what_was_held_back(
    rp: GameClient, clock: list[datetime],
) -> None:
    pid = order(rp, "ord-full", "owner").body["packet_id"]
    for i in range(5):
        assert grab(rp, pid, f"f{i}").status == 201
    assert cash("owner") == 200  # the 4th grab paid the bonus
    clock[0] = NOW + timedelta(hours=25)
    before = budget_left()
    assert expire_due(clock[0]) == 1
    assert budget_left() == before  # all 5.00 handed out, the 2.00 bonus paid
    assert stored(pid).returned == 0


def test_only_due_packets_are_swept_and_the_cursor_waits_for_the_rest(
    apply: Apply, clock: list[datetime],
) -> None:
    apply(rp_doc(order={"min_amount": "10.00", "fixed": "5.00"}, lifetime_hours=1,
                 action={"amount": "1.00", "per_day": 5}))
    rp = GameClient("red-packet")
    short = order(rp, "ord-short", "a").body["packet_id"]
    apply(rp_doc(order={"min_amount": "10.00", "fixed": "5.00"}, lifetime_hours=5))
    long = order(rp, "ord-long", "b").body["packet_id"]
    clock[0] = NOW + timedelta(hours=2)
    assert expire_due(clock[0]) == 1
    assert (stored(short).state, stored(long).state) == ("expired", "open")
    assert DueCursorItem.get(*EXPIRY.cursor_key).day == "2026-11-23"  # today: nothing older pending
    clock[0] = NOW + timedelta(hours=5)
    assert expire_due(clock[0]) == 1
    assert stored(long).returned == 500
    assert budget_left() == 500000


def test_a_packet_ends_with_its_campaign(apply: Apply, clock: list[datetime]) -> None:
    doc = rp_doc(order={"min_amount": "10.00", "fixed": "5.00"})
    doc["ends_at"] = "2026-11-23T14:00:00"  # Asia/Shanghai wall time: NOW + 2 hours
    apply(doc)
    rp = GameClient("red-packet")
    made = order(rp, "ord-end", "a").body
    assert made["expires_at"] == "2026-11-23T14:00:00+08:00"  # NOW + 2 hours, the campaign's time
    assert expire_due(NOW + timedelta(hours=2)) == 1


@pytest.mark.slow
def test_concurrent_sweeps_return_each_packet_once(rp: GameClient, clock: list[datetime]) -> None:
    pids = [order(rp, f"ord-c-{i}", f"o{i}").body["packet_id"] for i in range(6)]
    grab(rp, pids[0], "p1")
    spent = budget_left()
    assert expire_due(NOW) == 0  # the scheduled sweep has been running: its cursor is today
    later = NOW + timedelta(hours=30)
    with ThreadPoolExecutor(max_workers=16) as pool:
        counts = list(pool.map(lambda _: expire_due(later), range(16)))
    assert sum(counts) == 6
    assert budget_left() == spent + 6 * 700 - 100
    assert all(stored(pid).state == "expired" for pid in pids)


@pytest.mark.slow
def test_grabs_racing_the_sweep_never_count_money_twice(apply: Apply) -> None:
    # GIVEN a packet in 30 parts, and a sweeper whose clock is past its expiry (clock skew)
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "6.00"}, parts=30,
                 sharer_bonus=BONUS))
    rp = GameClient("red-packet")
    pid = order(rp, "ord-race", "owner").body["packet_id"]
    start = budget_left()
    assert expire_due(NOW) == 0  # the sweep runs on schedule: its cursor is today
    swept_at = NOW + timedelta(hours=25)
    calls: list[Callable[[], object]] = [partial(grab, rp, pid, f"r{i}") for i in range(24)]
    calls += [lambda: expire_due(swept_at)] * 8
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        barrier.wait()
        return call()

    # WHEN friends grab while sweeps run
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            outcomes = list(pool.map(run, calls))
    finally:
        sys.setswitchinterval(saved)
    # THEN it was swept once, and what was paid plus what came back is exactly what it cost
    packet = stored(pid)
    assert packet.state == "expired" and sum(o for o in outcomes[24:] if isinstance(o, int)) == 1
    paid = sum(cash(f"r{i}") for i in range(24)) + cash("owner")
    assert paid + int(packet.returned) == 800
    assert budget_left() == start + int(packet.returned)
    late = [o for o in outcomes[:24] if isinstance(o, Reply) and o.status != 201]
    assert all(o.code == "PACKET_EXPIRED" for o in late)


def test_a_sweep_costs_few_round_trips(rp: GameClient, dynamodb_calls: list[str]) -> None:
    order(rp, "ord-cost", "owner")
    assert expire_due(NOW) == 0  # the first run sets the cursor
    dynamodb_calls.clear()
    # nothing due: the cursor, then one Query per shard of today's bucket
    assert expire_due(NOW + timedelta(hours=1)) == 0
    assert dynamodb_calls == ["GetItem"] + ["Query"] * 4
    dynamodb_calls.clear()
    # one packet due (the next day): per packet one consistent read and one transaction
    assert expire_due(NOW + timedelta(hours=24)) == 1
    # (two days of buckets: the cursor's and today's; then the cursor moves to today)
    assert Counter(dynamodb_calls) == {"GetItem": 2, "Query": 8, "TransactWriteItems": 1,
                                       "PutItem": 1}


def test_expiry_gives_back_to_the_packets_budget(apply: Apply, clock: list[datetime]) -> None:
    from games.red_packet.fund import packets_spent

    # GIVEN a packets' budget of 10.00 that two packets of 5.00 fill, the campaign's proven
    apply(rp_doc(split="equal", order={"min_amount": "10.00", "fixed": "5.00"},
                 packets_budget="10.00"))
    rp = GameClient("red-packet")
    first = order(rp, "ord-f1", "a").body["packet_id"]
    order(rp, "ord-f2", "b")
    assert order(rp, "ord-f3", "c").code == "BUDGET_EXHAUSTED"
    grab(rp, first, "x")
    # WHEN both expire and are swept
    clock[0] = NOW + timedelta(hours=24)
    assert expire_due(clock[0]) == 2
    # THEN only the 1.00 paid out stays taken, the rest is recorded and free again
    assert packets_spent("demo") == 100
    assert (stored(first).returned, budget_left()) == (400, 0)
    assert order(rp, "ord-f4", "c").status == 201


def test_the_worker_runs_the_sweep_as_the_games_job(rp: GameClient) -> None:
    from plugins.jobs import run_jobs

    order(rp, "ord-job", "owner")
    assert run_jobs(NOW)["red-packet:expire_due"] == 0
    assert run_jobs(NOW + timedelta(hours=25))["red-packet:expire_due"] == 1
    assert budget_left() == 500000


def test_packets_paid_under_a_proven_budget_come_off_when_counting_starts(apply: Apply) -> None:
    # GIVEN packets bounded by their own budget, so config proves the campaign budget
    campaign = apply(rp_doc(packets_budget="100.00"))
    assert not campaign.budget_counted
    made = order(GameClient("red-packet"), "ord-proven", "owner", "300.00").body
    spent = round(float(made["total"]) * 100)
    assert spent > 0
    # WHEN a new version drops the packets' own budget, so the campaign budget must be counted
    campaign = apply(rp_doc(packets_budget=None))
    assert campaign.budget_counted
    # THEN what the packets already took is off the new budget shards
    assert budget_left() == 500000 - spent
