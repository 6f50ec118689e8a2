"""A game's route kit: `from plugins.web import kit` gives its routes the Powertools pieces,
the shared parameters and answers, the `action` decorator every player action goes through,
and the two routes most games repeat (an action whose body is at most an `ActionBody`, and the
player's own history of such actions)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, get_type_hints

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import BaseModel

from plugins.actions import ActionResult, history
from plugins.contracts import Campaign
from plugins.errors import GameError
from plugins.openapi.games import OPERATOR, PLAYER, raises
from plugins.openapi.rewards import IssuedReward, RewardOffer
from plugins.runtime import runtime
from plugins.store.pages import MAX_LIMIT, Paged, page_limit
from plugins.web.play import Action, Counted, body_of, count, play
from plugins.web.request import current_operator, current_player, optional_player
from plugins.web.routing import (
    ActionBody,
    Authorization,
    CampaignHeading,
    CampaignId,
    IdempotencyKey,
    PrizeView,
    action_response,
    answers,
    heading,
    json_response,
)

__all__ = [
    "OPERATOR",
    "PLAYER",
    "Action",
    "ActionBody",
    "ActionResult",
    "Authorization",
    "Body",
    "CampaignHeading",
    "CampaignId",
    "Counted",
    "Cursor",
    "IdempotencyKey",
    "IssuedReward",
    "LambdaFunctionUrlRouter",
    "Limit",
    "OptionalBody",
    "Paged",
    "Path",
    "PrizeView",
    "Read",
    "Response",
    "RewardOffer",
    "action",
    "action_response",
    "action_route",
    "answers",
    "body_of",
    "count",
    "current_operator",
    "current_player",
    "heading",
    "history_route",
    "json_response",
    "optional_player",
    "page_limit",
    "paged_route",
    "play",
    "raises",
    "runtime",
]

OptionalBody = Annotated[ActionBody | None, Body()]
"""The body of an action that takes nothing but where the page runs."""
Limit = Annotated[str | None, Query(description=f"items per page, 1 to {MAX_LIMIT} (50 by default)")]
Cursor = Annotated[str | None, Query(description="the `next_cursor` of the page before")]

_SHARED = [  # what every action's route takes besides its own parameters
    inspect.Parameter("campaign_id", inspect.Parameter.KEYWORD_ONLY, annotation=CampaignId),
    inspect.Parameter("idempotency", inspect.Parameter.KEYWORD_ONLY, default=None,
                      annotation=IdempotencyKey),
    inspect.Parameter("authorization", inspect.Parameter.KEYWORD_ONLY, default=None,
                      annotation=Authorization),
]


Raises = tuple[type[GameError], ...] | None
"""The errors a route answers of its own (`plugins.openapi.games.raises`); None: not declared,
documented with every error its game names."""


def _declared(errors: Raises) -> dict[str, Any] | None:
    return None if errors is None else raises(*errors)


def action(router: LambdaFunctionUrlRouter, path: str, summary: str, answer: type[BaseModel],
           what: str, counted: Counted,
           errors: Raises = None) -> Callable[[Callable[..., ActionResult]], Any]:
    """Decorate `act(action, **own)` into the route POST `path` of a player's action.

    `act` declares only its own parameters after the `Action` (path parameters besides
    `<campaign_id>`, a body); the route adds the campaign id and the `Idempotency-Key` and
    `Authorization` headers, runs `act` through `play` once per key (its string parameters go
    to the log line) and answers 201 with `answer`, documented as `what`, or one of `errors`.
    """

    def register(act: Callable[..., ActionResult]) -> Callable[..., Response[str]]:
        hints = get_type_hints(act, include_extras=True)
        own = [parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[name])
               for name, parameter in list(inspect.signature(act).parameters.items())[1:]]

        def route(campaign_id: str, idempotency: str | None = None, authorization: str | None = None,
                  **params: Any) -> Response[str]:
            logged = {name: value for name, value in params.items() if isinstance(value, str)}
            return play(campaign_id, idempotency, lambda a: act(a, **params), counted, **logged)

        route.__signature__ = inspect.Signature([_SHARED[0], *own, *_SHARED[1:]])  # type: ignore[attr-defined]
        route.__name__ = route.__qualname__ = act.__name__
        route.__doc__ = act.__doc__
        router.post(path, summary=summary, responses=answers(answer, what, 201), security=PLAYER,
                    openapi_extensions=_declared(errors))(route)
        return route

    return register


def action_route(router: LambdaFunctionUrlRouter, path: str, summary: str, answer: type[BaseModel],
                 what: str, act: Callable[[Action, dict[str, Any]], ActionResult],
                 counted: Counted, errors: Raises = None) -> None:
    """POST `path` (its only parameter `<campaign_id>`): a player's action with an optional
    `ActionBody`; `act(action, body)` runs it once per idempotency key, answered 201 (or one of
    `errors`)."""

    @action(router, path, summary, answer, what, counted, errors)
    def post_action(a: Action, body: OptionalBody = None) -> ActionResult:
        return act(a, body_of(body))


Read = Callable[[Campaign, str, datetime, str | None, int], tuple[list[dict[str, Any]], str | None]]
"""A page of a player's list: `read(campaign, member_id, now, cursor, limit)` gives its items
and the cursor of the next page (None on the last), in one Query (`plugins.store.pages`)."""


def paged_route(router: LambdaFunctionUrlRouter, path: str, summary: str, answer: type[Paged],
                what: str, field: str, read: Read, errors: Raises = None) -> None:
    """GET `path` (its only parameter `<campaign_id>`): a list the player reads a page at a
    time, under `field` (`?limit=`, `?cursor=`, `next_cursor`); a player token only. `errors`:
    what `read` raises of its own."""

    @router.get(path, summary=summary, responses=answers(answer, what), security=PLAYER,
                openapi_extensions=_declared(errors))
    def list_page(campaign_id: CampaignId, limit: Limit = None, cursor: Cursor = None,
                  authorization: Authorization = None) -> Response[str]:
        player = current_player()
        found, next_cursor = read(runtime.configs.get(campaign_id), player.member_id, runtime.clock(),
                                  cursor, page_limit(limit))
        return json_response(200, {field: found, "next_cursor": next_cursor})


def history_route(router: LambdaFunctionUrlRouter, path: str, summary: str, answer: type[Paged],
                  field: str, game: str, section: Callable[[Campaign], object]) -> None:
    """GET `path`: the player's own actions in `game` listed under `field`, a page at a time;
    `section(campaign)` refuses a campaign that does not hold the game."""

    def actions(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
                limit: int) -> tuple[list[dict[str, Any]], str | None]:
        section(campaign)
        return history(member_id, campaign.id, game, cursor, limit)

    paged_route(router, path, summary, answer, "a page of them, newest first", field, actions, ())
