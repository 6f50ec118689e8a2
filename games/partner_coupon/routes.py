"""The coupon center's routes on the partner coupons' function URL (JSON, shared envelope).

The code upload is a service (`pool.upload_pool`); the console exposes it over HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field

from games.partner_coupon.claims import center, claim, my_coupons
from plugins.antifraud import Player
from plugins.errors import ForbiddenError
from plugins.runtime import runtime
from plugins.web import current_player, idempotency_key, logger, metrics
from plugins.web.routing import (
    Authorization,
    CampaignHeading,
    CampaignId,
    IdempotencyKey,
    action_response,
    heading,
    json_response,
)

router = LambdaFunctionUrlRouter()
TypeId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="coupon type id")]


class ClaimBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str | None = Field(default=None, max_length=40, description="where the page runs")


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


def _ok(model: type[BaseModel], what: str, status: int = 200) -> Any:
    return {status: {"description": what, "content": {"application/json": {"model": model}}}}


def _player() -> Player:
    player = current_player()
    if player.role is not None:
        raise ForbiddenError(f"a {player.role} token cannot act as a player")
    return player


@router.get("/campaigns/<campaign_id>/coupons", summary="The coupon center",
            responses=_ok(CenterView, "every claimable partner coupon and what is left"))
def get_center(campaign_id: CampaignId) -> Response[str]:
    campaign, now = runtime.configs.get(campaign_id), runtime.clock()
    view = center(campaign, now)
    return json_response(200, {**heading(campaign, now), "title": view["title"],
                               "coupons": view["coupons"]})


@router.post("/campaigns/<campaign_id>/coupons/<type_id>/claims", summary="Claim a coupon",
             responses=_ok(ClaimView, "the coupon and its code (a retry returns it again)", 201))
def post_claim(campaign_id: CampaignId, type_id: TypeId,
               body: Annotated[ClaimBody | None, Body()] = None, idempotency: IdempotencyKey = None,
               authorization: Authorization = None) -> Response[str]:
    player = _player()
    key = idempotency_key(idempotency)
    campaign = runtime.configs.get(campaign_id)
    payload = body.model_dump(exclude_none=True) if body else {}
    outcome = claim(campaign, player, key, type_id, payload, runtime.clock())
    if not outcome.replayed:
        metrics.add_metric(name="PartnerCoupons", unit=MetricUnit.Count, value=1)
        logger.info("claim", extra={"type_id": type_id, "member_id": player.member_id,
                                    "partner": outcome.result["coupon"]["partner"]})
    return action_response(outcome)


@router.get("/campaigns/<campaign_id>/coupons/mine", summary="The player's partner coupons",
            responses=_ok(MyCoupons, "newest first, with codes and states"))
def get_mine(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    player = _player()
    campaign = runtime.configs.get(campaign_id)
    return json_response(200, {"coupons": my_coupons(campaign, player.member_id, runtime.clock())})
