"""The console's HTTP conventions: one error mapping, role checks, JSON bodies.

Chalice catches every exception a view raises before middleware sees it (a
`ChaliceViewError` becomes its own `{"Code", "Message"}` body, anything else a 500), so the
shared envelope cannot come from a middleware. Every console view is wrapped instead by
`console_view`, the one place where a `GameError` becomes `{"error": {"code", "message"}}`
with its status, a pydantic `ValidationError` on a body becomes 400 MALFORMED_REQUEST, and
anything else a 500 INTERNAL_ERROR without internals.

Roles are checked in the same wrapper rather than by a Chalice custom authorizer: an
authorizer's refusal is API Gateway's own 401/403 body (not our envelope, and not
distinguishable between a missing and a forged token), whereas this check answers
TOKEN_MISSING / TOKEN_INVALID (401) and FORBIDDEN (403) like every game function, and runs
the same under `chalice local`, `chalice.test.Client` and Lambda.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice import Blueprint, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from plugins.antifraud import Player, token_secret, verify_token
from plugins.errors import (
    ForbiddenError,
    GameError,
    MalformedRequestError,
    TokenInvalidError,
    TokenMissingError,
)
from plugins.runtime import runtime

__all__ = ["MARKETER", "STAFF", "Call", "console_view", "envelope", "json_response"]

MARKETER = "marketer"
STAFF = "staff"
B = TypeVar("B", bound=BaseModel)
logger = Logger(child=True)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body=json.dumps(body, default=str), status_code=status,
                    headers={"Content-Type": "application/json", **(headers or {})})


def envelope(status: int, code: str, message: str, retry_after: int | None = None) -> Response:
    """The error body every function of the platform answers with."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return json_response({"error": {"code": code, "message": message}}, status, headers)


def authenticate(request: Request, role: str) -> Player:
    """The caller named by the bearer token, who must hold `role`."""
    header = request.headers.get("authorization") if request.headers else None
    if not header:
        raise TokenMissingError("this call needs a bearer token")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenInvalidError("the Authorization header is not 'Bearer <token>'")
    player = verify_token(token.strip(), token_secret(), now=runtime.clock())
    if player.role != role:
        raise ForbiddenError(f"this call is for the {role} role")
    return player


@dataclass(frozen=True)
class Call:
    """What a console view gets: the request and the authenticated caller."""

    request: Request
    caller: Player | None

    def body(self, model: type[B]) -> B:
        """The JSON body as `model`; a bad one raises ValidationError (400 by the wrapper)."""
        return model.model_validate_json(self.request.raw_body or b"null")

    def json(self) -> Any:
        try:
            return json.loads(self.request.raw_body or b"null")
        except ValueError:
            raise MalformedRequestError("the body is not JSON") from None


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "body"
    return f"{where}: {first.get('msg', 'invalid')}"


def console_view(bp: Blueprint, role: str | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a view: role check first, then the view, every failure as the envelope."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**params: Any) -> Response:
            try:
                request = bp.current_request
                caller = authenticate(request, role) if role else None
                return view(Call(request, caller), **params)
            except GameError as exc:
                return envelope(exc.status, exc.code, exc.message, exc.retry_after)
            except ValidationError as exc:
                return envelope(400, "MALFORMED_REQUEST", _validation_message(exc))
            except Exception:
                logger.exception("console view failed")
                return envelope(500, "INTERNAL_ERROR",
                                "something went wrong on our side; retry later")

        return wrapper

    return decorate
