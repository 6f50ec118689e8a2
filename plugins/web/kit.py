"""A game's route kit: `from plugins.web import kit` gives its routes the Powertools pieces,
the shared parameters and answers, and the two routes most games repeat (a player's action
whose body is at most an `ActionBody`, and the player's own history of such actions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import BaseModel

from plugins.actions import ActionResult, history
from plugins.contracts import Campaign
from plugins.runtime import runtime
from plugins.web.play import Action, Counted, body_of, count, play
from plugins.web.request import current_caller, current_player, optional_player
from plugins.web.routing import (
    ActionBody,
    Authorization,
    CampaignHeading,
    CampaignId,
    IdempotencyKey,
    action_response,
    answers,
    heading,
    json_response,
)

__all__ = [
    "ActionBody", "Authorization", "Body", "CampaignHeading", "CampaignId", "Counted",
    "IdempotencyKey", "LambdaFunctionUrlRouter", "Path", "Response", "action_response",
    "action_route", "answers", "body_of", "count", "current_caller", "current_player", "heading",
    "history_route", "json_response", "optional_player", "play", "runtime",
]

Act = Callable[[Action, dict[str, Any]], ActionResult]


def action_route(router: LambdaFunctionUrlRouter, path: str, summary: str, answer: type[BaseModel],
                 what: str, act: Act, counted: Counted) -> None:
    """POST `path` (its only parameter `<campaign_id>`): a player's action with an optional
    `ActionBody`; `act(action, body)` runs it once per idempotency key, answered 201."""

    @router.post(path, summary=summary, responses=answers(answer, what, 201))
    def post_action(
        campaign_id: CampaignId,
        body: Annotated[ActionBody | None, Body()] = None,
        idempotency: IdempotencyKey = None,
        authorization: Authorization = None,
    ) -> Response[str]:
        return play(campaign_id, idempotency, lambda action: act(action, body_of(body)), counted)


def history_route(router: LambdaFunctionUrlRouter, path: str, summary: str, answer: type[BaseModel],
                  field: str, game: str, section: Callable[[Campaign], object]) -> None:
    """GET `path`: the player's own actions in `game`, newest first, listed under `field`;
    `section(campaign)` refuses a campaign that does not hold the game."""

    @router.get(path, summary=summary, responses=answers(answer, "newest first"))
    def list_actions(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
        player = current_player()
        section(runtime.configs.get(campaign_id))
        return json_response(200, {field: history(player.member_id, campaign_id, game)})
