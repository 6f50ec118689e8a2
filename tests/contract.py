"""The conformance check every functional test runs on every answer it gets: the status is
one the operation's OpenAPI document lists, and the body is valid against that answer's
schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1, formats checked). A path no
operation serves may only be answered 404 or 405 in the error envelope."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from plugins.openapi import ENVELOPE

DOC = "urn:mgames:document"


@cache
def _routes(paths: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(p)) + "$"), p) for p in paths]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def violations(doc: dict[str, Any], method: str, path: str, status: int, body: Any,
               media: str = "application/json") -> list[str]:
    """Where an answer departs from `doc`: an empty list when it conforms. An answer in another
    `media` than JSON (an HTML page) conforms when the operation documents that media."""
    path = path.split("?", 1)[0]
    if path == "/openapi.json":
        return []  # the document itself
    template = next((t for pattern, t in _routes(tuple(doc["paths"])) if pattern.match(path)), None)
    operation = (doc["paths"].get(template) or {}).get(method.lower()) if template else None
    if operation is None:
        if status not in (404, 405):
            return [f"{method} {path}: no operation, yet answered {status}"]
        return [e.message for e in Draft202012Validator(ENVELOPE).iter_errors(body)]
    assert template is not None
    answer = operation["responses"].get(str(status))
    if answer is None:
        return [f"{method} {template}: status {status} is not documented ({sorted(operation['responses'])})"]
    if media != "application/json":
        found = sorted(answer.get("content") or {})
        return [] if media in found else [f"{method} {template} {status}: {media}, documented {found}"]
    media_type = (answer.get("content") or {}).get("application/json")
    if media_type is None:
        return [] if body is None else [f"{method} {template} {status}: a body where none is documented"]
    if "schema" not in media_type:
        return []  # any JSON
    ref = "#/" + _pointer("paths", template, method.lower(), "responses", str(status), "content",
                          "application/json", "schema")
    registry: Registry[Any] = Registry().with_resource(DOC, DRAFT202012.create_resource(doc))
    validator = Draft202012Validator({"$ref": DOC + ref}, registry=registry,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{method} {template} {status}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(body)]


def assert_conforms(doc: dict[str, Any], method: str, path: str, status: int, body: Any,
                    media: str = "application/json") -> None:
    found = violations(doc, method, path, status, body, media)
    assert not found, "answer does not conform to the OpenAPI document:\n" + "\n".join(found[:10])
