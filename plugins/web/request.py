"""What a route needs from the request: the verified caller and the idempotency key.

Player routes take only player tokens (no `role`): a marketer's, staff's or brand system's
token is refused there with 403 FORBIDDEN, so it can neither play nor read a member's data.
The few routes for another role (a brand's order report, staff verifying a pick-up) ask for
that role with `current_caller`.
"""

from __future__ import annotations

import threading

from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent

from plugins.antifraud import Player, token_secret, verify_token
from plugins.errors import (
    ForbiddenError,
    IdempotencyKeyMissingError,
    TokenMissingError,
)
from plugins.http import bearer_token, checked_key
from plugins.runtime import runtime

# The request being handled, per thread. Powertools keeps it on a class attribute shared by
# every resolver, which the threaded local gateway and the rush tests would mix up.
handling = threading.local()


def request_event() -> LambdaFunctionUrlEvent:
    event: LambdaFunctionUrlEvent = handling.event
    return event


def _optional_token() -> Player | None:
    """Whoever the bearer token names, None without one; a bad token is still an error."""
    event = request_event()
    token = bearer_token(event.headers.get("authorization") or event.headers.get("Authorization"))
    if token is None:
        return None
    ip = event.request_context.http.source_ip
    return verify_token(token, token_secret(), now=runtime.clock(), ip=ip)


def _required(caller: Player | None) -> Player:
    if caller is None:
        raise TokenMissingError("this call needs 'Authorization: Bearer <token>'")
    return caller


def optional_player() -> Player | None:
    """The player the token names, None without a token; a token with a role is refused."""
    caller = _optional_token()
    if caller is not None and caller.role is not None:
        raise ForbiddenError(f"a {caller.role} token cannot act as a player")
    return caller


def current_player() -> Player:
    """The player the token names; no token is 401, a token with a role 403."""
    return _required(optional_player())


def current_caller(role: str) -> Player:
    """The caller the token names, who must hold `role` (403 otherwise)."""
    caller = _required(_optional_token())
    if caller.role != role:
        raise ForbiddenError(f"this call is for {role} tokens only")
    return caller


def idempotency_key(value: str | None) -> str:
    if not value:
        raise IdempotencyKeyMissingError("send an Idempotency-Key header, unique per action")
    return checked_key(value)
