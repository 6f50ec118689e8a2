"""Real-time partner codes: the award and its outbox item commit together; the worker's job
fetches the code from a fake partner on 127.0.0.1 that fails, times out and answers twice,
with backoff, leases, a dead letter, and never a lost or doubled code."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from games.partner_coupon.items import OutboxItem, OutboxQueueItem, outbox_key
from games.partner_coupon.realtime import BASE_DELAY, fetch_codes, redrive
from plugins.jobs import run_jobs
from tests.conftest import Apply, GameClient
from tests.functional.conftest import FakePartner, conflict_once
from tests.functional.test_partner_coupon import claim, pc_doc


def rt_doc(url: str, max_attempts: int = 6) -> dict[str, Any]:
    coupon = {"type_id": "gym-pass", "title": "Free gym day", "kind": "free_item",
              "item": "GYM-DAY", "face_value": "30.00", "cost": "5.00", "supply": "realtime",
              "endpoint": url, "timeout_seconds": 0.5, "max_attempts": max_attempts}
    return pc_doc([{"id": "gym", "name": "Gym", "quota": 100, "budget": "500.00",
                    "brand_share": "0.5", "coupons": [coupon]}])


def mine(client: GameClient, member: str) -> list[dict[str, Any]]:
    return client.call("GET", "/campaigns/demo/coupons/mine", member=member).body["coupons"]


def later(clock: list[datetime], seconds: int) -> None:
    clock[0] = clock[0] + timedelta(seconds=seconds)


def test_claim_writes_the_outbox_then_the_job_fetches_through_failures(
        apply: Apply, clock: list[datetime], partner: Callable[[list[str]], FakePartner],
        dynamodb_calls: list[str]) -> None:
    fake = partner(["fail", "slow", "ok"])
    apply(rt_doc(fake.url))
    client = GameClient("partner-coupon")
    client.call("GET", "/campaigns/demo/coupons")  # the campaign's config is cached
    dynamodb_calls.clear()
    reply = claim(client, "ann", type_id="gym-pass")
    assert reply.status == 201 and dynamodb_calls == ["TransactWriteItems"]  # no read at all
    coupon = reply.body["coupon"]
    assert (coupon["code"], coupon["code_state"]) == (None, "pending")
    outbox = OutboxItem.get(*outbox_key("demo", coupon["coupon_id"]))
    assert (outbox.state, int(outbox.attempts)) == ("pending", 0)
    # 1st attempt: 503 → backoff BASE_DELAY
    assert fetch_codes(clock[0]) == 0
    assert fetch_codes(clock[0]) == 0  # not due again yet: no call
    assert sum(fake.calls.values()) == 1
    later(clock, BASE_DELAY)
    # 2nd attempt: the partner answers after the timeout → backoff 2 * BASE_DELAY
    assert fetch_codes(clock[0]) == 0
    later(clock, 2 * BASE_DELAY)
    # 3rd attempt: the code; the partner saw the same idempotency key every time
    assert run_jobs(clock[0])["partner-coupon:fetch_codes"] == 1
    assert list(fake.calls.values()) == [3]
    got = mine(client, "ann")
    assert [(c["code"], c["code_state"]) for c in got] == [("RT-0000", "ready")]
    outbox.refresh(consistent_read=True)
    assert (outbox.state, int(outbox.attempts), outbox.code) == ("done", 3, "RT-0000")
    assert list(OutboxQueueItem.scan(OutboxQueueItem.pk.startswith("PCOQ#"))) == []
    later(clock, 3600)
    assert fetch_codes(clock[0]) == 0 and list(fake.calls.values()) == [3]  # never again


def test_a_late_second_answer_changes_nothing(
    apply: Apply, clock: list[datetime], partner: Callable[[list[str]], FakePartner],
) -> None:
    fake = partner(["slow"])
    apply(rt_doc(fake.url))
    client = GameClient("partner-coupon")
    coupon_id = claim(client, "bo", type_id="gym-pass").body["coupon"]["coupon_id"]
    assert fetch_codes(clock[0]) == 0  # timed out; the partner still answers (a first time)
    time.sleep(1.2)
    later(clock, BASE_DELAY)
    assert fetch_codes(clock[0]) == 1  # the retry: the partner answers the same key again
    assert fake.calls[f"demo:{coupon_id}"] == 2
    assert [c["code"] for c in mine(client, "bo")] == ["RT-0000"]


def test_dead_letter_after_max_attempts_and_redrive(
    apply: Apply, clock: list[datetime], partner: Callable[[list[str]], FakePartner],
) -> None:
    fake = partner(["fail"] * 3)
    apply(rt_doc(fake.url, max_attempts=3))
    client = GameClient("partner-coupon")
    coupon_id = claim(client, "cy", type_id="gym-pass").body["coupon"]["coupon_id"]
    for step in range(3):
        fetch_codes(clock[0])
        later(clock, BASE_DELAY * 2 ** step)
    outbox = OutboxItem.get(*outbox_key("demo", coupon_id), consistent_read=True)
    assert (outbox.state, int(outbox.attempts)) == ("dead", 3) and "503" in outbox.last_error
    assert [c["code_state"] for c in mine(client, "cy")] == ["dead"]
    assert fetch_codes(clock[0]) == 0 and sum(fake.calls.values()) == 3
    assert redrive("demo", coupon_id, clock[0]) and fetch_codes(clock[0]) == 1
    assert [(c["code"], c["code_state"]) for c in mine(client, "cy")] == [("RT-0000", "ready")]


@pytest.mark.slow
@pytest.mark.usefixtures("tight_switching")
def test_concurrent_workers_call_once_per_coupon(
    apply: Apply, clock: list[datetime], partner: Callable[[list[str]], FakePartner],
) -> None:
    fake = partner([])
    apply(rt_doc(fake.url))
    client = GameClient("partner-coupon")
    for i in range(10):
        assert claim(client, f"w{i}", type_id="gym-pass").status == 201
    barrier = threading.Barrier(8)

    def work() -> int:
        barrier.wait()
        return fetch_codes(clock[0])

    threads: list[int] = []
    runners = [threading.Thread(target=lambda: threads.append(work())) for _ in range(8)]
    for t in runners:
        t.start()
    for t in runners:
        t.join()
    assert sum(threads) == 10
    assert sorted(fake.calls.values()) == [1] * 10  # each coupon called once
    codes = [c["code"] for i in range(10) for c in mine(client, f"w{i}")]
    assert len(set(codes)) == 10 and None not in codes


def test_a_conflict_on_a_lease_leaves_the_code_to_the_next_run(
    apply: Apply, clock: list[datetime], partner: Callable[[list[str]], FakePartner],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DynamoDB refuses a single write on an item a transaction holds (another worker finishing
    it): this worker's run goes on, and the next run fetches that code."""
    fake = partner([])
    apply(rt_doc(fake.url))
    client = GameClient("partner-coupon")
    for member in ("c1", "c2"):
        assert claim(client, member, type_id="gym-pass").status == 201
    conflict_once(monkeypatch, OutboxItem)
    assert fetch_codes(clock[0]) == 1 and sum(fake.calls.values()) == 1
    assert fetch_codes(clock[0]) == 1 and sum(fake.calls.values()) == 2
    assert all(c["code"] for member in ("c1", "c2") for c in mine(client, member))
