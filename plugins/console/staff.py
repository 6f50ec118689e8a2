"""Store staff routes (role `staff`): verify a booking at pick-up, redeem a coupon."""

from __future__ import annotations

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from plugins.console.web import STAFF, Call, console_view, json_response
from plugins.runtime import runtime

__all__ = ["staff"]

staff = Blueprint(__name__)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BookingVerify(Body):
    campaign_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    code: str = Field(min_length=1, max_length=32)


class CouponVerify(Body):
    member_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    coupon_id: str = Field(min_length=1, max_length=128, pattern=r"^[^#]+$")


@staff.route("/bookings/verify", methods=["POST"])
@console_view(staff, STAFF)
def verify_booking(call: Call) -> Response:
    from games.booking.verify import verify

    body = call.body(BookingVerify)
    assert call.caller is not None
    campaign = runtime.configs.get(body.campaign_id)
    return json_response(verify(campaign, body.code, call.caller, runtime.clock()))


@staff.route("/coupons/verify", methods=["POST"])
@console_view(staff, STAFF)
def verify_coupon(call: Call) -> Response:
    from plugins.issuance.coupon import redeem_coupon

    body = call.body(CouponVerify)
    coupon = redeem_coupon(body.member_id, body.coupon_id, runtime.clock())
    return json_response({
        "coupon_id": coupon.coupon_id, "member_id": coupon.member_id,
        "campaign_id": coupon.campaign_id, "title": (coupon.terms or {}).get("title"),
        "state": coupon.state,
        "redeemed_at": coupon.redeemed_at.isoformat() if coupon.redeemed_at else None,
        "verified_by": call.caller.member_id if call.caller else None})
