"""What a route needs from the request: the verified player and the idempotency key."""

from __future__ import annotations

import re
import threading

from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent

from plugins.antifraud import Player, token_secret, verify_token
from plugins.errors import (
    IdempotencyKeyMissingError,
    MalformedRequestError,
    TokenInvalidError,
    TokenMissingError,
)
from plugins.runtime import runtime

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")

# The request being handled, per thread. Powertools keeps it on a class attribute shared by
# every resolver, which the threaded local gateway and the rush tests would mix up.
handling = threading.local()


def request_event() -> LambdaFunctionUrlEvent:
    event: LambdaFunctionUrlEvent = handling.event
    return event


def optional_player() -> Player | None:
    """The player the bearer token names, None without one; a bad token is still an error."""
    event = request_event()
    header = event.headers.get("authorization") or event.headers.get("Authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenInvalidError("Authorization must be 'Bearer <token>'")
    ip = event.request_context.http.source_ip
    return verify_token(token.strip(), token_secret(), now=runtime.clock(), ip=ip)


def current_player() -> Player:
    player = optional_player()
    if player is None:
        raise TokenMissingError("this call needs 'Authorization: Bearer <token>'")
    return player


def idempotency_key(value: str | None) -> str:
    if not value:
        raise IdempotencyKeyMissingError("send an Idempotency-Key header, unique per action")
    if not KEY_PATTERN.match(value):
        raise MalformedRequestError("Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 _ . : -")
    return value
