"""Make-up check-ins [补签]: past days of the current cycle only, a few per cycle, maybe paid
in points; a make-up can complete a milestone, which is still awarded exactly once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from plugins.store import MarkerItem, PointsItem, keys
from tests.conftest import Apply, GameClient, Scan
from tests.functional.test_check_in import (
    POINTS_10,
    balance,
    calendar,
    campaign_doc,
    check,
    days_on,
    local,
    make_up,
)
from tests.functional.test_errors import assert_rejected


def give_points(member: str, points: int) -> None:
    PointsItem(keys.member(member), keys.POINTS_BALANCE, points=points).save()


@pytest.fixture
def game(apply: Apply) -> GameClient:
    apply(campaign_doc())
    return GameClient("check-in")


def test_a_make_up_fills_a_missed_day_and_mends_the_streak(
        game: GameClient, clock: list[datetime], dynamodb_calls: list[str]) -> None:
    # GIVEN Monday and Wednesday checked, Tuesday missed
    days_on(clock, game, "ann", "2026-11-23", "2026-11-25")
    assert calendar(game, "ann")["streak"] == 1
    dynamodb_calls.clear()
    # WHEN Tuesday is made up
    reply = make_up(game, "ann", "2026-11-24")
    # THEN it earns Tuesday's reward and joins the run: 3 days, milestone 3 reached
    assert reply.status == 201, reply
    assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
    assert (reply.body["kind"], reply.body["day"], reply.body["cycle_day"]) == ("make-up", "2026-11-24", 2)
    assert reply.body["streak"] == 3 and reply.body["milestones"] == [3]
    assert [r["for"] for r in reply.body["rewards"]] == ["day", "milestone"]
    assert balance("ann") == 10 + 10 + 10 + 30
    cal = calendar(game, "ann")
    assert [d["status"] for d in cal["days"][:4]] == ["checked", "made_up", "checked", "upcoming"]
    assert cal["streak"] == 3 and cal["make_ups"] == {"per_cycle": 2, "used": 1, "left": 1,
                                                      "cost_points": 0}


def test_a_milestone_completed_by_a_make_up_is_not_awarded_again(
    game: GameClient, clock: list[datetime],
) -> None:
    # GIVEN a 3-day run already rewarded, then a miss, then two more days
    days_on(clock, game, "bob", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27",
            "2026-11-28")
    # WHEN the miss is made up, joining a 6-day run
    reply = make_up(game, "bob", "2026-11-26")
    # THEN the 3-day milestone is not paid twice
    assert reply.body["streak"] == 6 and reply.body["milestones"] == []
    markers = list(MarkerItem.query(keys.member("bob"), MarkerItem.sk.startswith("CHK#demo#MS#")))
    assert [m.sk for m in markers] == ["CHK#demo#MS#2026-11-23#0003"]
    # AND on Sunday the 7-day milestone comes, once
    (sunday,) = days_on(clock, game, "bob", "2026-11-29")
    assert sunday.body["milestones"] == [7]


def test_make_ups_are_limited_per_cycle(game: GameClient, clock: list[datetime], scan: Scan) -> None:
    clock[0] = local("2026-11-27")  # Friday: Monday to Thursday missed
    assert make_up(game, "cat", "2026-11-23").status == 201
    assert make_up(game, "cat", "2026-11-24").status == 201
    before = scan()
    reply = make_up(game, "cat", "2026-11-25")
    assert_rejected(reply, 403, "NO_CHANCES_LEFT")
    assert "make-ups" in reply.body["error"]["message"]
    assert scan() == before
    cal = calendar(game, "cat")
    assert cal["make_ups"]["left"] == 0
    assert [d["can_make_up"] for d in cal["days"][:4]] == [False, False, False, False]
    # the next cycle has its own make-ups
    clock[0] = local("2026-12-02")
    assert make_up(game, "cat", "2026-11-30").status == 201


def test_a_paid_make_up_takes_points_in_the_same_transaction(
    apply: Apply, clock: list[datetime], scan: Scan,
) -> None:
    apply(campaign_doc(make_ups={"per_cycle": 2, "cost_points": 50}))
    game = GameClient("check-in")
    clock[0] = local("2026-11-25")
    # GIVEN 40 points: not enough
    give_points("dan", 40)
    before = scan()
    reply = make_up(game, "dan", "2026-11-24")
    # THEN a clear refusal, and nothing written (no day, no counter, no ledger line)
    assert_rejected(reply, 403, "POINTS_INSUFFICIENT")
    assert scan() == before
    # WITH 60 points the make-up passes: 50 spent, Tuesday's 10 earned, one ledger line each
    give_points("dan", 60)
    reply = make_up(game, "dan", "2026-11-24")
    assert reply.status == 201 and reply.body["cost_points"] == 50
    assert balance("dan") == 60 - 50 + 10
    ledger = {item.sk.rsplit(".", 1)[1]: int(item.points) for item in PointsItem.query(
        keys.member("dan"), PointsItem.sk.startswith("PTS#"))}
    assert ledger == {"spend": -50, "day": 10}


def test_points_earned_by_the_make_up_do_not_pay_for_it(apply: Apply, clock: list[datetime]) -> None:
    # a make-up worth 10 points and costing 50, with 45 in the balance: refused, not netted
    apply(campaign_doc(make_ups={"per_cycle": 2, "cost_points": 50}))
    give_points("eve", 45)
    clock[0] = local("2026-11-25")
    assert make_up(GameClient("check-in"), "eve", "2026-11-24").code == "POINTS_INSUFFICIENT"
    assert balance("eve") == 45


def test_a_make_up_may_not_earn_the_day_reward(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(make_ups={"per_cycle": 1, "day_reward": False},
                       milestones=[{"streak": 2, "reward": POINTS_10}]))
    game = GameClient("check-in")
    days_on(clock, game, "fay", "2026-11-24")
    reply = make_up(game, "fay", "2026-11-23")
    assert [r["for"] for r in reply.body["rewards"]] == ["milestone"]
    assert balance("fay") == 10 + 10


REFUSED: list[tuple[str, str, dict[str, Any], int, str]] = [
    ("today", "2026-11-25", {}, 422, "MAKE_UP_NOT_ALLOWED"),
    ("future", "2026-11-26", {}, 422, "MAKE_UP_NOT_ALLOWED"),
    ("last week", "2026-11-22", {}, 422, "MAKE_UP_NOT_ALLOWED"),
    ("already checked", "2026-11-23", {}, 409, "ALREADY_CHECKED_IN"),
    ("make-ups off", "2026-11-24", {"make_ups": {"per_cycle": 0}}, 422, "MAKE_UP_NOT_ALLOWED"),
    ("not a date", "2026-02-30", {}, 400, "MALFORMED_REQUEST"),
    ("not a day", "25/11/2026", {}, 400, "MALFORMED_REQUEST"),
]


@pytest.mark.parametrize(("label", "day", "changes", "status", "code"), REFUSED,
                         ids=[r[0] for r in REFUSED])
def test_make_ups_refused_write_nothing(apply: Apply, clock: list[datetime], scan: Scan, label: str, day: str,
                                        changes: dict[str, Any], status: int, code: str) -> None:
    apply(campaign_doc(**changes))
    game = GameClient("check-in")
    days_on(clock, game, "gus", "2026-11-23")
    clock[0] = local("2026-11-25")  # Wednesday
    before = scan()
    assert_rejected(make_up(game, "gus", day), status, code)
    assert scan() == before


def test_no_make_up_before_the_campaign_started(apply: Apply, clock: list[datetime], scan: Scan) -> None:
    # GIVEN a campaign starting on a Wednesday: Monday and Tuesday of that week are not its days
    doc = campaign_doc()
    doc["starts_at"] = "2026-11-25T00:00:00"
    apply(doc)
    game = GameClient("check-in")
    clock[0] = local("2026-11-27")
    before = scan()
    reply = make_up(game, "hal", "2026-11-24")
    assert_rejected(reply, 422, "MAKE_UP_NOT_ALLOWED")
    assert scan() == before
    days = calendar(game, "hal")["days"]
    assert [d["status"] for d in days[:5]] == ["closed", "closed", "missed", "missed", "today"]
    assert make_up(game, "hal", "2026-11-25").status == 201


def test_a_replayed_make_up_answers_the_same_and_costs_once(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(make_ups={"per_cycle": 2, "cost_points": 5}))
    give_points("ivy", 100)
    game = GameClient("check-in")
    clock[0] = local("2026-11-25")
    first = make_up(game, "ivy", "2026-11-24", key="mu-replay-0001")
    again = make_up(game, "ivy", "2026-11-24", key="mu-replay-0001")
    assert again.status == 201 and again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert balance("ivy") == 100 - 5 + 10
    # the same key for another day is a reused key, not a second make-up
    other = make_up(game, "ivy", "2026-11-23", key="mu-replay-0001")
    assert_rejected(other, 422, "IDEMPOTENCY_KEY_REUSED")
    assert calendar(game, "ivy")["make_ups"]["used"] == 1


def test_a_check_in_key_cannot_be_replayed_as_a_make_up(game: GameClient, clock: list[datetime]) -> None:
    clock[0] = local("2026-11-25")
    assert check(game, "jay", key="shared-key-01").status == 201
    assert make_up(game, "jay", "2026-11-24", key="shared-key-01").code == "IDEMPOTENCY_KEY_REUSED"
