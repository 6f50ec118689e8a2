"""The coupon center's routes on the partner coupons' function URL (JSON, shared envelope).

The code upload is a service (`pool.upload_pool`); the console exposes it over HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from games.partner_coupon.claims import CLAIM_ERRORS, center, claim, my_coupons
from plugins.types import SLUG, MoneyText
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()
TypeId = Annotated[str, kit.Path(pattern=SLUG, description="coupon type id")]


class CenterCoupon(BaseModel):
    type_id: str
    partner: str
    partner_name: str
    title: str
    kind: str
    face_value: MoneyText
    valid_days: int
    per_user_per_day: int | None
    per_user_per_campaign: int | None
    left: int = Field(description="codes left within the partner's quota and budget")
    available: bool


class CenterView(kit.CampaignHeading, kit.Paged):
    title: str
    coupons: list[CenterCoupon]


class ClaimView(BaseModel):
    claim_id: str
    claimed_at: str
    coupon: dict[str, Any] = Field(description="the coupon issued, with the partner's code")


class MyCoupon(BaseModel):
    coupon_id: str
    type_id: str | None
    partner: str | None
    title: str | None
    code: str | None = Field(description="the partner's code; null while a real-time code is pending")
    code_state: str | None
    face_value: str | None
    origin: str = Field(description="claim (the coupon center) or award (a game's prize)")
    state: str = Field(description="issued, redeemed or expired")
    issued_at: str
    valid_until: str


class MyCoupons(kit.Paged):
    coupons: list[MyCoupon]


CLAIMED = kit.Counted("PartnerCoupons", "claim", fields=lambda r: {"partner": r["coupon"]["partner"]})


@router.get("/campaigns/<campaign_id>/coupons", summary="The coupon center",
            responses=kit.answers(CenterView, "a page of the claimable partner coupons and what is left"),
            openapi_extensions=kit.raises())
def get_center(campaign_id: kit.CampaignId, limit: kit.Limit = None,
               cursor: kit.Cursor = None) -> kit.Response[str]:
    campaign, now = kit.runtime.configs.get(campaign_id), kit.runtime.clock()
    view = center(campaign, now, cursor, kit.page_limit(limit))
    return kit.json_response(200, {**kit.heading(campaign, now), "title": view["title"],
                                   "coupons": view["coupons"], "next_cursor": view["next_cursor"]})


@kit.action(router, "/campaigns/<campaign_id>/coupons/<type_id>/claims", "Claim a coupon",
            ClaimView, "the coupon and its code (a retry returns it again)", CLAIMED, CLAIM_ERRORS)
def post_claim(a: kit.Action, type_id: TypeId, body: kit.OptionalBody = None) -> kit.ActionResult:
    return claim(a.campaign, a.player, a.key, type_id, kit.body_of(body), a.now)


kit.paged_route(router, "/campaigns/<campaign_id>/coupons/mine", "The player's partner coupons",
                MyCoupons, "a page of them, with codes and states", "coupons", my_coupons, ())
