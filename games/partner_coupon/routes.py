"""The coupon center's routes on the partner coupons' function URL (JSON, shared envelope).

The code upload is a service (`pool.upload_pool`); the console exposes it over HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from games.partner_coupon.claims import center, claim, my_coupons
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


class CenterView(kit.CampaignHeading):
    title: str
    coupons: list[CenterCoupon]


class ClaimView(BaseModel):
    claim_id: str
    claimed_at: str
    coupon: dict[str, Any] = Field(description="the coupon issued, with the partner's code")


class MyCoupons(BaseModel):
    coupons: list[dict[str, Any]]


CLAIMED = kit.Counted("PartnerCoupons", "claim", fields=lambda r: {"partner": r["coupon"]["partner"]})


@router.get("/campaigns/<campaign_id>/coupons", summary="The coupon center",
            responses=kit.answers(CenterView, "every claimable partner coupon and what is left"))
def get_center(campaign_id: kit.CampaignId) -> kit.Response[str]:
    campaign, now = kit.runtime.configs.get(campaign_id), kit.runtime.clock()
    view = center(campaign, now)
    return kit.json_response(200, {**kit.heading(campaign, now), "title": view["title"],
                                   "coupons": view["coupons"]})


@kit.action(router, "/campaigns/<campaign_id>/coupons/<type_id>/claims", "Claim a coupon",
            ClaimView, "the coupon and its code (a retry returns it again)", CLAIMED)
def post_claim(a: kit.Action, type_id: TypeId, body: kit.OptionalBody = None) -> kit.ActionResult:
    return claim(a.campaign, a.player, a.key, type_id, kit.body_of(body), a.now)


kit.mine_route(router, "/campaigns/<campaign_id>/coupons/mine", "The player's partner coupons",
               MyCoupons, "newest first, with codes and states",
               lambda campaign, member, now: {"coupons": my_coupons(campaign, member, now)})
