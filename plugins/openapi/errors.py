"""Error answers as OpenAPI responses, derived from the `GameError` classes that may be raised:
one response per status, its envelope schema naming the codes that status may carry (an
enum), an example per code and the headers the answer has."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plugins.errors import (
    ConflictError,
    ForbiddenError,
    GameError,
    IdempotencyKeyMissingError,
    IdempotencyKeyReusedError,
    MalformedRequestError,
    PayloadTooLargeError,
    SecretUnavailableError,
    ServiceUnavailableError,
    TokenInvalidError,
    UnsupportedMediaTypeError,
)

ENVELOPE: dict[str, Any] = {
    "title": "ErrorEnvelope",
    "description": "Every error of every function and the console: a stable code and a message.",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
                       "message": {"type": "string"}},
    }},
}
SECONDS: dict[str, Any] = {"type": "string", "pattern": "^[0-9]+$"}
HEADERS: dict[str, Any] = {
    "X-Request-Id": {"description": "the request's id, as logged: quote it when reporting a problem",
                     "required": True, "schema": {"type": "string", "minLength": 1}},
    "Idempotent-Replayed": {"description": "`true` when the answer is the first one to this "
                                           "Idempotency-Key, sent again for a retry",
                            "required": True, "schema": {"type": "string", "enum": ["true", "false"]}},
    "Retry-After": {"description": "seconds to wait before sending the same request again",
                    "required": True, "schema": SECONDS},
    "ConflictRetryAfter": {"description": "`Retry-After` of a 409: seconds to wait before sending "
                                          "the same request again, on `CONFLICT` only (contention "
                                          "that did not settle); a business 409 is final and has none",
                           "required": False, "schema": SECONDS},
}
"""Every response header of the documents, referred to by name (`header`); a 409's
`Retry-After` refers to `ConflictRetryAfter`, as only its `CONFLICT` carries one."""
EVERY = (MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ServiceUnavailableError)
"""What any operation may answer: a malformed, too large or wrongly typed request; an outage."""
CALLER = (TokenInvalidError, ForbiddenError, SecretUnavailableError)
"""What an operation that reads a bearer token may answer (`TokenMissingError` where it needs one)."""
KEYED = (IdempotencyKeyMissingError, IdempotencyKeyReusedError, ConflictError)
"""What a write once per `Idempotency-Key` may answer."""
RETRIED = {409: "ConflictRetryAfter", 429: "Retry-After", 503: "Retry-After"}
"""Statuses whose answer carries `Retry-After` (a rate limit, an outage; a conflict's only)."""


def header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _summary(error: type[GameError]) -> str:
    return " ".join((error.__doc__ or error.code).split())


def error_responses(errors: Iterable[type[GameError]]) -> dict[str, Any]:
    """`{status: response}` for `errors`: the envelope with its code among those of the status."""
    by_status: dict[int, dict[str, str]] = {}
    extra: dict[int, dict[str, Any]] = {}
    for error in errors:
        by_status.setdefault(error.status, {})[error.code] = _summary(error)
        extra.setdefault(error.status, {}).update(error.fields)
    responses: dict[str, Any] = {}
    for status, codes in sorted(by_status.items()):
        ordered = dict(sorted(codes.items()))
        schema = {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string", "enum": list(ordered)},
                           "message": {"type": "string"}, **extra[status]}}}}
        headers = {"X-Request-Id": header("X-Request-Id")}
        if status in RETRIED:
            headers["Retry-After"] = header(RETRIED[status])
        responses[str(status)] = {
            "description": "\n".join(f"- `{code}`: {why}" for code, why in ordered.items()),
            "headers": headers,
            "content": {"application/json": {"schema": schema, "examples": {
                code: {"summary": why, "value": {"error": {"code": code, "message": why}}}
                for code, why in ordered.items()}}},
        }
    return responses
