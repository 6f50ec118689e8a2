"""Store staff routes (role `staff`) of the platform: redeem a coupon at the counter (a game's
own staff routes, such as verifying a booking, come with the game)."""

from __future__ import annotations

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from plugins.console.web import STAFF, Call, console_view, json_response
from plugins.runtime import runtime

__all__ = ["staff"]

staff = Blueprint(__name__)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CouponVerify(Body):
    member_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    coupon_id: str = Field(min_length=1, max_length=128, pattern=r"^[^#]+$")


@staff.route("/coupons/verify", methods=["POST"])
@console_view(staff, STAFF)
def verify_coupon(call: Call) -> Response:
    from plugins.issuance.coupon import redeem_coupon

    body = call.body(CouponVerify)
    coupon = redeem_coupon(body.member_id, body.coupon_id, runtime.clock())
    return json_response(200, {
        "coupon_id": coupon.coupon_id, "member_id": coupon.member_id,
        "campaign_id": coupon.campaign_id, "title": (coupon.terms or {}).get("title"),
        "state": coupon.state,
        "redeemed_at": coupon.redeemed_at.isoformat() if coupon.redeemed_at else None,
        "verified_by": call.caller.name if call.caller else None})
