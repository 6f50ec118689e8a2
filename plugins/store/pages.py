"""Cursor pagination of one partition's items: the same rule on every list.

A list answers at most `limit` items and, when more may follow, a `next_cursor`: DynamoDB's
`LastEvaluatedKey`, as url-safe base64 of its JSON. A cursor sent back is checked before it
reaches DynamoDB: it must decode, and name the partition the list reads (a cursor of another
list, or a forged one, is 400 MALFORMED_REQUEST, never a DynamoDB error).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pynamodb.pagination import ResultIterator

from plugins.errors import MalformedRequestError
from plugins.store.models import BaseItem

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Page", "page", "page_limit"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
T = TypeVar("T", bound=BaseItem)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def page_limit(raw: str | None) -> int:
    """The `limit` query parameter: 1 to MAX_LIMIT, DEFAULT_LIMIT when absent."""
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise MalformedRequestError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _encode(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode().rstrip("=")


def _decode(cursor: str, pk: str) -> dict[str, Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        valid = (isinstance(key, dict) and set(key) == {"pk", "sk"} and key["pk"] == {"S": pk}
                 and isinstance(key["sk"], dict) and set(key["sk"]) == {"S"}
                 and isinstance(key["sk"]["S"], str))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        valid = False
    if not valid:
        raise MalformedRequestError("cursor is not one this list gave")
    return dict(key)


def page(query: Callable[..., ResultIterator[T]], pk: str, cursor: str | None, limit: int) -> Page[T]:
    """One page of `query(pk, limit=..., last_evaluated_key=...)` (a model's `query` with its
    conditions bound) from `cursor`: one Query call."""
    start = _decode(cursor, pk) if cursor else None
    results = query(pk, limit=limit, last_evaluated_key=start)
    items = list(results)
    last = results.last_evaluated_key
    return Page(items, _encode(last) if last and len(items) == limit else None)
