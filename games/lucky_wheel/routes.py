"""The wheel's routes on its function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import BaseModel

from games.lucky_wheel.service import GAME, draw, wheel_of
from plugins.actions import history
from plugins.antifraud import quota_left
from plugins.runtime import runtime
from plugins.web import current_player, optional_player
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


class PrizeView(BaseModel):
    id: str
    name: str
    value: str
    image: str | None = None
    reward: dict[str, Any] | None = None


class Chances(BaseModel):
    per_day: int | None
    total: int | None
    left_today: int | None = None
    left_total: int | None = None


class CampaignView(CampaignHeading):
    prizes: list[PrizeView]
    chances: Chances



class DrawView(BaseModel):
    draw_id: str
    drawn_at: str
    prize: PrizeView
    reward: dict[str, Any] | None
    fallback: bool


class DrawList(BaseModel):
    draws: list[DrawView]


DRAWN = Counted("Plays", "draw", fields=lambda r: {"draw_id": r["draw_id"], "prize": r["prize"]["id"]},
                awarded=lambda r: not r["fallback"])


@router.get("/campaigns/<campaign_id>", summary="What the page shows",
            responses=answers(CampaignView, "the campaign"))
def get_campaign(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    campaign = runtime.configs.get(campaign_id)
    wheel = wheel_of(campaign)
    now = runtime.clock()
    chances: dict[str, Any] = {"per_day": wheel.chances_per_day, "total": wheel.chances_total}
    player = optional_player()
    if player is not None:
        chances |= quota_left(campaign, player, f"{GAME}:plays", now,
                              wheel.chances_per_day, wheel.chances_total)
    view = {**heading(campaign, now),
            "prizes": [p.public() for p in wheel.prizes], "chances": chances}
    return json_response(200, view)


@router.post("/campaigns/<campaign_id>/draws", summary="Spin the wheel once",
             responses=answers(DrawView, "the draw (a replay returns the first answer)", 201))
def post_draw(
    campaign_id: CampaignId,
    body: Annotated[ActionBody | None, Body()] = None,
    idempotency: IdempotencyKey = None,
    authorization: Authorization = None,
) -> Response[str]:
    return play(campaign_id, idempotency, lambda a: draw(a.campaign, a.player, a.key, body_of(body),
                                                         a.now, runtime.rng), DRAWN)


@router.get("/campaigns/<campaign_id>/draws", summary="The player's own draws",
            responses=answers(DrawList, "newest first"))
def list_draws(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    player = current_player()
    wheel_of(runtime.configs.get(campaign_id))
    return json_response(200, {"draws": history(player.member_id, campaign_id, GAME)})
