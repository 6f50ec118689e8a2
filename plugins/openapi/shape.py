"""What every document gets once built, the game functions' and the console's alike: the
`date-time` format on timestamps (string properties named `*_at`), wherever a schema
declares them."""

from __future__ import annotations

from typing import Any


def _is_timestamp(name: str) -> bool:
    return name.endswith("_at")


def _date_time(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string":
        schema["format"] = "date-time"
    for option in schema.get("anyOf", []):
        if option.get("type") == "string":
            option["format"] = "date-time"


def _walk(node: Any) -> None:
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and _is_timestamp(name):
                _date_time(prop)
        for value in node.values():
            _walk(value)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def finish(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with its timestamps formatted."""
    _walk(doc)
    return doc
