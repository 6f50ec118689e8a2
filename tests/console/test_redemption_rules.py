"""A coupon's rules are enforced when staff or a partner redeem it: its threshold against the
order's amount, its item and category scope against the order's lines, each refused with a
code of its own and nothing written; the order's amount is recorded on the coupon (sales
driven). Where (stores, cities) is tested in test_scopes.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plugins.store import CouponItem, keys
from tests.conftest import Scan, demo_doc, won_coupon
from tests.console.conftest import Console, auth, code_of
from tests.console.test_partners import BASE, COFFEE, KEYS, PARTNERS, Partners, claim, csv

FULL_REDUCTION = {"type": "coupon", "type_id": "fr-50-299", "title": "50 off orders of 299",
                  "kind": "full_reduction", "threshold": "299.00", "discount": "50.00",
                  "valid_days": 30}
PERCENTAGE = {"type": "coupon", "type_id": "dairy-10", "title": "10% off dairy", "kind": "percentage",
              "percent_off": 10, "max_discount": "20.00", "valid_days": 30,
              "usage": {"categories": ["dairy"]}}
FREE_ITEM = {"type": "coupon", "type_id": "free-latte", "title": "A free latte", "kind": "free_item",
             "item": "SKU-LATTE", "valid_days": 30, "usage": {"items": ["SKU-LATTE", "SKU-MUG"]}}
CASH = {"type": "coupon", "type_id": "cash-10", "title": "10 off", "kind": "cash_voucher",
        "discount": "10.00", "valid_days": 30}
EXCHANGE = {"type": "coupon", "type_id": "swap", "title": "A tote for points", "kind": "exchange",
            "item": "SKU-TOTE", "valid_days": 30}
# (the coupon, [(order sent, the status and code it gets)], the order that redeems it)
CASES: dict[str, tuple[dict[str, Any], list[tuple[Any, tuple[int, str]]], Any]] = {
    "full_reduction": (FULL_REDUCTION, [
        (None, (400, "ORDER_REQUIRED")),
        ({"items": ["SKU-1"]}, (400, "ORDER_REQUIRED")),
        ({"amount": "298.99"}, (422, "ORDER_BELOW_THRESHOLD")),
    ], {"amount": "299.00"}),
    "percentage in a category": (PERCENTAGE, [
        ({"amount": "50.00"}, (400, "ORDER_REQUIRED")),
        ({"amount": "50.00", "categories": ["snacks"]}, (422, "COUPON_NOT_FOR_THESE_ITEMS")),
    ], {"amount": "50.00", "categories": ["snacks", "dairy"]}),
    "free item of a list": (FREE_ITEM, [
        (None, (400, "ORDER_REQUIRED")),
        ({"items": ["SKU-TEA"]}, (422, "COUPON_NOT_FOR_THESE_ITEMS")),
    ], {"items": ["SKU-MUG"]}),
    "cash voucher, no rule": (CASH, [
        ({"amount": "-1"}, (400, "MALFORMED_REQUEST")),
        ({"amount": "5.00", "extra": 1}, (400, "MALFORMED_REQUEST")),
    ], None),
    "exchange, no rule": (EXCHANGE, [], None),
}


def wheel_coupon(apply: Any, reward: dict[str, Any]) -> str:
    doc = demo_doc()
    [coffee] = [p for p in doc["games"]["lucky-wheel"]["prizes"] if p["id"] == "coffee"]
    coffee["reward"] = reward
    return str(won_coupon(apply, doc=doc)["coupon_id"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_staff_redemption_enforces_the_coupons_rules(console: Console, apply: Any, scan: Scan,
                                                     case: str) -> None:
    reward, refusals, order = CASES[case]
    coupon_id = wheel_coupon(apply, reward)
    body = {"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"}
    before = scan()
    for sent, expected in refusals:
        refused = console.call("POST", "/coupons/verify", role="staff",
                               body=body | ({} if sent is None else {"order": sent}))
        assert (refused.status_code, code_of(refused)) == expected, (sent, refused.data)
    assert scan() == before  # a refusal writes nothing
    done = console.call("POST", "/coupons/verify", role="staff",
                        body=body | ({} if order is None else {"order": order}))
    assert done.status_code == 200, done.data
    amount = None if order is None else order.get("amount")
    assert done.data["order_amount"] == amount
    stored = CouponItem.get(keys.member("alice"), keys.coupon(coupon_id))
    assert stored.state == "redeemed"
    assert stored.order_amount == (None if amount is None else round(float(amount) * 100))


LATTE = {"type_id": "latte-5", "title": "5 off coffee from 30", "kind": "full_reduction",
         "threshold": "30.00", "discount": "5.00", "face_value": "5.00", "cost": "2.00"}


@pytest.fixture
def cafe(console: Console, apply: Any, monkeypatch: pytest.MonkeyPatch) -> Partners:
    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps(KEYS))
    doc = demo_doc()
    doc["games"] = {"partner-coupon": {"partners": [
        PARTNERS[0] | {"coupons": [COFFEE, LATTE]}, PARTNERS[1]]}}
    apply(doc)
    return Partners(console)


def test_a_partners_redemption_enforces_the_threshold_and_records_the_order(
        cafe: Partners, scan: Scan) -> None:
    assert cafe.upload("cafe", "latte-5", csv("LATTE", 2)).status_code == 201
    mine = claim("alice", "latte-5")
    path = f"{BASE.format(partner='cafe')}/redemptions"
    before = scan()
    for order, expected in [(None, (400, "ORDER_REQUIRED")),
                            ({"amount": "29.99"}, (422, "ORDER_BELOW_THRESHOLD"))]:
        body = {"member_id": "alice", "coupon_id": mine} | ({} if order is None else {"order": order})
        refused = cafe.call("POST", path, "cafe", body)
        assert (refused.status_code, code_of(refused)) == expected
    assert [item for item in scan() if item not in before and not item[0].startswith("PN#")] == []
    done = cafe.call("POST", path, "cafe", {"member_id": "alice", "coupon_id": mine,
                                            "order": {"amount": "30.00"}})
    assert (done.status_code, done.data["order_amount"]) == (200, "30.00"), done.data
    assert CouponItem.get(keys.member("alice"), keys.coupon(mine)).order_amount == 3000


def test_staff_retry_of_a_redemption_with_its_order_is_answered_again(console: Console,
                                                                      apply: Any) -> None:
    coupon_id = wheel_coupon(apply, FULL_REDUCTION)
    body = {"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01",
            "order": {"amount": "300.00"}}
    headers = auth("staff") | {"idempotency-key": "till-0001"}
    first = console.call("POST", "/coupons/verify", body=body, headers=headers)
    again = console.call("POST", "/coupons/verify", body=body, headers=headers)
    assert (first.status_code, again.status_code, again.data) == (200, 200, first.data)
    assert again.headers["Idempotent-Replayed"] == "true"
