"""What every HTTP surface of the platform (the games' function URLs, the console) answers
alike: JSON bodies, the error envelope `{"error": {"code", "message"}}`, and the status and
code each exception becomes. A surface only wraps an `Answer` in its framework's response."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import ValidationError

from plugins.errors import GameError, TokenInvalidError

INTERNAL = "something went wrong on our side; retry later"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def json_body(payload: Any) -> str:
    """A JSON body: UTF-8 text as is (Chinese stays readable), dates and decimals as strings."""
    return json.dumps(payload, ensure_ascii=False, default=str)


def error_answer(status: int, code: str, message: str, retry_after: int | None = None) -> Answer:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return Answer(status, json_body({"error": {"code": code, "message": message}}), headers)


def answer_for(exc: Exception) -> Answer:
    """The envelope `exc` becomes: a GameError its own status and code (and `Retry-After`
    where waiting helps); a body, header or path that does not match its schema 400
    MALFORMED_REQUEST naming the fields; anything else 500 INTERNAL_ERROR, with no internals."""
    if isinstance(exc, GameError):
        return error_answer(exc.status, exc.code, exc.message, exc.retry_after)
    if isinstance(exc, ValidationError | RequestValidationError):
        return error_answer(400, "MALFORMED_REQUEST", _invalid(exc.errors()))
    return error_answer(500, "INTERNAL_ERROR", INTERNAL)


def _invalid(errors: Any) -> str:
    """`field: reason` of the first five problems."""
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None without the header."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenInvalidError("Authorization must be 'Bearer <token>'")
    return token.strip()
