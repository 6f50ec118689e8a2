"""Referral assist's rules and refusals: self-help, same device or IP (blocked and recorded),
new users only, K open tasks, lazy expiry, daily helps; every refusal is the shared
envelope with a 4xx and writes nothing (fraud blocks write only their audit record)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from games.assist.items import TaskRefItem
from plugins.antifraud import block_samples
from plugins.store import keys
from tests.conftest import NOW, Apply, GameClient, Scan, demo_doc, token
from tests.functional.test_assist import (
    CUT,
    TASKS,
    assist_doc,
    help_task,
    ledger,
    open_count,
    open_task,
    points,
    task_of,
)
from tests.functional.test_errors import assert_rejected, unchanged_except_blocks


def bearer(member: str, registered_at: datetime | None, device: str | None = None) -> dict[str, str]:
    return {"authorization": f"Bearer {token(member, device, registered_at=registered_at)}"}


@pytest.fixture
def assist(apply: Apply) -> GameClient:
    apply(assist_doc())
    return GameClient("assist")


@pytest.mark.parametrize("mode", [{}, CUT], ids=["helpers", "cut"])
def test_the_initiator_cannot_help_his_own_task(apply: Apply, scan: Scan, mode: dict[str, Any]) -> None:
    apply(assist_doc(**mode))
    client = GameClient("assist")
    task_id = open_task(client, device="ini-phone")
    before = scan()
    # from his own device and IP: a self-help, refused, not a fraud block
    reply = help_task(client, task_id, "ini", device="ini-phone", ip="10.0.0.1")
    assert_rejected(reply, 403, "SELF_HELP")
    assert scan() == before
    assert block_samples("demo") == []


@pytest.mark.parametrize(("kwargs", "rule"), [
    ({"device": "ini-phone"}, "assist_same_device"),
    ({"device": "own-phone", "ip": "10.0.0.1"}, "assist_same_ip"),
])
def test_a_helper_on_the_initiators_device_or_ip_is_blocked_and_recorded(
        assist: GameClient, scan: Scan, kwargs: dict[str, Any], rule: str) -> None:
    task_id = open_task(assist, device="ini-phone")  # from 10.0.0.1
    before = scan()
    reply = help_task(assist, task_id, "sock-puppet", **kwargs)
    assert_rejected(reply, 403, "FRAUD_BLOCKED")
    assert unchanged_except_blocks(before, scan()) == []
    blocks = block_samples("demo")
    assert [(b.rule, b.member_id, b.game) for b in blocks] == [(rule, "sock-puppet", "assist")]
    assert "initiator" in blocks[0].reason
    # a friend on his own device and network helps normally
    assert help_task(assist, task_id, "friend", device="friend-phone").status == 201


def test_same_ip_rule_can_be_switched_off(apply: Apply) -> None:
    apply(assist_doc(block_same_ip=False))
    client = GameClient("assist")
    task_id = open_task(client)
    assert help_task(client, task_id, "colleague", ip="10.0.0.1").status == 201


def test_new_users_only(apply: Apply, scan: Scan, clock: list[datetime]) -> None:
    # GIVEN only new users may help: registered after the campaign start (2026-01-01 local)
    # or within 7 days before the help
    apply(assist_doc(new_users_only=True, new_user_days=7))
    client = GameClient("assist")
    task_id = open_task(client)
    path = f"{TASKS}/{task_id}/helps"
    refused = {"old-timer": datetime(2025, 6, 1, tzinfo=NOW.tzinfo), "unknown": None}
    for member, registered in refused.items():
        before = scan()
        reply = client.call("POST", path, key=f"help-{member}", ip=f"10.5.0.{len(member)}",
                            headers=bearer(member, registered))
        assert_rejected(reply, 403, "NEW_USERS_ONLY")
        assert scan() == before
    accepted = {"this-week": NOW - timedelta(days=3), "since-start": datetime(2026, 3, 1, tzinfo=NOW.tzinfo)}
    for i, (member, registered) in enumerate(accepted.items()):
        reply = client.call("POST", path, key=f"help-{member}", ip=f"10.6.0.{i}",
                            headers=bearer(member, registered))
        assert reply.status == 201 and reply.body["new_user"] is True
    assert int(task_of(task_id).new_helpers) == 2


def test_new_helpers_are_counted_for_the_k_factor(assist: GameClient) -> None:
    task_id = open_task(assist)
    path = f"{TASKS}/{task_id}/helps"
    assist.call("POST", path, key="help-new-1", ip="10.7.0.1", headers=bearer("new", NOW))
    assist.call("POST", path, key="help-old-1", ip="10.7.0.2",
                headers=bearer("old", datetime(2024, 1, 1, tzinfo=NOW.tzinfo)))
    task = task_of(task_id)
    assert (int(task.helps), int(task.new_helpers)) == (2, 1)


def test_k_open_tasks_per_initiator(apply: Apply, scan: Scan) -> None:
    apply(assist_doc(max_open_tasks=2))
    client = GameClient("assist")
    open_task(client, key="open-00001")
    open_task(client, key="open-00002")
    before = scan()
    reply = client.call("POST", TASKS, member="ini", key="open-00003")
    assert_rejected(reply, 403, "OPEN_TASK_LIMIT")
    assert scan() == before
    assert open_count() == 2
    # another member has his own slots
    open_task(client, member="other")


def test_completing_a_task_frees_its_slot_at_no_extra_cost(
    assist: GameClient, dynamodb_calls: list[str],
) -> None:
    task_id = open_task(assist)
    for i in range(3):
        help_task(assist, task_id, f"f{i}")
    dynamodb_calls.clear()
    open_task(assist, key="open-00002")
    assert dynamodb_calls == ["TransactWriteItems"]
    assert open_count() == 1


def test_expiry_is_lazy_refuses_helps_and_releases_the_slot(
    assist: GameClient, scan: Scan, clock: list[datetime], dynamodb_calls: list[str],
) -> None:
    # GIVEN a 24-hour task that got one help of three
    task_id = open_task(assist)
    help_task(assist, task_id, "early")
    # WHEN its deadline passes
    clock[0] = NOW + timedelta(hours=24)
    # THEN a help is refused and writes nothing, and the page shows it expired
    before = scan()
    assert_rejected(help_task(assist, task_id, "late"), 409, "TASK_EXPIRED")
    assert scan() == before
    assert assist.call("GET", f"{TASKS}/{task_id}").body["state"] == "expired"
    assert task_of(task_id).state == "open"  # nothing was written at the deadline
    # AND the initiator's next open finds the slot taken, releases it and opens
    dynamodb_calls.clear()
    new_id = open_task(assist, key="open-00002")
    assert dynamodb_calls == ["TransactWriteItems", "Query", "BatchGetItem",
                              "TransactWriteItems", "TransactWriteItems"]
    assert task_of(task_id).state == "expired" and open_count() == 1
    assert TaskRefItem.get(keys.member("ini"), f"AST#demo#{task_id}").closed == "expired"
    # AND the expired task gave no prize
    assert points("ini") == 0 and ledger("ini") == []
    own = assist.call("GET", TASKS, member="ini").body["tasks"]
    assert [(t["task_id"], t["state"]) for t in own] == [(new_id, "open"), (task_id, "expired")]


def test_deadline_is_capped_by_the_campaign_end(apply: Apply, clock: list[datetime]) -> None:
    doc = assist_doc(task_hours=48)
    doc["ends_at"] = "2026-11-24T00:00:00"
    apply(doc)
    client = GameClient("assist")
    reply = client.call("POST", TASKS, member="ini", key="open-00001")
    assert reply.body["deadline"] == "2026-11-24T00:00:00+08:00"


def test_helps_per_day(apply: Apply, scan: Scan, clock: list[datetime]) -> None:
    apply(assist_doc(helps_per_day=2))
    client = GameClient("assist")
    tasks = [open_task(client, f"ini{i}") for i in range(4)]
    assert [help_task(client, t, "busy").status for t in tasks[:2]] == [201, 201]
    before = scan()
    assert_rejected(help_task(client, tasks[2], "busy"), 403, "NO_CHANCES_LEFT")
    assert scan() == before
    clock[0] = NOW + timedelta(hours=12)  # the next local day in Asia/Shanghai
    assert help_task(client, tasks[3], "busy").status == 201


def test_once_per_helper_and_closed_tasks(assist: GameClient, scan: Scan) -> None:
    task_id = open_task(assist)
    assert help_task(assist, task_id, "friend", key="help-first-1").status == 201
    before = scan()
    assert_rejected(help_task(assist, task_id, "friend", key="help-again-1"), 409, "ALREADY_HELPED")
    assert scan() == before
    for member in ("f2", "f3"):
        help_task(assist, task_id, member)
    before = scan()
    assert_rejected(help_task(assist, task_id, "f4"), 409, "TASK_COMPLETED")
    assert scan() == before


def test_cut_mode_replays_a_completing_help_after_the_task_closed(apply: Apply) -> None:
    apply(assist_doc(**(CUT | {"helpers_needed": 1})))
    client = GameClient("assist")
    task_id = open_task(client)
    first = help_task(client, task_id, "only", key="cut-key-001")
    again = help_task(client, task_id, "only", key="cut-key-001")
    assert again.body == first.body and again.headers["Idempotent-Replayed"] == "true"
    assert_rejected(help_task(client, task_id, "later"), 409, "TASK_COMPLETED")


WELL_FORMED = "20261123040000" + "ab" * 6
HELP_CASES: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("no token", "TASK", {"key": "k-00000001"}, 401, "TOKEN_MISSING"),
    ("bad token", "TASK", {"key": "k-00000001", "headers": {"authorization": "Bearer x.y"}},
     401, "TOKEN_INVALID"),
    ("no key", "TASK", {"member": "eve"}, 400, "IDEMPOTENCY_KEY_MISSING"),
    ("unknown field", "TASK", {"member": "eve", "key": "k-00000001", "body": {"n": 2}}, 400,
     "MALFORMED_REQUEST"),
    ("malformed task id", "nope", {"member": "eve", "key": "k-00000001"}, 400, "MALFORMED_REQUEST"),
    ("unknown task", WELL_FORMED, {"member": "eve", "key": "k-00000001"}, 404, "TASK_NOT_FOUND"),
]


@pytest.mark.parametrize(("label", "task", "kwargs", "status", "code"), HELP_CASES,
                         ids=[c[0] for c in HELP_CASES])
@pytest.mark.parametrize("mode", [{}, CUT], ids=["helpers", "cut"])
def test_bad_help_requests(apply: Apply, scan: Scan, mode: dict[str, Any], label: str, task: str,
                           kwargs: dict[str, Any], status: int, code: str) -> None:
    apply(assist_doc(**mode))
    client = GameClient("assist")
    task_id = open_task(client) if task == "TASK" else task
    before = scan()
    reply = client.call("POST", f"{TASKS}/{task_id}/helps", ip="10.8.0.1", **kwargs)
    assert_rejected(reply, status, code)
    assert unchanged_except_blocks(before, scan()) == []


OPEN_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("no token", {"key": "k-00000001"}, 401, "TOKEN_MISSING"),
    ("no key", {"member": "eve"}, 400, "IDEMPOTENCY_KEY_MISSING"),
    ("channel too long", {"member": "eve", "key": "k-00000001", "body": {"channel": "x" * 41}},
     400, "MALFORMED_REQUEST"),
]


@pytest.mark.parametrize(("label", "kwargs", "status", "code"), OPEN_CASES,
                         ids=[c[0] for c in OPEN_CASES])
def test_bad_open_requests(assist: GameClient, scan: Scan, label: str, kwargs: dict[str, Any],
                           status: int, code: str) -> None:
    before = scan()
    assert_rejected(assist.call("POST", TASKS, **kwargs), status, code)
    assert scan() == before


def test_key_reused_for_another_task(assist: GameClient, scan: Scan) -> None:
    first, second = open_task(assist, "a"), open_task(assist, "b")
    assert help_task(assist, first, "eve", key="eve-key-001").status == 201
    before = scan()
    assert_rejected(help_task(assist, second, "eve", key="eve-key-001"), 422,
                    "IDEMPOTENCY_KEY_REUSED")
    assert scan() == before


def test_campaign_closed_or_game_off(apply: Apply, scan: Scan, clock: list[datetime]) -> None:
    apply(assist_doc())
    client = GameClient("assist")
    task_id = open_task(client)
    clock[0] = NOW.replace(year=2031)
    before = scan()
    assert_rejected(client.call("POST", TASKS, member="x", key="k-00000001"), 403, "CAMPAIGN_NOT_OPEN")
    assert_rejected(help_task(client, task_id, "x"), 403, "CAMPAIGN_NOT_OPEN")
    assert scan() == before
    clock[0] = NOW
    doc = assist_doc()
    doc["games"]["assist"]["enabled"] = False
    apply(doc)
    before = scan()
    for reply in (client.call("GET", "/campaigns/demo"), help_task(client, task_id, "x"),
                  client.call("GET", f"{TASKS}/{task_id}")):
        assert_rejected(reply, 404, "GAME_NOT_ENABLED")
    assert scan() == before
    without = demo_doc()
    del without["games"]["assist"]  # a campaign with no assist section at all
    apply(without)
    assert_rejected(client.call("GET", "/campaigns/demo"), 404, "GAME_NOT_ENABLED")
