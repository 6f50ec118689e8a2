"""What every HTTP surface of the platform (the games' function URLs, the console) answers
alike: JSON bodies, the error envelope `{"error": {"code", "message", "request_id"}}` (the
message in the request's language), `Retry-After` wherever waiting helps, and the status and
code each exception becomes. A surface only wraps an `Answer` in its framework's response."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import ValidationError

from plugins.conventions import current
from plugins.errors import (
    GameError,
    IdempotencyKeyMissingError,
    MalformedRequestError,
    PayloadTooLargeError,
    TokenInvalidError,
    UnsupportedMediaTypeError,
)
from plugins.messages import localized

INTERNAL = "something went wrong on our side; retry later"
MAX_DEPTH = 20
MAX_NUMBER_CHARS = 40
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def json_body(payload: Any) -> str:
    """A JSON body: UTF-8 text as is (Chinese stays readable), dates and decimals as strings."""
    return json.dumps(payload, ensure_ascii=False, default=str)


def error_answer(status: int, code: str, message: str, retry_after: int | None = None,
                 extra: dict[str, Any] | None = None) -> Answer:
    """The envelope of error `code`: its message in the request's language, the request's id,
    `extra` fields of the error (`GameError.envelope`), and `Retry-After` when the same request
    may succeed after waiting (the one place it is set)."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    exchange = current()
    error: dict[str, Any] = {"code": code, "message": message}
    if exchange is not None:
        error = {"code": code, "message": localized(code, message, exchange.language),
                 "request_id": exchange.request_id}
    return Answer(status, json_body({"error": error | (extra or {})}), headers)


def answer_for(exc: Exception) -> Answer:
    """The envelope `exc` becomes: a GameError its own status and code (and `Retry-After`
    where waiting helps); a body, header or path that does not match its schema 400
    MALFORMED_REQUEST naming the fields; anything else 500 INTERNAL_ERROR, with no internals."""
    if isinstance(exc, GameError):
        return error_answer(exc.status, exc.code, exc.message, exc.retry_after, exc.envelope())
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


def checked_json(content_type: str | None, body: bytes, limit: int) -> Any:
    """The body as JSON (None when empty), or the error a hostile body earns before any work:
    413 over `limit` bytes, 415 unless `application/json` in UTF-8, 400 for text that is
    not UTF-8, not JSON, nested deeper than `MAX_DEPTH` or with a number longer than
    `MAX_NUMBER_CHARS` (Python would spend quadratic time converting it, or refuse)."""
    if not body:
        return None
    if len(body) > limit:
        raise PayloadTooLargeError(f"the body is over {limit} bytes")
    media, _, params = (content_type or "").partition(";")
    charset = params.strip().lower().removeprefix("charset=").strip('"') if params.strip() else "utf-8"
    if media.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError("send the body as application/json in UTF-8")
    try:
        value = json.loads(body.decode("utf-8"), parse_int=_number(int), parse_float=_number(float),
                           parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise MalformedRequestError("the body is not UTF-8") from None
    except RecursionError:
        raise MalformedRequestError(f"the body nests deeper than {MAX_DEPTH}") from None
    except ValueError as exc:
        raise MalformedRequestError(f"the body is not JSON: {exc}") from None
    if _depth(value) > MAX_DEPTH:
        raise MalformedRequestError(f"the body nests deeper than {MAX_DEPTH}")
    return value


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number longer than {MAX_NUMBER_CHARS} characters")
        return kind(text)

    return parse


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (walked without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            todo.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def checked_key(value: str) -> str:
    """An `Idempotency-Key` header's value, if it is one (400 MALFORMED_REQUEST otherwise)."""
    if not KEY_PATTERN.match(value):
        raise MalformedRequestError("Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 _ . : -")
    return value


def idempotency_key(value: str | None) -> str:
    """The `Idempotency-Key` every write needs (400 IDEMPOTENCY_KEY_MISSING without one): a
    retry after a lost answer sends it again and gets the first success."""
    if not value:
        raise IdempotencyKeyMissingError("send an Idempotency-Key header, unique per write")
    return checked_key(value)


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header; None without the header."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenInvalidError("Authorization must be 'Bearer <token>'")
    return token.strip()
