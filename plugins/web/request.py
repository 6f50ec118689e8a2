"""What a route needs from the request: the verified caller and the idempotency key.

Player routes take only player tokens: an operator's (a marketer's, staff's or brand
system's, signed with the console ring) is refused there with 403 FORBIDDEN, so it can
neither play nor read a member's data. The few routes for an operator (a brand's order
report, staff verifying a pick-up) ask for that role with `current_operator`, where a player
token is refused the same way.
"""

from __future__ import annotations

import threading

from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent

from plugins.errors import (
    ForbiddenError,
    TokenMissingError,
)
from plugins.http import bearer_token
from plugins.identity.callers import Operator, Player
from plugins.identity.tokens import identify
from plugins.web.edge import client_ip

# The request being handled, per thread. Powertools keeps it on a class attribute shared by
# every resolver, which the threaded local gateway and the rush tests would mix up.
handling = threading.local()


def request_event() -> LambdaFunctionUrlEvent:
    event: LambdaFunctionUrlEvent = handling.event
    return event


def _optional_token() -> Player | Operator | None:
    """Whoever the bearer token names, None without one; a bad token is still an error."""
    event = request_event()
    token = bearer_token(event.headers.get("authorization") or event.headers.get("Authorization"))
    if token is None:
        return None
    return identify(token, ip=client_ip(event))


def _required(caller: Player | Operator | None) -> Player | Operator:
    if caller is None:
        raise TokenMissingError("this call needs 'Authorization: Bearer <token>'")
    return caller


def optional_player() -> Player | None:
    """The player the token names, None without a token; an operator's token is refused."""
    caller = _optional_token()
    if isinstance(caller, Operator):
        raise ForbiddenError(f"a {caller.role} credential cannot act as a player")
    return caller


def current_player() -> Player:
    """The player the token names; no token is 401, an operator's 403."""
    player = optional_player()
    if player is None:
        raise TokenMissingError("this call needs 'Authorization: Bearer <token>'")
    return player


def current_operator(role: str, campaign_id: str) -> Operator:
    """The operator the token names, who must hold `role` and cover the campaign; no token is
    401, a player's, another role's or another campaign's 403."""
    caller = _required(_optional_token())
    if not isinstance(caller, Operator) or caller.role != role:
        raise ForbiddenError(f"this call is for {role} credentials only")
    caller.require_campaign(campaign_id)
    return caller


