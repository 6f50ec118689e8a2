"""The wheel's chances left, as the page shows them: what the player can really still draw
(the smaller of the daily and the campaign allowances, check-in bonuses included) and which
limit binds, read in the one batch the page already makes; each answer checked by drawing
until the wheel refuses."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import NOW, Apply, GameClient, wheel_doc
from tests.functional.test_check_in import campaign_doc, check, local

DRAW = "/campaigns/demo/draws"
_keys = itertools.count()


def limits(per_day: int | None, total: int | None) -> dict[str, Any]:
    doc = wheel_doc()
    doc["games"]["lucky-wheel"].update(chances_per_day=per_day, chances_total=total)
    return doc


def left(found: dict[str, Any]) -> tuple[Any, ...]:
    """Both allowances left, what can really be drawn, and the limit that says so."""
    return found["left_today"], found["left_total"], found["left"], found["binding"]


def chances(wheel: GameClient, member: str) -> dict[str, Any]:
    reply = wheel.call("GET", "/campaigns/demo", member=member)
    assert reply.status == 200, reply
    found: dict[str, Any] = reply.body["chances"]
    return found


def draws_until_refused(wheel: GameClient, member: str, most: int = 30) -> int:
    """Draw until the wheel says NO_CHANCES_LEFT: how many draws passed."""
    for passed in range(most):
        reply = wheel.call("POST", DRAW, member=member, key=f"draw-{next(_keys):06d}")
        if reply.status != 201:
            assert reply.code == "NO_CHANCES_LEFT", reply
            return passed
    raise AssertionError(f"{most} draws and still no refusal")


def test_the_daily_limit_binds_while_the_campaign_has_more(apply: Apply, clock: list[datetime]) -> None:
    apply(limits(3, 20))
    wheel = GameClient("lucky-wheel")
    assert chances(wheel, "dora") == {"per_day": 3, "total": 20, "left_today": 3, "left_total": 20,
                                      "left": 3, "binding": "day"}
    assert draws_until_refused(wheel, "dora") == 3
    assert chances(wheel, "dora") == {"per_day": 3, "total": 20, "left_today": 0, "left_total": 17,
                                      "left": 0, "binding": "day"}
    clock[0] = NOW + timedelta(days=1)  # tomorrow the day's allowance is back
    tomorrow = chances(wheel, "dora")
    assert (tomorrow["left"], tomorrow["binding"]) == (3, "day")


def test_the_campaign_limit_binds_when_it_is_below_the_days(apply: Apply, clock: list[datetime]) -> None:
    apply(limits(3, 4))
    wheel = GameClient("lucky-wheel")
    assert chances(wheel, "cole")["binding"] == "day"  # 3 today, 4 in all
    assert draws_until_refused(wheel, "cole") == 3
    clock[0] = NOW + timedelta(days=1)
    found = chances(wheel, "cole")
    # the day offers 3 again, the campaign only 1: the page must not promise 3
    assert left(found) == (3, 1, 1, "campaign")
    assert draws_until_refused(wheel, "cole") == 1
    assert chances(wheel, "cole") == {"per_day": 3, "total": 4, "left_today": 2, "left_total": 0,
                                      "left": 0, "binding": "campaign"}


@pytest.mark.parametrize(("per_day", "total", "left", "binding"), [
    (2, 2, 2, "campaign"),     # a tie: the campaign's, which no tomorrow refills
    (None, 2, 2, "campaign"),  # no daily limit
    (2, None, 2, "day"),       # no campaign limit
])
def test_the_binding_limit_is_what_the_wheel_enforces(
    apply: Apply, per_day: int | None, total: int | None, left: int, binding: str,
) -> None:
    apply(limits(per_day, total))
    wheel = GameClient("lucky-wheel")
    found = chances(wheel, "gus")
    assert (found["left"], found["binding"]) == (left, binding)
    assert draws_until_refused(wheel, "gus") == left
    assert chances(wheel, "gus")["left"] == 0


def test_no_limit_at_all_says_so(apply: Apply) -> None:
    apply(limits(None, None))
    wheel = GameClient("lucky-wheel")
    assert chances(wheel, "una") == {"per_day": None, "total": None, "left_today": None,
                                     "left_total": None, "left": None, "binding": None}
    assert [wheel.call("POST", DRAW, member="una", key=f"una-{i:04d}").status for i in range(4)] == [201] * 4


def test_without_a_token_there_is_nothing_left_to_tell(apply: Apply) -> None:
    apply(limits(3, 20))
    found = GameClient("lucky-wheel").call("GET", "/campaigns/demo").body["chances"]
    assert found == {"per_day": 3, "total": 20}  # no player, no counters read


def wheel_with_check_in(per_day: int | None, total: int | None) -> dict[str, Any]:
    """The check-in campaign giving one wheel chance a check-in, and the wheel with these limits."""
    doc = campaign_doc(wheel_chances=1)
    doc["games"]["lucky-wheel"].update(chances_per_day=per_day, chances_total=total)
    return doc


def test_a_check_in_bonus_reopens_a_day_used_up(apply: Apply, clock: list[datetime]) -> None:
    apply(wheel_with_check_in(1, 20))
    clock[0] = local("2026-11-23")
    wheel = GameClient("lucky-wheel")
    assert draws_until_refused(wheel, "bea") == 1
    assert (chances(wheel, "bea")["left"], chances(wheel, "bea")["binding"]) == (0, "day")
    assert check(GameClient("check-in"), "bea").body["wheel_chances"] == 1
    found = chances(wheel, "bea")
    assert left(found) == (1, 20, 1, "day")
    assert draws_until_refused(wheel, "bea") == 1


def test_a_check_in_bonus_goes_beyond_the_campaign_limit(apply: Apply, clock: list[datetime]) -> None:
    apply(wheel_with_check_in(3, 2))
    clock[0] = local("2026-11-23")
    wheel = GameClient("lucky-wheel")
    assert draws_until_refused(wheel, "cy") == 2
    assert (chances(wheel, "cy")["left"], chances(wheel, "cy")["binding"]) == (0, "campaign")
    check(GameClient("check-in"), "cy")
    found = chances(wheel, "cy")
    assert left(found) == (2, 1, 1, "campaign")
    assert draws_until_refused(wheel, "cy") == 1


def test_the_page_reads_one_batch_with_a_token(apply: Apply, dynamodb_calls: list[str]) -> None:
    apply(limits(3, 4))
    wheel = GameClient("lucky-wheel")
    wheel.call("GET", "/campaigns/demo")  # warm the config
    dynamodb_calls.clear()
    assert chances(wheel, "ned")["binding"] == "day"
    assert dynamodb_calls == ["BatchGetItem"]
