"""Signed webhooks end to end: actions -> the table's stream -> the outbox -> a receiver on
127.0.0.1 that fails, times out, answers slowly and gets deliveries twice. Every event is
delivered or dead-lettered, none lost; signatures are checked by the independent verifier of
tests/unit/test_webhook_signing.py; an action that fails queues nothing; the player's
request pays no extra DynamoDB call for it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from infra.cli import main as mgames
from plugins.webhooks import deliver_webhooks, every_delivery, replay
from plugins.webhooks.delivery import MAX_ATTEMPTS
from plugins.webhooks.outbox import DeliveryItem
from tests.conftest import BOTH_MODES, Apply, GameClient, demo_doc
from tests.functional.conftest import conflict_once
from tests.functional.test_booking import book, booking_doc, verify_code
from tests.functional.test_red_packet import cash, grab, order, rp_doc
from tests.unit.test_webhook_signing import NEW, OLD, verify

pytestmark = pytest.mark.usefixtures("table")


class Receiver:
    """Answers each request by the next step of `script` (then `"ok"`): `ok`, `fail` (500),
    `slow` (0.3 s, then 200) or `hang` (2 s: past the endpoint's timeout, then 200)."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.seen: list[tuple[str, bool, dict[str, Any]]] = []  # id, signature ok, body
        self.raw: list[tuple[dict[str, str], bytes]] = []  # headers, body: to verify other secrets
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.lock:
                    step = receiver.script.pop(0) if receiver.script else "ok"
                    receiver.raw.append((headers, body))
                    receiver.seen.append((headers["webhook-id"], verify(OLD, headers, body)
                                          and verify(NEW, headers, body), json.loads(body)))
                time.sleep({"slow": 0.3, "hang": 2.0}.get(step, 0))
                self.send_response(500 if step == "fail" else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setenv("MGAMES_WEBHOOK_SECRETS", json.dumps({"mgames/webhooks/crm": f"{NEW} {OLD}"}))
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def hooked(receiver: Receiver, events: tuple[str, ...] = ("reward.issued", "coupon.redeemed"),
           ) -> dict[str, Any]:
    """The demo whose wheel always wins a coffee coupon, with the receiver as its endpoint."""
    doc = demo_doc(webhooks=[{"id": "crm", "url": receiver.url, "events": list(events),
                              "secret_ref": "mgames/webhooks/crm", "timeout_seconds": 0.5}])
    for prize in doc["games"]["lucky-wheel"]["prizes"]:
        prize["weight"] = 1 if prize["id"] == "coffee" else 0
    return doc


def deliveries(state: str | None = None) -> list[dict[str, Any]]:
    return list(every_delivery("demo", state))


def draw(member: str) -> Any:
    return GameClient("lucky-wheel").call("POST", "/campaigns/demo/draws", member=member,
                                          key=f"draw-key-{member}")


def drain_until_done(clock: list[datetime], rounds: int = 4 * MAX_ATTEMPTS) -> None:
    """Run the worker's job as time passes, a day and more, till nothing is pending."""
    for _ in range(rounds):
        deliver_webhooks(clock[0])
        if not deliveries("pending"):
            return
        clock[0] += timedelta(hours=7)  # past the longest backoff


def test_every_event_is_delivered_or_dead_lettered_and_signed(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver) -> None:
    apply(hooked(receiver))
    winners = [f"m{i}" for i in range(8)]
    for member in winners:
        assert draw(member).status == 201
    aggregate()
    queued = deliveries()
    assert len(queued) == len(winners) and {d["event"] for d in queued} == {"reward.issued"}
    receiver.script = ["fail", "hang", "slow", "fail", "ok", "fail", "hang", "slow"]
    drain_until_done(clock)
    done = {d["id"]: d for d in deliveries()}
    assert set(done) == {d["id"] for d in queued}
    assert {d["state"] for d in done.values()} == {"delivered"}
    received = {identity for identity, _, _ in receiver.seen}
    assert received == set(done)  # none lost; a hung attempt is sent again, same id
    assert len(receiver.seen) > len(received) and all(ok for _, ok, _ in receiver.seen)
    members = {body["data"]["member_id"] for _, _, body in receiver.seen}
    assert members == set(winners)


def test_a_dead_letter_is_kept_and_replayed_from_a_fresh_start(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver,
        cli_store: str, table: str, capsys: pytest.CaptureFixture[str]) -> None:
    apply(hooked(receiver))
    assert draw("alice").status == 201
    aggregate()
    receiver.script = ["fail"] * MAX_ATTEMPTS
    drain_until_done(clock)
    (dead,) = deliveries()
    assert dead["state"] == "dead" and dead["attempts"] == MAX_ATTEMPTS and "500" in dead["last_error"]
    store = ["--endpoint", cli_store, "--table", table]
    assert mgames(["webhooks", "list", "demo", "--state", "dead", *store]) == 0
    assert f"{dead['id']}  dead" in capsys.readouterr().out
    assert mgames(["webhooks", "replay", "demo", "--id", dead["id"], *store]) == 0
    assert f"queued {dead['id']}" in capsys.readouterr().out
    assert replay("demo", now=clock[0]) == []  # queued once
    drain_until_done(clock)
    (again,) = deliveries()
    assert again["id"] == dead["id"] and again["state"] == "delivered" and again["attempts"] == 1
    assert replay("demo", [dead["id"]], clock[0]) == [dead["id"]]  # a delivered one, when named
    assert mgames(["webhooks", "list", "nope", *store]) == 1


@BOTH_MODES
def test_an_event_handed_over_twice_is_delivered_once_and_two_workers_never_share_an_attempt(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver) -> None:
    apply(hooked(receiver))
    for member in ("alice", "bob", "carol"):
        assert draw(member).status == 201
    from infra.local.streams import taken
    from plugins.aggregates import changes_of
    from plugins.webhooks import record_events

    changes = changes_of({"Records": taken("mgames-test")})
    assert record_events(changes, clock[0]) == 3
    assert record_events(changes, clock[0]) == 0  # the stream hands a batch back: nothing new
    crashed: list[BaseException] = []

    def work() -> None:
        try:
            deliver_webhooks(clock[0])
        except BaseException as exc:  # a worker's run must not end in an error (DynamoDB conflicts included)
            crashed.append(exc)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert crashed == []
    assert record_events(changes, clock[0]) == 0  # nor after its deliveries finished
    assert sorted(i for i, _, _ in receiver.seen) == sorted(d["id"] for d in deliveries())
    assert {d["state"] for d in deliveries()} == {"delivered"}


def test_a_conflict_on_a_lease_leaves_the_delivery_to_the_next_run(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB refuses a single write on an item a transaction holds (another worker finishing
    it): that worker's run goes on with the other deliveries, and the next run sends this one."""
    apply(hooked(receiver))
    for member in ("alice", "bob"):
        assert draw(member).status == 201
    aggregate()
    conflict_once(monkeypatch, DeliveryItem)
    assert deliver_webhooks(clock[0]) == 1
    assert [d["state"] for d in deliveries()].count("pending") == 1
    assert deliver_webhooks(clock[0]) == 1 and {d["state"] for d in deliveries()} == {"delivered"}


def test_a_failed_action_queues_nothing_and_costs_no_extra_call(
        apply: Apply, aggregate: Callable[[], int], receiver: Receiver, dynamodb_calls: list[str]) -> None:
    apply(demo_doc())
    before = len(dynamodb_calls)
    assert draw("bob").status == 201  # without a webhook
    plain = len(dynamodb_calls) - before
    apply(hooked(receiver))
    before = len(dynamodb_calls)
    assert draw("alice").status == 201
    assert len(dynamodb_calls) - before == plain  # the outbox is the stream's: no call of its own
    replies = [GameClient("lucky-wheel").call("POST", "/campaigns/demo/draws", member="alice",
                                              key=f"draw-key-more-{n}") for n in range(12)]
    assert any(r.status >= 400 for r in replies)  # refused: its transaction wrote nothing
    assert draw("alice").status == 201  # a retry of the first key: the first answer, no reward
    # bob's reward too: the stream is read after the endpoint was configured (docs/webhooks.md)
    rewarded = 2 + sum(1 for r in replies if r.status == 201 and r.body.get("reward"))
    aggregate()
    events = [d["event"] for d in deliveries()]
    assert events == ["reward.issued"] * rewarded


def test_stock_and_budget_thresholds_are_told_once(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver) -> None:
    doc = hooked(receiver, ("stock.exhausted", "budget.80", "budget.100"))
    doc["budget"] = "12.00"  # two coffees at 6.00: half, then all of it
    wheel = doc["games"]["lucky-wheel"]
    doc["games"] = {"lucky-wheel": wheel}
    wheel.pop("odds_by_tier", None)
    wheel["prizes"] = [p for p in wheel["prizes"] if float(p.get("cost") or 0) <= 6]
    next(p for p in wheel["prizes"] if p["id"] == "coffee")["stock"] = 2
    apply(doc)
    assert draw("alice").status == 201
    aggregate()
    assert deliveries() == []  # 50 % spent, one coffee left
    assert draw("bob").status == 201 and draw("carol").status in (201, 409)
    aggregate()
    aggregate()
    events = sorted(d["event"] for d in deliveries())
    assert events == ["budget.100", "budget.80", "stock.exhausted"]
    drain_until_done(clock)
    bodies = {body["type"]: body["data"] for _, _, body in receiver.seen}
    assert bodies["budget.80"] == {"allotted_cents": 1200, "spent_cents": 1200}
    assert bodies["stock.exhausted"]["stock"].endswith("#coffee"), bodies


def test_a_verified_booking_is_told_with_the_verification(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver) -> None:
    apply(booking_doc() | {"webhooks": hooked(receiver, ("booking.verified",))["webhooks"]})
    bk = GameClient("booking")
    booked = book(bk, "ann").body
    assert verify_code(bk, booked["code"]).status == 200
    aggregate()
    drain_until_done(clock)
    [(_, signed, body)] = receiver.seen
    assert signed and body["type"] == "booking.verified"
    assert body["data"]["member_id"] == "ann" and body["data"]["verified_by"] == "staff-1"


def test_red_packet_cash_is_told_as_a_reward_with_its_amount(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver) -> None:
    apply(rp_doc() | {"webhooks": hooked(receiver, ("reward.issued",))["webhooks"]})
    rp = GameClient("red-packet")
    packet = order(rp, "ord-hook-1", "alice").body
    grabbed = [grab(rp, packet["packet_id"], f"friend-{i}") for i in range(2)]
    assert [g.status for g in grabbed] == [201, 201]
    aggregate()
    drain_until_done(clock)
    told = sorted((body["data"]["member_id"], body["data"]["amount_cents"])
                  for _, signed, body in receiver.seen if signed and body["data"]["kind"] == "cash")
    assert told == sorted((f"friend-{i}", cash(f"friend-{i}")) for i in range(2))
    assert all(cents > 0 for _, cents in told)


def test_a_batch_whose_events_cannot_be_recorded_comes_back_whole(
        apply: Apply, aggregate: Callable[[], int], receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import functions.aggregator
    from plugins.aggregates import read_figures

    apply(hooked(receiver))
    assert draw("alice").status == 201

    def refused(*_: Any) -> int:
        raise functions.aggregator.CampaignNotFoundError("the store said no")

    recorder = functions.aggregator.record_events
    monkeypatch.setattr(functions.aggregator, "record_events", refused)
    assert aggregate() == 0  # handed back from its first record: nothing counted, nothing queued
    assert deliveries() == [] and read_figures("demo").campaign().get("plays", 0) == 0
    monkeypatch.setattr(functions.aggregator, "record_events", recorder)
    assert aggregate() > 0
    assert len(deliveries()) == 1 and read_figures("demo").campaign()["plays"] == 1


def test_a_hanging_receiver_costs_one_timeout_a_run_and_holds_up_no_other(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver) -> None:
    stuck = Receiver()
    try:
        doc = hooked(receiver)
        doc["webhooks"].append(doc["webhooks"][0] | {"id": "stuck", "url": stuck.url})
        apply(doc)
        stuck.script = ["hang"] * 3
        for member in ("alice", "bob", "carol"):
            assert draw(member).status == 201
        aggregate()
        started = time.monotonic()
        assert deliver_webhooks(clock[0]) == 3  # the receiver's three
        assert time.monotonic() - started < 1.5  # one 0.5 s timeout, not three
        assert len(stuck.seen) == 1 and len(receiver.seen) == 3
        drain_until_done(clock)
        assert {d["state"] for d in deliveries()} == {"delivered"} and len(deliveries()) == 6
    finally:
        stuck.server.shutdown()
        stuck.server.server_close()
