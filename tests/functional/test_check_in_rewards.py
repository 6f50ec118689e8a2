"""Several rewards in one check-in: they share the member's points balance and open-coupon
counter in one transaction (`Transaction.bump`), a refused coupon is skipped without losing
the check-in, and milestone markers, not the progress item, are the last word on
"exactly once"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from games.check_in.items import CheckInState, state_key
from plugins.store import (
    CounterItem,
    CouponItem,
    PointsItem,
    Transaction,
    TransactionCancelledError,
    keys,
)
from tests.conftest import Apply, GameClient
from tests.functional.test_check_in import (
    COUPON_7,
    POINTS_10,
    balance,
    campaign_doc,
    days_on,
    local,
)


def coupon(type_id: str, **changes: Any) -> dict[str, Any]:
    spec = {"type": "coupon", "type_id": type_id, "title": type_id, "kind": "cash_voucher",
            "discount": "5.00", "valid_days": 7}
    return spec | changes


def coupons(member: str) -> list[str]:
    items = CouponItem.query(keys.member(member), CouponItem.sk.startswith(keys.COUPON_PREFIX))
    return sorted(item.type_id for item in items)


def open_coupons(member: str) -> int:
    try:
        return int(CounterItem.get(keys.member(member), keys.HARASS_OPEN).n)
    except CounterItem.DoesNotExist:
        return 0


def test_a_day_coupon_and_a_milestone_coupon_in_one_check_in(apply: Apply, clock: list[datetime]) -> None:
    # GIVEN day 3 gives a coupon and so does the 3-day milestone
    apply(campaign_doc(day_rewards=[{"day": 3, "reward": coupon("day-3")}],
                       milestones=[{"streak": 3, "reward": coupon("streak-3")}]))
    game = GameClient("check-in")
    *_, wednesday = days_on(clock, game, "ann", "2026-11-23", "2026-11-24", "2026-11-25")
    # THEN both are issued in the one transaction, counted once each against the open cap
    assert [r["reward"]["type"] for r in wednesday.body["rewards"]] == ["coupon", "coupon"]
    assert coupons("ann") == ["day-3", "streak-3"]
    assert open_coupons("ann") == 2


def test_the_open_coupon_cap_refuses_one_coupon_not_the_check_in(apply: Apply, clock: list[datetime]) -> None:
    # GIVEN room for a single pushed coupon and two earned on the same day
    doc = campaign_doc(day_rewards=[{"day": 3, "reward": coupon("day-3")}],
                       milestones=[{"streak": 3, "reward": coupon("streak-3")}])
    doc["anti_harassment"] = {"max_open_coupons": 1}
    apply(doc)
    game = GameClient("check-in")
    *_, wednesday = days_on(clock, game, "bob", "2026-11-23", "2026-11-24", "2026-11-25")
    # THEN the day's coupon gives way to the milestone's, and the day still counts
    day, milestone = wednesday.body["rewards"]
    assert day == {"for": "day", "day": 3, "reward": None, "refused": True}
    assert milestone["streak"] == 3 and milestone["reward"]["title"] == "streak-3"
    assert coupons("bob") == ["streak-3"] and open_coupons("bob") == 1
    state = CheckInState.get(keys.member("bob"), state_key("demo"))
    assert len(state.days) == 3 and list(state.milestones) == [3]


def test_a_coupon_over_its_limit_is_skipped(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(daily_reward=coupon("daily", per_user_per_campaign=1), day_rewards=[],
                       milestones=[]))
    game = GameClient("check-in")
    first, second = days_on(clock, game, "cat", "2026-11-23", "2026-11-24")
    assert first.body["rewards"][0]["reward"]["type"] == "coupon"
    assert second.body["rewards"] == [{"for": "day", "day": 2, "reward": None, "refused": True}]
    assert coupons("cat") == ["daily"]


def test_a_coupon_past_its_window_is_not_issued(apply: Apply, clock: list[datetime]) -> None:
    expired = coupon("old", valid_days=None, valid_from="2026-01-01T00:00:00",
                     valid_until="2026-02-01T00:00:00")
    apply(campaign_doc(daily_reward=expired, day_rewards=[], milestones=[]))
    (reply,) = days_on(clock, GameClient("check-in"), "dan", "2026-11-23")
    assert reply.body["rewards"] == [{"for": "day", "day": 1, "reward": None, "refused": True}]
    assert coupons("dan") == []


def test_points_of_the_day_and_of_milestones_add_up_in_one_balance_update(
        apply: Apply, clock: list[datetime], dynamodb_calls: list[str]) -> None:
    apply(campaign_doc(milestones=[{"streak": 2, "reward": {"type": "points", "points": 20}},
                                   {"streak": 3, "reward": COUPON_7}]))
    game = GameClient("check-in")
    days_on(clock, game, "eve", "2026-11-23")
    clock[0] = local("2026-11-24")
    dynamodb_calls.clear()
    (tuesday,) = days_on(clock, game, "eve", "2026-11-24")
    assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
    assert [r["reward"] for r in tuesday.body["rewards"]] == [POINTS_10, {"type": "points", "points": 20}]
    assert balance("eve") == 10 + 10 + 20


def test_a_milestone_marker_already_there_is_never_paid_again(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc())
    game = GameClient("check-in")
    days_on(clock, game, "fay", "2026-11-23", "2026-11-24", "2026-11-25")
    assert balance("fay") == 30 + 30
    # GIVEN the progress item forgot the milestone (as if written by an older version)
    state = CheckInState.get(keys.member("fay"), state_key("demo"))
    state.update(actions=[CheckInState.milestones.set([])])
    # WHEN the streak goes on, the marker's condition refuses the second award
    (thursday,) = days_on(clock, game, "fay", "2026-11-26")
    assert thursday.body["milestones"] == [] and thursday.body["streak"] == 4
    assert balance("fay") == 30 + 30 + 10
    assert list(CheckInState.get(keys.member("fay"), state_key("demo")).milestones) == [3]


def test_bumps_of_one_item_merge_into_one_bounded_update(table: str) -> None:
    """The core primitive the rewards rely on: one update per item, bounds on the sum."""
    member = keys.member("gus")

    def bump_twice(at_most: int) -> None:
        tx = Transaction()
        for tag in ("a/open", "b/open"):
            tx.bump(tag, CounterItem(member, keys.HARASS_OPEN), CounterItem.n, 1, at_most=at_most)
        tx.commit()

    with pytest.raises(TransactionCancelledError) as refused:
        bump_twice(at_most=1)  # two would exceed the limit, even on an absent counter
    assert set(refused.value.failed) == {"a/open", "b/open"}
    bump_twice(at_most=2)
    assert open_coupons("gus") == 2
    with pytest.raises(TransactionCancelledError):
        bump_twice(at_most=3)
    # a spend needs the balance before it; credits in the same update do not pay for it
    PointsItem(member, keys.POINTS_BALANCE, points=5).save()
    tx = Transaction()
    tx.bump("reward:points", PointsItem(member, keys.POINTS_BALANCE), PointsItem.points, 100)
    tx.bump("points:spend", PointsItem(member, keys.POINTS_BALANCE), PointsItem.points, -6, needs=6)
    with pytest.raises(TransactionCancelledError) as short:
        tx.commit()
    assert set(short.value.failed) == {"points:spend"}
    assert balance("gus") == 5
