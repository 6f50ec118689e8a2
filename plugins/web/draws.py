"""Public, token-free reads on every game function that let anyone re-check a draw
(docs/verifiable-draws.md): a campaign's commitments, one draw re-derived (its member id and
key shown whole only to that member's token), and the campaign's disclosure
(docs/compliance.md), here for the players' pages, which cannot read the console's origin."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import BaseModel, Field

from plugins.draws import commitments, published, shown_to, verify_draw
from plugins.draws.answers import DayCommitment, Disclosure
from plugins.errors import DrawNotFoundError, SeedNotRevealedError
from plugins.ids import TIME_ORDERED
from plugins.openapi.games import raises
from plugins.runtime import runtime
from plugins.web.request import optional_player
from plugins.web.routing import Authorization, CampaignId, answers, json_response

__all__ = ["router"]

router = LambdaFunctionUrlRouter()
DrawId = Annotated[str, Path(pattern=TIME_ORDERED, description="draw id, as the draw answered it")]


class Commitments(BaseModel):
    campaign_id: str
    days: list[DayCommitment]


class Reason(BaseModel):
    code: str = Field(description="SEED_MISMATCH, DAY_MISMATCH, NUMBER_MISMATCH, TICKET_MISMATCH, "
                                   "PRIZE_MISMATCH, AWARD_MISMATCH or CONFIG_MISMATCH")
    message: str


class Verification(BaseModel):
    draw: dict[str, Any] = Field(description="the draw's record: identity, day, config version, "
                                             "tier, number, ticket, drawn and awarded prize; "
                                             "`member_id` masked and `key` null but to its member")
    seed: str = Field(description="the day's seed, hex")
    commitment: str = Field(description="the day's published commitment")
    matches: bool
    reasons: list[Reason] = Field(description="why it does not match; empty when it does")
    identity_shown: bool = Field(description="the caller is the draw's member: its member id "
                                             "and key are shown, to re-derive the number")


@router.get("/campaigns/<campaign_id>/commitments", summary="The commitments of the campaign's days",
            description="Each local day's seed commitment, published before the day starts, and "
                        "the seed itself once the day is over. No token.",
            responses=answers(Commitments, "the days"), openapi_extensions=raises())
def get_commitments(campaign_id: CampaignId) -> Response[str]:
    campaign = runtime.configs.get(campaign_id)
    days = commitments(campaign_id, runtime.clock(), campaign=campaign)
    return json_response(200, {"campaign_id": campaign_id, "days": days})


@router.get("/campaigns/<campaign_id>/draws/<draw_id>/verification", summary="Re-derive a draw",
            description="The draw re-derived from its record, its day's revealed seed and "
                        "commitment, and its config version's pool: whether it matches, and why "
                        "not. Refused (SEED_NOT_REVEALED) until the draw's day is over. No token "
                        "needed; with the draw's member's token, its member id and key are shown.",
            responses=answers(Verification, "the verification"),
            openapi_extensions=raises(DrawNotFoundError, SeedNotRevealedError))
def get_verification(campaign_id: CampaignId, draw_id: DrawId, authorization: Authorization = None,
                     ) -> Response[str]:
    player = optional_player()
    campaign = runtime.configs.get(campaign_id)
    found = verify_draw(campaign_id, draw_id, runtime.clock(), campaign=campaign)
    return json_response(200, shown_to(found, None if player is None else player.member_id))


@router.get("/campaigns/<campaign_id>/disclosure", summary="The campaign's public disclosure",
            description="Organiser, period, every prize of every game with its value, quantity and "
                        "odds, the redemption terms and each day's seed commitment: the console's "
                        "disclosure, answered here for the players' pages. No token.",
            responses=answers(Disclosure, "the disclosure"), openapi_extensions=raises())
def get_disclosure(campaign_id: CampaignId) -> Response[str]:
    return json_response(200, published(runtime.configs.get(campaign_id), runtime.clock()))
