"""A stream record as the aggregator reads it (`Change`), and what it adds up to (`Fact`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

__all__ = ["ALL_GAMES", "Change", "Fact", "changes_of"]

ALL_GAMES = "*"
"""The game of a fact that belongs to no one game (a coupon redeemed, a fraud block)."""
_DESERIALIZE = TypeDeserializer().deserialize


def _plain(value: Any) -> Any:
    """DynamoDB's Decimals as ints (or floats), sets as sorted lists, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    return value


def _image(doc: dict[str, Any] | None) -> dict[str, Any]:
    return {name: _plain(_DESERIALIZE(value)) for name, value in (doc or {}).items()}


@dataclass(frozen=True)
class Change:
    """One item's change: INSERT, MODIFY or REMOVE, its images before and after (plain
    Python values), and when DynamoDB wrote it."""

    event_id: str
    sequence: str
    name: str
    pk: str
    sk: str
    old: dict[str, Any]
    new: dict[str, Any]
    at: datetime


def changes_of(event: dict[str, Any]) -> list[Change]:
    """The changes of a Lambda DynamoDB-stream event, in stream order."""
    changes = []
    for record in event.get("Records") or []:
        body = record["dynamodb"]
        keys = _image(body.get("Keys"))
        changes.append(Change(
            event_id=str(record["eventID"]), sequence=str(body.get("SequenceNumber", "")),
            name=str(record["eventName"]),
            pk=str(keys.get("pk", "")), sk=str(keys.get("sk", "")),
            old=_image(body.get("OldImage")), new=_image(body.get("NewImage")),
            at=datetime.fromtimestamp(float(body.get("ApproximateCreationDateTime") or 0), UTC)))
    return changes


@dataclass
class Fact:
    """What one change adds to one campaign's figures for one game, at one moment: amounts
    (money in cents) and the members each distinct figure counts once."""

    campaign_id: str
    game: str
    at: datetime
    figures: Counter[str] = field(default_factory=Counter)
    distinct: set[tuple[str, str]] = field(default_factory=set)
    day: str | None = None
    """The campaign's local day it counts on, when the change names it (else `at`'s)."""
