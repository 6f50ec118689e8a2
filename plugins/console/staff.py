"""Store staff routes (role `staff`) of the platform: redeem a coupon at the counter (a game's
own staff routes, such as verifying a booking, come with the game). Each is idempotent per
`Idempotency-Key`: the retry of a redemption whose answer was lost answers its success."""

from __future__ import annotations

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from plugins.clock import stamp
from plugins.console.answers import CouponRedeemed
from plugins.console.contract import documented
from plugins.console.web import STAFF, Call, console_view, outcome_response
from plugins.contracts import CampaignConfig
from plugins.errors import (
    CampaignNotFoundError,
    CouponNotFoundError,
    CouponNotRedeemableError,
    CouponNotUsableHereError,
)
from plugins.idempotency import operation
from plugins.issuance.redemption import REDEMPTION_ERRORS, Order, check_redeemable
from plugins.runtime import runtime
from plugins.types import money

__all__ = ["staff"]

staff = Blueprint(__name__)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CouponVerify(Body):
    member_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    coupon_id: str = Field(min_length=1, max_length=128, pattern=r"^[^#]+$")
    store_id: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[^#]+$",
                                 description="where it is presented; a staff member of one store "
                                             "may leave it out")
    order: Order | None = Field(default=None, description="the order it is presented with: needed "
                                "for a threshold or an item or category scope; its amount is recorded")


@staff.route("/coupons/verify", methods=["POST"])
@documented("staff", "Redeem a coupon at the counter", body=CouponVerify, answer=CouponRedeemed,
            raises=(CouponNotFoundError, CouponNotRedeemableError, CouponNotUsableHereError,
                    CampaignNotFoundError, *REDEMPTION_ERRORS))
@console_view(staff, STAFF)
def verify_coupon(call: Call) -> Response:
    """Redeem a coupon at the counter of one of the staff member's stores, where its usage
    scope allows, in a campaign his credential covers; the store is recorded (a partner's
    co-branded coupon is settled by it). Once per `Idempotency-Key` (a retry: the first answer)."""
    from plugins.issuance.coupon import find_coupon, redeem, zone_of

    body = call.body(CouponVerify)
    assert call.caller is not None
    store = call.caller.store_for(body.store_id)
    now = runtime.clock()
    coupon = find_coupon(body.member_id, body.coupon_id)
    call.caller.require_campaign(str(coupon.campaign_id))

    def config() -> CampaignConfig:  # read only if needed: a store's city, an older coupon's zone
        return runtime.configs.get(str(coupon.campaign_id)).config

    check_redeemable(coupon, body.order, store, lambda s: config().city_of(s))
    zone = zone_of(coupon) or config().zone
    once = operation(call.caller.name, "coupons/verify", call.key, body.model_dump(mode="json"), now,
                     str(coupon.campaign_id), zone=zone)
    amount = body.order.amount if body.order else None
    return outcome_response(200, redeem(coupon, now, {
        "coupon_id": coupon.coupon_id, "member_id": coupon.member_id,
        "campaign_id": coupon.campaign_id, "title": (coupon.terms or {}).get("title"),
        "state": "redeemed", "redeemed_at": stamp(now, zone), "store_id": store,
        "order_amount": None if amount is None else money(amount),
        "verified_by": call.caller.name}, once, by=call.caller.name, store=store, order_amount=amount))
