"""Cursor pagination: the same rule on every list.

A list answers at most `limit` items and, when more may follow, a `next_cursor`: DynamoDB's
`LastEvaluatedKey`, as url-safe base64 of its JSON. A page is exactly one Query: a filter may
leave it short (even empty) with a `next_cursor` still to read on. A cursor sent back is
checked before it reaches DynamoDB: it must decode, name the partition the list reads and a
sort key within the list's own range (a cursor of another list, another player's or a forged
one is 400 MALFORMED_REQUEST, never a DynamoDB error).

A list known whole in memory (a campaign's coupon center, bounded by its config) is paged
with the same cursor (`page_list`), naming the list and the position after the page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from plugins.errors import MalformedRequestError
from plugins.store.models import BaseItem

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Page", "Paged", "page", "page_limit", "page_list"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
T = TypeVar("T", bound=BaseItem)
X = TypeVar("X")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


class Paged(BaseModel):
    """An answer holding a page of a list: `next_cursor` reads on, null on the last page."""

    next_cursor: str | None = Field(default=None, description="send as `cursor` for the next page")


def page_limit(raw: str | None) -> int:
    """The `limit` query parameter: 1 to MAX_LIMIT, DEFAULT_LIMIT when absent."""
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise MalformedRequestError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _encode(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode().rstrip("=")


def _decode(cursor: str, pk: str, prefix: str) -> dict[str, Any]:
    """The key `cursor` names, if it is one of partition `pk`, its sort key under `prefix`."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        valid = (isinstance(key, dict) and set(key) == {"pk", "sk"} and key["pk"] == {"S": pk}
                 and isinstance(key["sk"], dict) and set(key["sk"]) == {"S"}
                 and isinstance(key["sk"]["S"], str) and key["sk"]["S"].startswith(prefix))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        valid = False
    if not valid:
        raise MalformedRequestError("cursor is not one this list gave")
    return dict(key)


def page(model: type[T], pk: str, prefix: str, cursor: str | None, limit: int,
         **query: Any) -> Page[T]:
    """One page of `model`'s items in partition `pk` whose sort keys start with `prefix`, from
    `cursor`: one Query, with `query`'s options (`scan_index_forward`, `filter_condition`,
    `consistent_read`)."""
    start = _decode(cursor, pk, prefix) if cursor else None
    results = model.query(pk, model.sk.startswith(prefix), limit=limit, last_evaluated_key=start,
                          **query)
    answered = next(results.page_iter)  # this page only: never a second Query
    items = [model.from_raw_data(item) for item in answered.get("Items", [])]
    last = answered.get("LastEvaluatedKey")
    return Page(items, _encode(last) if last else None)


def page_list(items: Sequence[X], scope: str, cursor: str | None, limit: int) -> tuple[list[X], str | None]:
    """A page of `items`, a list known whole named `scope` (what makes a cursor of another
    list foreign: name its campaign and config version), and the cursor of the next page."""
    start = 0
    if cursor:
        position = _decode(cursor, scope, "")["sk"]["S"]
        if not position.isdigit() or not 0 < int(position) <= len(items):
            raise MalformedRequestError("cursor is not one this list gave")
        start = int(position)
    end = start + limit
    after = _encode({"pk": {"S": scope}, "sk": {"S": str(end)}}) if end < len(items) else None
    return list(items[start:end]), after
