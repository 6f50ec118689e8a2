"""The coupon center's routes on the partner coupons' function URL (JSON, shared envelope).

The code upload is a service (`pool.upload_pool`); the console exposes it over HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import BaseModel, Field

from games.partner_coupon.claims import center, claim, my_coupons
from plugins.runtime import runtime
from plugins.web import current_player
from plugins.web.play import Counted, body_of, play
from plugins.web.routing import (
    ActionBody,
    Authorization,
    CampaignHeading,
    CampaignId,
    IdempotencyKey,
    answers,
    heading,
    json_response,
)

router = LambdaFunctionUrlRouter()
TypeId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="coupon type id")]



class CenterCoupon(BaseModel):
    type_id: str
    partner: str
    partner_name: str
    title: str
    kind: str
    face_value: str
    valid_days: int
    per_user_per_day: int | None
    per_user_per_campaign: int | None
    left: int = Field(description="codes left within the partner's quota and budget")
    available: bool


class CenterView(CampaignHeading):
    title: str
    coupons: list[CenterCoupon]


class ClaimView(BaseModel):
    claim_id: str
    claimed_at: str
    coupon: dict[str, Any] = Field(description="the coupon issued, with the partner's code")


class MyCoupons(BaseModel):
    coupons: list[dict[str, Any]]


CLAIMED = Counted("PartnerCoupons", "claim", fields=lambda r: {"partner": r["coupon"]["partner"]})


@router.get("/campaigns/<campaign_id>/coupons", summary="The coupon center",
            responses=answers(CenterView, "every claimable partner coupon and what is left"))
def get_center(campaign_id: CampaignId) -> Response[str]:
    campaign, now = runtime.configs.get(campaign_id), runtime.clock()
    view = center(campaign, now)
    return json_response(200, {**heading(campaign, now), "title": view["title"],
                               "coupons": view["coupons"]})


@router.post("/campaigns/<campaign_id>/coupons/<type_id>/claims", summary="Claim a coupon",
             responses=answers(ClaimView, "the coupon and its code (a retry returns it again)", 201))
def post_claim(campaign_id: CampaignId, type_id: TypeId,
               body: Annotated[ActionBody | None, Body()] = None, idempotency: IdempotencyKey = None,
               authorization: Authorization = None) -> Response[str]:
    return play(campaign_id, idempotency,
                lambda a: claim(a.campaign, a.player, a.key, type_id, body_of(body), a.now),
                CLAIMED, type_id=type_id)


@router.get("/campaigns/<campaign_id>/coupons/mine", summary="The player's partner coupons",
            responses=answers(MyCoupons, "newest first, with codes and states"))
def get_mine(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    player = current_player()
    campaign = runtime.configs.get(campaign_id)
    return json_response(200, {"coupons": my_coupons(campaign, player.member_id, runtime.clock())})
