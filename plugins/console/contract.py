"""What a console route declares for its OpenAPI document (`plugins.console.openapi`): who
calls it, its body and answer models, its success statuses and the errors of its own; the
envelope, the caller's and the write's errors are added by the document itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from plugins.errors import GameError

Caller = Literal["public", "marketer", "admin", "staff", "partner"]
PAGED = (("limit", "items per page, 1 to 100 (50 by default)"),
         ("cursor", "the `next_cursor` of the page before"))
"""The query parameters of a list answered a page at a time (`plugins.store.pages`)."""


@dataclass(frozen=True)
class Documented:
    """A console route's contract: `caller`, `body`, `answer` (`statuses` of success, in
    `media`), `raises` (its own error classes), `query` (query parameters: name and
    description) and `keyed` (a write once per `Idempotency-Key`)."""

    caller: Caller
    summary: str
    body: type[BaseModel] | dict[str, Any] | None = None
    answer: type[BaseModel] | dict[str, Any] | None = None
    statuses: tuple[int, ...] = (200,)
    raises: tuple[type[GameError], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    keyed: bool = True
    media: str = "application/json"


View = Callable[..., Any]


def documented(caller: Caller, summary: str, **contract: Any) -> Callable[[View], View]:
    """Record the route's `Documented` contract on its view (kept through `functools.wraps`)."""

    def record(view: View) -> View:
        view.contract = Documented(caller, summary, **contract)  # type: ignore[attr-defined]
        return view

    return record
