"""The console's HTTP conventions: one error mapping, role checks, JSON bodies.

Chalice catches every exception a view raises before middleware sees it (a
`ChaliceViewError` becomes its own `{"Code", "Message"}` body, anything else a 500), so the
shared envelope cannot come from a middleware. Every console view is wrapped instead by
`console_view`, the one place where a `GameError` becomes `{"error": {"code", "message"}}`
with its status, a pydantic `ValidationError` on a body becomes 400 MALFORMED_REQUEST, and
anything else a 500 INTERNAL_ERROR without internals. The view runs under the store's request
deadline: a throttled, failing or hanging DynamoDB answers 503 SERVICE_UNAVAILABLE.

Roles are checked in the same wrapper rather than by a Chalice custom authorizer: an
authorizer's refusal is API Gateway's own 401/403 body (not our envelope, and not
distinguishable between a missing and a forged token), whereas this check answers
TOKEN_MISSING / TOKEN_INVALID (401) and FORBIDDEN (403) like every game function, and runs
the same under `chalice local`, `chalice.test.Client` and Lambda.

The wrapper also opens the request's `plugins.conventions` exchange: every answer carries
`X-Request-Id` (the Lambda context's `aws_request_id`; chalice local makes one per request),
the envelope its `request_id`, messages follow `Accept-Language`. CORS for the console's own
web pages is `cors()`, set on every route by the app (origin from `MGAMES_CONSOLE_ORIGIN`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from chalice import Blueprint, Chalice, CORSConfig, Response
from chalice.app import Request
from pydantic import BaseModel

from plugins.conventions import ACCEPTED_HEADERS, EXPOSED_HEADERS, REQUEST_ID, answering
from plugins.errors import ForbiddenError, TokenMissingError
from plugins.http import Answer, answer_for, bearer_token, checked_json, idempotency_key, json_body
from plugins.idempotency import ActionResult
from plugins.identity.callers import ADMIN, MARKETER, STAFF, Operator
from plugins.identity.tokens import identify_operator
from plugins.store import request_deadline

__all__ = ["MARKETER", "STAFF", "Call", "console_view", "cors", "json_response", "outcome_response"]

B = TypeVar("B", bound=BaseModel)
BODY_LIMIT = 4 * 1024 * 1024
"""The largest console body: a partner's upload of 5,000 codes is well under it."""
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "marketing-games-console"))


def json_response(status: int, payload: Any) -> Response:
    return _response(Answer(status, json_body(payload)))


def outcome_response(status: int, outcome: ActionResult, **extra: Any) -> Response:
    """`status` with a write's answer (plus `extra` fields from the path); a retry's answer is
    the first one again, flagged `Idempotent-Replayed: true` as on the game functions."""
    return _response(Answer(status, json_body(outcome.result | extra),
                            {"Idempotent-Replayed": str(outcome.replayed).lower()}))


def _response(answer: Answer) -> Response:
    return Response(body=answer.body, status_code=answer.status,
                    headers={"Content-Type": "application/json", **answer.headers})


def cors() -> CORSConfig:
    """The console's CORS: its web pages' origin (`MGAMES_CONSOLE_ORIGIN`, `*` by default) may
    send the headers a page sends and read the headers every answer carries."""
    return CORSConfig(allow_origin=os.environ.get("MGAMES_CONSOLE_ORIGIN", "*"),
                      allow_headers=list(ACCEPTED_HEADERS), expose_headers=list(EXPOSED_HEADERS),
                      max_age=300)


def authenticate(request: Request, role: str) -> Operator:
    """The operator named by the bearer token, who must hold `role` (an admin holds the
    marketer's too); a player's token is 403 here."""
    token = bearer_token(request.headers.get("authorization") if request.headers else None)
    if token is None:
        raise TokenMissingError("this call needs a bearer token")
    caller = identify_operator(token)
    if caller.role not in ({role, ADMIN} if role == MARKETER else {role}):
        raise ForbiddenError(f"this call is for the {role} role")
    return caller


@dataclass(frozen=True)
class Call:
    """What a console view gets: the request and the authenticated caller."""

    request: Request
    caller: Operator | None

    def body(self, model: type[B]) -> B:
        """The JSON body as `model`; a bad one raises ValidationError (400 by the wrapper)."""
        return model.model_validate(self.json())

    @property
    def key(self) -> str:
        """The `Idempotency-Key` header every write needs: a retry after a lost answer gets
        the first success."""
        headers: Any = self.request.headers or {}
        return idempotency_key(headers.get("idempotency-key"))

    def json(self) -> Any:
        """The JSON body, None when empty; a hostile one is refused (`checked_json`)."""
        raw = self.request.raw_body or b""
        return checked_json(self.request.headers.get("content-type"),
                            raw.encode() if isinstance(raw, str) else raw, BODY_LIMIT)


View = Callable[..., Any]


def console_view(bp: Blueprint | Chalice, role: str | None) -> Callable[[View], View]:
    """Wrap a view of `bp` (a blueprint, or the app itself): role check first, then the view,
    every failure as the envelope."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(**params: Any) -> Response:
            headers: Any = _request(bp).headers or {}
            with answering(getattr(bp.lambda_context, "aws_request_id", None),
                           headers.get("accept-language")) as exchange:
                logger.set_correlation_id(exchange.request_id)
                response = _answered(view, bp, role, params)
                response.headers[REQUEST_ID] = exchange.request_id
                return response

        return wrapper

    return decorate


def _request(bp: Blueprint | Chalice) -> Request:
    request = bp.current_request
    assert request is not None, "Chalice sets the request before any view runs"
    return request


def _answered(view: Callable[..., Any], bp: Blueprint | Chalice, role: str | None,
              params: dict[str, Any]) -> Response:
    """The view's answer, or the envelope of what it raised."""
    try:
        with request_deadline():
            request = _request(bp)
            caller = authenticate(request, role) if role else None
            if caller is not None and "campaign_id" in params:
                caller.require_campaign(params["campaign_id"])
            response: Response = view(Call(request, caller), **params)
            return response
    except Exception as exc:
        answer = answer_for(exc)
        if answer.status >= 500:
            logger.exception("console view failed")
        return _response(answer)
