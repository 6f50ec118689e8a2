"""Rushes on the exchange, on both local DynamoDBs: one member's 64 exchanges at once never
overdraw his points, and 64 members on 20 units never oversell, each exchange paid once."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest

from plugins.store import CouponItem, PointsItem, keys
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient
from tests.functional.test_points_exchange import balance, exchange_doc, give_points, swap

pytestmark = [pytest.mark.slow, BOTH_MODES]


def coupons_of_type(member: str, type_id: str) -> int:
    found = CouponItem.query(keys.member(member), CouponItem.sk.startswith(keys.COUPON_PREFIX),
                             consistent_read=True)
    return sum(1 for coupon in found if coupon.type_id == type_id)


def test_64_exchanges_by_one_member_spend_exactly_his_balance(apply: Apply, crowd: Crowd) -> None:
    apply(exchange_doc(price_points=100, stock=None, shards=1, per_user_cap=None,
                       per_member_per_day=None))
    shop = GameClient("points-exchange")
    give_points("rich", 1000)
    replies = crowd([partial(swap, shop, "rich", key=f"rush-rich-{i:04d}", device=f"phone-{i}")
                     for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 10,
                                                            (403, "POINTS_INSUFFICIENT"): THREADS - 10}
    assert balance("rich") == 0
    assert coupons_of_type("rich", "cash-10") == 10
    ledger = PointsItem.query(keys.member("rich"), PointsItem.sk.startswith(keys.POINTS_LEDGER),
                              consistent_read=True)
    assert sorted(int(line.points) for line in ledger) == [-100] * 10


def test_64_members_on_20_units_over_4_shards(apply: Apply, crowd: Crowd) -> None:
    apply(exchange_doc(stock=20, shards=4))
    shop = GameClient("points-exchange")
    members = [f"fan-{i:02d}" for i in range(THREADS)]
    for member in members:
        give_points(member, 1000)
    replies = crowd([partial(swap, shop, member, key=f"rush-{member}-0001") for member in members])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 20,
                                                            (409, "SOLD_OUT"): THREADS - 20}
    paid = [member for member, reply in zip(members, replies, strict=True) if reply.status == 201]
    assert all(balance(m) == (700 if m in paid else 1000) for m in members)
    assert sum(coupons_of_type(m, "cash-10") for m in members) == 20
