"""The wheel's routes on its function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from games.lucky_wheel.service import DRAW_ERRORS, GAME, draw, wheel_of
from plugins.antifraud import plays, quota_left
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()


class Chances(BaseModel):
    per_day: int | None = Field(description="draws a day, null = unlimited")
    total: int | None = Field(description="draws in the campaign, null = unlimited")
    left_today: int | None = Field(
        default=None, description="with a token: the daily allowance left, alone (null = unlimited)")
    left_total: int | None = Field(
        default=None, description="with a token: the campaign allowance left, alone (null = unlimited)")
    left: int | None = Field(
        default=None, description="with a token: what the player can really draw now, the smaller "
                                  "of the two; chances granted by check-ins are in both (null = unlimited)")
    binding: Literal["day", "campaign"] | None = Field(
        default=None, description="with a token: the limit that gives `left`: day (more tomorrow), "
                                  "campaign (no more; also on a tie), null = unlimited")


class CampaignView(kit.CampaignHeading):
    prizes: list[kit.PrizeView]
    chances: Chances


class DrawView(BaseModel):
    draw_id: str
    drawn_at: str
    prize: kit.PrizeView
    reward: kit.IssuedReward | None
    fallback: bool


class DrawList(kit.Paged):
    draws: list[DrawView]


DRAWN = kit.Counted("Plays", "draw", fields=lambda r: {"draw_id": r["draw_id"], "prize": r["prize"]["id"]},
                    awarded=lambda r: not r["fallback"])


@router.get("/campaigns/<campaign_id>", summary="What the page shows",
            responses=kit.answers(CampaignView, "the campaign"), openapi_extensions=kit.raises())
def get_campaign(campaign_id: kit.CampaignId, authorization: kit.Authorization = None) -> kit.Response[str]:
    campaign = kit.runtime.configs.get(campaign_id)
    wheel = wheel_of(campaign)
    now = kit.runtime.clock()
    player = kit.optional_player()
    per_day, total = wheel.chances_of(player.tier if player is not None else None)
    chances: dict[str, Any] = {"per_day": per_day, "total": total}
    if player is not None:
        chances |= quota_left(campaign, player, plays(GAME), now, per_day, total)
    view = {**kit.heading(campaign, now),
            "prizes": [p.public(campaign.config.zone) for p in wheel.prizes], "chances": chances}
    return kit.json_response(200, view)


kit.action_route(router, "/campaigns/<campaign_id>/draws", "Spin the wheel once", DrawView,
                 "the draw (a replay returns the first answer)",
                 lambda a, body: draw(a.campaign, a.player, a.key, body, a.now, kit.runtime.rng), DRAWN,
                 DRAW_ERRORS)
kit.history_route(router, "/campaigns/<campaign_id>/draws", "The player's own draws", DrawList, "draws",
                  GAME, wheel_of)
