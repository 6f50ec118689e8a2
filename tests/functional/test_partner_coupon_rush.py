"""Partner-coupon invariants under 64 concurrent threads, on the local DynamoDB in both its
modes (atomic, realistic): a pool never hands one code to two players, a partner's quota is
never exceeded, one member's 64 retries with different keys claim within his limit."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest

from games.partner_coupon.items import TallyItem, tally_key
from plugins.issuance.coupon import member_coupons
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient
from tests.functional.test_partner_coupon import PARTNERS, claim, claimed, load, pc_doc

pytestmark = [pytest.mark.slow, BOTH_MODES]


def test_64_claimers_on_a_pool_of_40_codes(apply: Apply, crowd: Crowd) -> None:
    apply(pc_doc([PARTNERS[0] | {"quota": 100, "budget": "1000.00"}]))
    client = GameClient("partner-coupon")
    load(40)
    replies = crowd([partial(claim, client, f"r{i}") for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 40,
                                                            (409, "POOL_EMPTY"): THREADS - 40}
    codes = [r.body["coupon"]["code"] for r in replies if r.status == 201]
    assert len(set(codes)) == 40  # never one code to two players
    stored = claimed()
    assert sorted(c.code for c in stored) == sorted(codes)
    assert len({c.member_id for c in stored}) == 40
    tally = TallyItem.get(*tally_key("demo", "cafe"), consistent_read=True)
    assert (int(tally.issued), int(tally.cost)) == (40, 40 * 400)


def test_64_claimers_against_a_quota_of_30(apply: Apply, crowd: Crowd) -> None:
    apply(pc_doc([PARTNERS[0] | {"quota": 30, "budget": "1000.00"}]))
    client = GameClient("partner-coupon")
    load(50)
    replies = crowd([partial(claim, client, f"q{i}") for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 30,
                                                            (409, "PARTNER_EXHAUSTED"): THREADS - 30}
    assert len(claimed()) == 30
    assert int(TallyItem.get(*tally_key("demo", "cafe"), consistent_read=True).issued) == 30


def test_one_member_with_64_keys_claims_within_his_limit(apply: Apply, crowd: Crowd) -> None:
    apply(pc_doc())
    client = GameClient("partner-coupon")
    load(20)
    replies = crowd([partial(claim, client, "greedy", key=f"greedy-{i:04d}")
                    for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {
        (201, None): 1, (409, "CLAIM_LIMIT_REACHED"): THREADS - 1}
    assert len(member_coupons("greedy")) == 1 and len(claimed()) == 1
