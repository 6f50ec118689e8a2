"""A player's action through a route, the same in every game.

`play` resolves the player (player tokens only: 401 without one, 403 for a marketer's,
staff's or brand's), the idempotency key and the campaign, runs the game's action, counts and
logs it when it is new, and answers 201 with the result or, for a retry, the first result
again (`Idempotent-Replayed: true`). A game's route is left with its own parameters and the
call into its service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

from plugins.actions import ActionRequest, ActionResult
from plugins.antifraud import Player
from plugins.contracts import Campaign
from plugins.http import idempotency_key
from plugins.runtime import runtime
from plugins.web.app import logger, metrics
from plugins.web.request import current_player
from plugins.web.routing import action_response

Result = dict[str, Any]


@dataclass(frozen=True)
class Action:
    """What a game's service gets for one player action."""

    campaign: Campaign
    player: Player
    key: str
    now: datetime

    def request(self, game: str, body: Any) -> ActionRequest:
        return ActionRequest(campaign=self.campaign, game=game, player=self.player, key=self.key,
                             body=body, now=self.now)


@dataclass(frozen=True)
class Counted:
    """How a new action is counted and logged: its metric, its log message, the result's
    fields worth logging, and which results count as awards (the `Awards` metric)."""

    metric: str
    event: str
    fields: Callable[[Result], Result] = field(default=lambda result: {})
    awarded: Callable[[Result], bool] | None = None
    also: Callable[[Result], tuple[str, ...]] = field(default=lambda result: ())


def body_of(body: BaseModel | None) -> dict[str, Any]:
    """A request body as the action records it: what was sent, without unset options."""
    return body.model_dump(exclude_none=True) if body is not None else {}


def count(counted: Counted, result: Result, **context: Any) -> None:
    """The metrics and the log line of one new action."""
    names = [counted.metric, *counted.also(result)]
    if counted.awarded is not None and counted.awarded(result):
        names.append("Awards")
    for name in names:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
    logger.info(counted.event, extra={**counted.fields(result), **context})


def play(campaign_id: str, idempotency: str | None, act: Callable[[Action], ActionResult],
         counted: Counted, **context: Any) -> Response[str]:
    """Run the player's action once per idempotency key; 201 with its result."""
    player = current_player()
    key = idempotency_key(idempotency)
    campaign = runtime.configs.get(campaign_id)
    outcome = act(Action(campaign, player, key, runtime.clock()))
    if not outcome.replayed:
        count(counted, outcome.result, member_id=player.member_id, **context)
    return action_response(outcome)
