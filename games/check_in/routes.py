"""The check-in routes on the game's function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import BaseModel, Field

from games.check_in.service import GAME, check_in, make_up, page, rules_of
from plugins.actions import history
from plugins.errors import MalformedRequestError
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
    json_response,
)

router = LambdaFunctionUrlRouter()
Reward = dict[str, Any] | None


class CalendarDay(BaseModel):
    date: str
    day: int = Field(description="day of the cycle, 1 = its first")
    status: Literal["checked", "made_up", "missed", "today", "upcoming", "closed"]
    reward: Reward
    can_make_up: bool


class NextMilestone(BaseModel):
    streak: int
    days_to_go: int


class Calendar(BaseModel):
    cycle: dict[str, str]
    today: str
    checked_today: bool
    streak: int
    milestones_reached: list[int]
    next_milestone: NextMilestone | None
    make_ups: dict[str, int]
    days: list[CalendarDay]


class MilestoneView(BaseModel):
    streak: int
    reward: Reward
    wheel_chances: int


class CampaignView(CampaignHeading):
    rules: dict[str, Any]
    daily_reward: Reward
    day_rewards: list[dict[str, Any]]
    milestones: list[MilestoneView]
    make_ups: dict[str, Any]
    blind_box: dict[str, Any] | None
    calendar: Calendar | None = Field(description="with a player token only")



class MakeUpRequest(ActionBody):
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="the missed local day, YYYY-MM-DD")


class EarnedReward(BaseModel):
    kind: Literal["day", "milestone"] = Field(alias="for")
    day: int | None = None
    streak: int | None = None
    reward: Reward
    refused: bool = False
    wheel_chances: int | None = None


class CheckInView(BaseModel):
    check_in_id: str
    kind: Literal["check-in", "make-up"]
    day: str
    cycle_day: int
    at: str
    streak: int = Field(description="the streak this day belongs to, for milestones")
    milestones: list[int] = Field(description="milestones this action reached")
    rewards: list[EarnedReward]
    wheel_chances: int = Field(description="lucky-wheel chances granted")
    blind_box: dict[str, Any] | None
    cost_points: int


class CheckInList(BaseModel):
    check_ins: list[CheckInView]


def _counted(kind: str) -> Counted:
    return Counted("Plays", kind, fields=lambda r: {"check_in_id": r["check_in_id"], "day": r["day"]},
                   awarded=lambda r: any(reward.get("reward") for reward in r["rewards"]))


CHECKED_IN, MADE_UP = _counted("check-in"), _counted("make-up")


@router.get("/campaigns/<campaign_id>", summary="Rules, rewards and (with a token) the calendar",
            responses=answers(CampaignView, "the campaign"))
def get_campaign(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    campaign = runtime.configs.get(campaign_id)
    rules = rules_of(campaign)
    player = optional_player()
    member_id = player.member_id if player is not None else None
    return json_response(200, page(campaign, rules, runtime.clock(), member_id))


@router.post("/campaigns/<campaign_id>/check-ins", summary="Check in today",
             responses=answers(CheckInView, "the check-in (a replay returns the first answer)", 201))
def post_check_in(
    campaign_id: CampaignId,
    body: Annotated[ActionBody | None, Body()] = None,
    idempotency: IdempotencyKey = None,
    authorization: Authorization = None,
) -> Response[str]:
    return play(campaign_id, idempotency, lambda a: check_in(a.campaign, a.player, a.key, body_of(body),
                                                             a.now, runtime.rng), CHECKED_IN)


@router.post("/campaigns/<campaign_id>/make-ups", summary="Make up a missed day of this cycle",
             responses=answers(CheckInView, "the make-up (a replay returns the first answer)", 201))
def post_make_up(
    campaign_id: CampaignId,
    body: Annotated[MakeUpRequest, Body()],
    idempotency: IdempotencyKey = None,
    authorization: Authorization = None,
) -> Response[str]:
    try:
        day = date.fromisoformat(body.day)
    except ValueError:
        raise MalformedRequestError(f"day: {body.day!r} is not a calendar date") from None
    return play(campaign_id, idempotency, lambda a: make_up(a.campaign, a.player, a.key, day, body_of(body),
                                                            a.now, runtime.rng), MADE_UP)


@router.get("/campaigns/<campaign_id>/check-ins", summary="The player's own check-ins and make-ups",
            responses=answers(CheckInList, "newest first"))
def list_check_ins(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    player = current_player()
    rules_of(runtime.configs.get(campaign_id))
    return json_response(200, {"check_ins": history(player.member_id, campaign_id, GAME)})
