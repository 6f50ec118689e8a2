"""Check-ins under a rush, on the local DynamoDB in both its modes (atomic with threads
switching as often as possible, realistic): one check-in a day whatever the keys, one answer
per key, and concurrent check-ins and make-ups that never corrupt the streak or pay a
milestone twice."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import partial

import pytest

from games.check_in.items import CheckInDay, CheckInState, make_ups_key, state_key
from plugins.store import ActionItem, CounterItem, CouponItem, MarkerItem, PointsItem, keys
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient
from tests.functional.test_check_in import balance, campaign_doc, check, local, make_up

pytestmark = BOTH_MODES


def day_markers(member: str) -> list[str]:
    items = CheckInDay.query(keys.member(member), CheckInDay.sk.startswith("CHK#demo#D#"))
    return sorted(item.sk.rsplit("#", 1)[1] for item in items)


def actions(member: str) -> list[ActionItem]:
    return list(ActionItem.query(keys.member(member), ActionItem.sk.startswith("ACT#demo#check-in#")))


def test_64_check_ins_with_different_keys_make_one(apply: Apply, crowd: Crowd, clock: list[datetime]) -> None:
    apply(campaign_doc())
    game = GameClient("check-in")
    clock[0] = local("2026-11-23")
    # WHEN one member fires 64 check-ins with 64 keys at once
    replies = crowd([partial(check, game, "ann", key=f"rush-{i:04d}") for i in range(THREADS)])
    crowd.assert_contended()
    # THEN one passes and the others are told the day is taken
    statuses = Counter((r.status, r.code) for r in replies)
    assert statuses == {(201, None): 1, (409, "ALREADY_CHECKED_IN"): THREADS - 1}
    # AND the store holds one day, one action, one day reward
    assert day_markers("ann") == ["2026-11-23"]
    assert len(actions("ann")) == 1
    assert balance("ann") == 10
    ledger = list(PointsItem.query(keys.member("ann"), PointsItem.sk.startswith("PTS#")))
    assert len(ledger) == 1


def test_64_replays_of_one_key_make_one_check_in(apply: Apply, crowd: Crowd, clock: list[datetime]) -> None:
    apply(campaign_doc())
    game = GameClient("check-in")
    clock[0] = local("2026-11-23")
    replies = crowd([lambda: check(game, "bob", key="same-key-0001")] * THREADS)
    crowd.assert_contended()
    assert {r.status for r in replies} == {201}
    assert len({r.body["check_in_id"] for r in replies}) == 1
    assert sum(r.headers["Idempotent-Replayed"] == "false" for r in replies) == 1
    assert day_markers("bob") == ["2026-11-23"] and len(actions("bob")) == 1
    assert balance("bob") == 10


@pytest.mark.slow
def test_concurrent_check_ins_and_make_ups_keep_the_streak_whole(
        apply: Apply, crowd: Crowd, clock: list[datetime]) -> None:
    # GIVEN a Sunday with the whole week missed, 3 make-ups a cycle, milestones at 3 and 7
    apply(campaign_doc(make_ups={"per_cycle": 3}))
    game = GameClient("check-in")
    clock[0] = local("2026-11-29")
    week = [f"2026-11-{d}" for d in range(23, 29)]
    # WHEN 16 check-ins and 48 make-ups of the six past days (8 each) arrive at once
    calls = [partial(check, game, "cat", key=f"ck-rush-{i:04d}") for i in range(16)]
    calls += [partial(make_up, game, "cat", week[i % 6], key=f"mu-rush-{i:04d}") for i in range(48)]
    replies = crowd(calls)
    crowd.assert_contended()
    # THEN one check-in and exactly three make-ups of three distinct days pass
    passed = [r.body for r in replies if r.status == 201]
    refused = Counter(r.code for r in replies if r.status != 201)
    assert Counter(p["kind"] for p in passed) == {"check-in": 1, "make-up": 3}
    assert set(refused) <= {"ALREADY_CHECKED_IN", "NO_CHANCES_LEFT"}, refused
    made_up = sorted(p["day"] for p in passed if p["kind"] == "make-up")
    assert len(set(made_up)) == 3
    # AND the progress, the day markers, the counter and the rewards all agree
    state = CheckInState.get(keys.member("cat"), state_key("demo"))
    assert sorted(state.days) == day_markers("cat") == sorted([*made_up, "2026-11-29"])
    assert state.make_ups == 3 and int(state.version) == 4
    counter = CounterItem.get(keys.member("cat"), make_ups_key("demo", "2026-11-23"))
    assert counter.n == 3
    markers = list(MarkerItem.query(keys.member("cat"), MarkerItem.sk.startswith("CHK#demo#MS#")))
    awarded = sorted(m for p in passed for m in p["milestones"])
    assert sorted(int(m.sk.rsplit("#", 1)[1]) for m in markers) == awarded == sorted(state.milestones)
    earned = sum(r["reward"]["points"] for p in passed for r in p["rewards"]
                 if r["reward"] and r["reward"]["type"] == "points")
    assert balance("cat") == earned
    coupons = list(CouponItem.query(keys.member("cat"), CouponItem.sk.startswith(keys.COUPON_PREFIX)))
    assert len(coupons) == (1 if 7 in awarded else 0)
