"""What every game's routes share: path and header parameters, JSON answers, the campaign
heading of a page, and the answer to a player action (201, replay flagged)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from pydantic import BaseModel, ConfigDict, Field

from plugins.actions import ActionResult
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.http import json_body
from plugins.openapi.rewards import RewardOffer
from plugins.types import SLUG, MoneyText

CampaignId = Annotated[str, Path(pattern=SLUG, description="campaign id")]
IdempotencyKey = Annotated[str | None, Header(alias="idempotency-key",
                                              description="unique per action; retries reuse it")]
Authorization = Annotated[str | None, Header(alias="authorization",
                                             description="Bearer <player token>")]


class ActionBody(BaseModel):
    """The optional body of a player's action: where the page runs (kept with the action)."""

    model_config = ConfigDict(extra="forbid")

    channel: str | None = Field(default=None, max_length=40, description="where the page runs")


class PrizeView(BaseModel):
    """A prize as a page shows it (`Prize.public`): never its weight, stock or cost."""

    id: str
    name: str
    value: MoneyText
    image: str | None = None
    reward: RewardOffer | None = None


class CampaignHeading(BaseModel):
    """The part of every game's campaign page that describes the campaign itself."""

    campaign_id: str
    name: str
    open: bool
    starts_at: str
    ends_at: str
    timezone: str


def heading(campaign: Campaign, now: datetime) -> dict[str, Any]:
    config = campaign.config
    return {"campaign_id": config.id, "name": config.name, "open": config.is_open(now),
            "starts_at": stamp(config.aware(config.starts_at), config.zone),
            "ends_at": stamp(config.aware(config.ends_at), config.zone), "timezone": config.timezone}


def json_response(status: int, payload: Any, **headers: str) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=json_body(payload),
                    headers=headers or None)


def action_response(outcome: ActionResult) -> Response[str]:
    """201 with the action's answer; `Idempotent-Replayed: true` when it is a retry's."""
    return json_response(201, outcome.result,
                         **{"Idempotent-Replayed": str(outcome.replayed).lower()})


def answers(model: type[BaseModel], what: str, status: int = 200) -> dict[int, Any]:
    """A route's documented answer: `status` with a `model` JSON body."""
    return {status: {"description": what, "content": {"application/json": {"model": model}}}}
