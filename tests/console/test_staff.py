"""Staff routes: booking pick-up and coupon redemption, once each, through the console."""

from __future__ import annotations

from typing import Any

from plugins.store import CouponItem, keys
from tests.conftest import GameClient, demo_doc, won_coupon
from tests.console.conftest import Console, auth, code_of
from tests.functional.test_booking import SECTION


def test_staff_verify_a_booking_once(console: Console, apply: Any) -> None:
    apply(demo_doc(games={"booking": SECTION}))
    booked = GameClient("booking").call("POST", "/campaigns/demo/bookings",
                                        body={"day": "2026-11-23"}, member="ann", key="bk-ann-01")
    assert booked.status == 201, booked.body
    body = {"campaign_id": "demo", "code": booked.body["code"].lower()}
    done = console.call("POST", "/bookings/verify", role="staff", body=body)
    assert done.status_code == 200, done.data
    assert (done.data["state"], done.data["member_id"]) == ("picked_up", "ann")
    again = console.call("POST", "/bookings/verify", role="staff", body=body)
    assert code_of(again) == "ALREADY_PICKED_UP" and again.status_code == 409
    unknown = console.call("POST", "/bookings/verify", role="staff",
                           body={"campaign_id": "nope", "code": "ABCD2345"})
    assert (unknown.status_code, code_of(unknown)) == (404, "CAMPAIGN_NOT_FOUND")
    player = console.call("POST", "/bookings/verify", headers=auth(None), body=body)
    assert (player.status_code, code_of(player)) == (403, "FORBIDDEN")


def test_staff_redeem_a_coupon_once(console: Console, apply: Any) -> None:
    coupon_id = won_coupon(apply)["coupon_id"]
    body = {"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"}
    done = console.call("POST", "/coupons/verify", role="staff", body=body)
    assert done.status_code == 200 and done.data["state"] == "redeemed"
    assert CouponItem.get(keys.member("alice"), keys.coupon(coupon_id)).state == "redeemed"
    again = console.call("POST", "/coupons/verify", role="staff", body=body)
    assert (again.status_code, code_of(again)) == (409, "COUPON_NOT_REDEEMABLE")
    missing = console.call("POST", "/coupons/verify", role="staff",
                           body={"member_id": "alice", "coupon_id": "nope", "store_id": "sh-01"})
    assert (missing.status_code, code_of(missing)) == (404, "COUPON_NOT_FOUND")
