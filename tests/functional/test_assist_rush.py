"""Referral assist under 64-thread rushes, on the local DynamoDB in both its modes (atomic,
realistic): no help counts twice, exactly N helps complete a task and the initiator is
awarded exactly once, cuts land exactly on the floor, and an initiator never holds more than
K open tasks."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import partial

import pytest

from games.assist.items import HelpItem, TaskRefItem, task_pk
from plugins.store import ActionItem, CounterItem, keys
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient, Reply
from tests.functional.test_assist import (
    BONUS,
    CARDS,
    CUT,
    HELPER_POINTS,
    TASKS,
    assist_doc,
    help_task,
    ledger,
    open_count,
    open_task,
    points,
    task_of,
)

pytestmark = [pytest.mark.slow, BOTH_MODES]


def outcomes(replies: list[Reply]) -> Counter[tuple[int, str | None]]:
    return Counter((r.status, r.code) for r in replies)


def markers(task_id: str) -> list[HelpItem]:
    return list(HelpItem.query(task_pk("demo", task_id), HelpItem.sk.startswith("HELP#"),
                               consistent_read=True))


def test_one_helper_with_64_keys_helps_once(apply: Apply, crowd: Crowd) -> None:
    apply(assist_doc(helps_per_day=100))
    client = GameClient("assist")
    task_id = open_task(client)
    # WHEN one friend fires 64 different helps at once
    replies = crowd([partial(help_task, client, task_id, "eager", key=f"eager-{i:04d}")
                    for i in range(THREADS)])
    crowd.assert_contended()
    # THEN one counts, the others are told he already helped
    assert outcomes(replies) == {(201, None): 1, (409, "ALREADY_HELPED"): THREADS - 1}
    assert int(task_of(task_id).helps) == 1 and len(markers(task_id)) == 1
    assert points("eager") == HELPER_POINTS and len(ledger("eager")) == 1
    member = keys.member("eager")
    assert len(list(ActionItem.query(member, ActionItem.sk.startswith("ACT#")))) == 1
    used = CounterItem.get(member, keys.quota("demo", "assist:helps", "2026-11-23"))
    assert used.n == 1


@pytest.mark.parametrize("need", [1, 10])
def test_64_helpers_complete_a_task_exactly_once(apply: Apply, crowd: Crowd, need: int) -> None:
    apply(assist_doc(helpers_needed=need))
    client = GameClient("assist")
    task_id = open_task(client)
    # WHEN 64 friends help a task needing `need` helps, all at once
    replies = crowd([partial(help_task, client, task_id, f"h{i}") for i in range(THREADS)])
    crowd.assert_contended()
    # THEN exactly `need` count, one of them completes it, the others are refused cleanly
    assert outcomes(replies) == {(201, None): need, (409, "TASK_COMPLETED"): THREADS - need}
    assert sum(r.body["completed"] for r in replies if r.status == 201) == 1
    task = task_of(task_id)
    assert (task.state, int(task.helps), int(task.left)) == ("completed", need, 0)
    assert len(markers(task_id)) == need
    # AND the initiator was awarded exactly once, and his open-task count went back to 0
    assert points("ini") == BONUS and ledger("ini") == [f"assist-{task_id}"]
    assert open_count() == 0
    helpers = [f"h{i}" for i, r in enumerate(replies) if r.status == 201]
    assert sum(points(h) for h in helpers) == need * HELPER_POINTS


def test_a_rush_of_cuts_sums_exactly_to_the_floor(apply: Apply, crowd: Crowd) -> None:
    apply(assist_doc(**(CUT | {"helpers_needed": 8})))
    client = GameClient("assist")
    task_id = open_task(client)
    replies = crowd([partial(help_task, client, task_id, f"c{i}") for i in range(THREADS)])
    crowd.assert_contended()
    assert outcomes(replies) == {(201, None): 8, (409, "TASK_COMPLETED"): THREADS - 8}
    taken = [r.body for r in replies if r.status == 201]
    assert sum(Decimal(b["cut"]["amount"]) for b in taken) == Decimal("90.10")
    assert all(Decimal(b["cut"]["amount"]) >= Decimal("0.01") for b in taken)
    finals = [b for b in taken if b["completed"]]
    assert len(finals) == 1 and finals[0]["cut"]["price_now"] == "9.90"
    task = task_of(task_id)
    assert (task.state, int(task.to_cut), int(task.left)) == ("completed", 0, 0)
    assert sum(int(m.cut) for m in markers(task_id)) == 9010
    assert points("ini") == BONUS and len(ledger("ini")) == 1


def test_a_rush_of_card_helps_completes_once(apply: Apply, crowd: Crowd) -> None:
    apply(assist_doc(**CARDS))
    client = GameClient("assist")
    task_id = open_task(client)
    replies = crowd([partial(help_task, client, task_id, f"k{i}") for i in range(THREADS)])
    crowd.assert_contended()
    counted = [r for r in replies if r.status == 201]
    assert {r.code for r in replies if r.status != 201} <= {"TASK_COMPLETED"}
    assert sum(r.body["completed"] for r in counted) == 1
    task = task_of(task_id)
    assert task.state == "completed" and set(task.held) == {"fu", "lu", "shou"}
    assert int(task.helps) == len(counted) == len(markers(task_id))
    assert points("ini") == BONUS and len(ledger("ini")) == 1


def test_an_initiator_never_holds_more_than_k_open_tasks(apply: Apply, crowd: Crowd) -> None:
    apply(assist_doc(max_open_tasks=3))
    client = GameClient("assist")
    replies = crowd([partial(client.call, "POST", TASKS, member="ini", key=f"open-{i:05d}")
                    for i in range(THREADS)])
    crowd.assert_contended()
    assert outcomes(replies) == {(201, None): 3, (403, "OPEN_TASK_LIMIT"): THREADS - 3}
    assert open_count() == 3
    refs = TaskRefItem.query(keys.member("ini"), TaskRefItem.sk.startswith("AST#demo#"))
    assert len(list(refs)) == 3
