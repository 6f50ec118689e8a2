"""Rushes of reported events, on both local DynamoDBs: 64 registrations of one member at once
give one welcome gift, and 64 orders at once give exactly the day's two spins."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import partial

import pytest

from plugins.store import CounterItem, CouponItem, keys
from tests.conftest import BOTH_MODES, NOW, THREADS, Apply, Crowd, GameClient
from tests.functional.test_event_gifts import gifts_doc, report

pytestmark = [pytest.mark.slow, BOTH_MODES]


def test_64_registrations_of_one_member_give_one_welcome_gift(apply: Apply, crowd: Crowd) -> None:
    apply(gifts_doc())
    gifts = GameClient("event-gifts")
    replies = crowd([partial(report, gifts, "registration", "amy", event_id=f"reg-{i:03d}")
                     for i in range(THREADS)])
    crowd.assert_contended()
    given = Counter(gift["rule"] for r in replies if r.status == 201 for gift in r.body["gifts"])
    assert all(r.status == 201 for r in replies) and given == {"welcome": 1}
    coupons = CouponItem.query(keys.member("amy"), CouponItem.sk.startswith(keys.COUPON_PREFIX),
                               consistent_read=True)
    assert [c.type_id for c in coupons] == ["welcome-20"]


def test_64_orders_at_once_give_the_days_two_spins(apply: Apply, crowd: Crowd,
                                                   clock: list[datetime]) -> None:
    clock[0] = datetime(2026, 11, 23, 1, 30, tzinfo=NOW.tzinfo)  # 09:30 in Shanghai
    apply(gifts_doc())
    gifts = GameClient("event-gifts")
    replies = crowd([partial(report, gifts, "order", "cat", event_id=f"ord-{i:03d}", amount="20.00",
                             items=["SKU-COFFEE-1"]) for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter(r.status for r in replies) == {201: THREADS}
    spins = sum(1 for r in replies for gift in r.body["gifts"] if gift["rule"] == "coffee-morning")
    assert spins == 2
    granted = CounterItem.get(keys.member("cat"), keys.quota("demo", "lucky-wheel:plays", "2026-11-23"),
                              consistent_read=True)
    assert int(granted.n) == -2  # two chances more today
