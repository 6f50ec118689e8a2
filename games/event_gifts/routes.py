"""The event gifts' routes: the rules a page shows (with the signed-in member's progress), a
friend opening a member's share link, and the brand's systems reporting events."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from games.event_gifts.config import MemberEvent
from games.event_gifts.progress import progress
from games.event_gifts.service import RECEIVE_ERRORS, gifts_of, receive, share_event
from plugins.identity.callers import BRAND
from plugins.types import MoneyText
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()


class RuleProgress(BaseModel):
    given_today: int | None = Field(description="times given today, for a rule with a daily limit")
    done: bool = Field(description="given in its current period (a rule once a day, week, month "
                                   "or campaign)")


class RuleView(kit.PrizeView):
    event: str = Field(description="the event: registration, first_order, order, birthday, profile_completed")
    once_per: str
    per_member_per_day: int | None
    min_amount: MoneyText | None
    items: list[str]
    hours: list[int] | None
    window: str | None = Field(description="birthday rules: day, week or month")
    invited_within_days: int | None = Field(description="invitation rules: the inviter is rewarded")
    mine: RuleProgress | None = Field(default=None, description="the signed-in member's progress")


class CampaignView(kit.CampaignHeading):
    rules: list[RuleView]


class Gift(BaseModel):
    rule: str
    member_id: str = Field(description="who got it: the member, or his inviter")
    reward: kit.IssuedReward | None


class Skipped(BaseModel):
    rule: str
    reason: str


class Received(BaseModel):
    event_id: str
    kind: str
    member_id: str
    gifts: list[Gift]
    skipped: list[Skipped] = Field(description="rules the event matched that gave nothing, and why")


SharerId = Annotated[str, kit.Path(pattern=r"^[^#\s/]{1,64}$", description="who shared the link")]
OPENED = kit.Counted("Gifts", "share opened", fields=lambda r: {"event_id": r["event_id"]},
                     awarded=lambda r: bool(r["gifts"]))
GIFTED = kit.Counted("Gifts", "event", fields=lambda r: {"event_id": r["event_id"], "kind": r["kind"]},
                     awarded=lambda r: bool(r["gifts"]))


def _rule(rule: Any, zone: Any) -> dict[str, Any]:
    return rule.public(zone) | {
        "event": rule.event, "once_per": rule.once_per, "per_member_per_day": rule.per_member_per_day,
        "min_amount": None if rule.min_amount is None else f"{rule.min_amount:.2f}",
        "items": list(rule.items), "hours": list(rule.hours) if rule.hours else None,
        "window": rule.window if rule.event == "birthday" else None,
        "invited_within_days": rule.invited_within_days}


@router.get("/campaigns/<campaign_id>",
            summary="What members can earn, and for what (with a token, his progress)",
            responses=kit.answers(CampaignView, "the campaign and its rules"),
            openapi_extensions=kit.raises())
def get_campaign(campaign_id: kit.CampaignId, authorization: kit.Authorization = None) -> kit.Response[str]:
    campaign, now = kit.runtime.configs.get(campaign_id), kit.runtime.clock()
    player = kit.optional_player()
    mine = {} if player is None else progress(campaign, player.member_id, now)
    rules = [_rule(rule, campaign.config.zone) | ({"mine": mine[rule.id]} if mine else {})
             for rule in gifts_of(campaign).rules]
    return kit.json_response(200, {**kit.heading(campaign, now), "rules": rules})


@kit.action(router, "/campaigns/<campaign_id>/shares/<sharer_id>/opens",
            "A friend opened a member's share link (the share task)", Received,
            "what the share rules gave the sharer (a friend counts once per sharer)", OPENED, RECEIVE_ERRORS)
def post_share_opened(a: kit.Action, sharer_id: SharerId, body: kit.OptionalBody = None) -> kit.ActionResult:
    answer, replayed = receive(a.campaign, share_event(sharer_id, a.player.member_id), a.now, kit.runtime.rng,
                               a.player.device_id)
    return kit.ActionResult(result=answer, replayed=replayed)


@router.post("/campaigns/<campaign_id>/events", summary="Report a member event (brand system only)",
             responses=kit.answers(Received, "what each matching rule gave (a repeat returns it again)", 201),
             security=kit.OPERATOR, openapi_extensions=kit.raises(*RECEIVE_ERRORS))
def post_event(campaign_id: kit.CampaignId, body: Annotated[MemberEvent, kit.Body()],
               authorization: kit.Authorization = None) -> kit.Response[str]:
    kit.current_operator(BRAND, campaign_id)
    campaign = kit.runtime.configs.get(campaign_id)
    answer, replayed = receive(campaign, body, kit.runtime.clock(), kit.runtime.rng)
    if not replayed:
        kit.count(GIFTED, answer, member_id=body.member_id)
    return kit.action_response(kit.ActionResult(result=answer, replayed=replayed))
