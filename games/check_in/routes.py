"""The check-in routes on the game's function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from games.check_in.service import (
    CHECK_IN_ERRORS,
    GAME,
    MAKE_UP_ERRORS,
    check_in,
    make_up,
    page,
    rules_of,
)
from plugins.errors import MalformedRequestError
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()
Reward = kit.RewardOffer | None


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


class CampaignView(kit.CampaignHeading):
    rules: dict[str, Any]
    daily_reward: Reward
    day_rewards: list[dict[str, Any]]
    milestones: list[MilestoneView]
    make_ups: dict[str, Any]
    blind_box: dict[str, Any] | None
    calendar: Calendar | None = Field(description="with a player token only")


class MakeUpRequest(kit.ActionBody):
    day: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="the missed local day, YYYY-MM-DD")


class EarnedReward(BaseModel):
    kind: Literal["day", "milestone"] = Field(alias="for")
    day: int | None = None
    streak: int | None = None
    reward: kit.IssuedReward | None
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


class CheckInList(kit.Paged):
    check_ins: list[CheckInView]


def _counted(kind: str) -> kit.Counted:
    return kit.Counted("Plays", kind, fields=lambda r: {"check_in_id": r["check_in_id"], "day": r["day"]},
                   awarded=lambda r: any(reward.get("reward") for reward in r["rewards"]))


CHECKED_IN, MADE_UP = _counted("check-in"), _counted("make-up")


@router.get("/campaigns/<campaign_id>", summary="Rules, rewards and (with a token) the calendar",
            responses=kit.answers(CampaignView, "the campaign"), openapi_extensions=kit.raises())
def get_campaign(campaign_id: kit.CampaignId, authorization: kit.Authorization = None) -> kit.Response[str]:
    campaign = kit.runtime.configs.get(campaign_id)
    rules = rules_of(campaign)
    player = kit.optional_player()
    member_id = player.member_id if player is not None else None
    return kit.json_response(200, page(campaign, rules, kit.runtime.clock(), member_id))


kit.action_route(router, "/campaigns/<campaign_id>/check-ins", "Check in today", CheckInView,
                 "the check-in (a replay returns the first answer)",
                 lambda a, body: check_in(a.campaign, a.player, a.key, body, a.now, kit.runtime.rng),
                 CHECKED_IN, CHECK_IN_ERRORS)


@kit.action(router, "/campaigns/<campaign_id>/make-ups", "Make up a missed day of this cycle",
            CheckInView, "the make-up (a replay returns the first answer)", MADE_UP, MAKE_UP_ERRORS)
def post_make_up(a: kit.Action, body: Annotated[MakeUpRequest, kit.Body()]) -> kit.ActionResult:
    try:
        day = date.fromisoformat(body.day)
    except ValueError:
        raise MalformedRequestError(f"day: {body.day!r} is not a calendar date") from None
    return make_up(a.campaign, a.player, a.key, day, kit.body_of(body), a.now, kit.runtime.rng)


kit.history_route(router, "/campaigns/<campaign_id>/check-ins", "The player's own check-ins and make-ups",
                  CheckInList, "check_ins", GAME, rules_of)
