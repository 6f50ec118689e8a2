"""The conformance check every functional and console test runs on every answer it gets: the
status is one the operation's OpenAPI document lists, the body is valid against that answer's
schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1, formats checked; an error's code among
those the operation lists), every time in it carries its offset, and the headers are the
documented ones: `X-Request-Id` on every answer, `Retry-After` on 429, 503 and the 409
`CONFLICT` (never on a business 409), each header the answer sends declared on it (and in the
document's components), each it declares required sent, each value valid. A path no operation
serves may only be answered 404 or 405 in the error envelope."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from plugins.openapi import ENVELOPE

DOC = "urn:mgames:document"
OURS = ("X-Request-Id", "Retry-After", "Idempotent-Replayed")
"""The response headers the documents describe: any other (Content-Type, CORS) is not ours."""
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
OFFSET = re.compile(r"[+-]\d{2}:\d{2}$")


@cache
def _routes(paths: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(p)) + "$"), p) for p in paths]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _strings(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}/{i}")


def _times(body: Any) -> list[str]:
    """A time without its offset (zone-less, or `Z`): every time a person reads is local. A
    campaign's config as stored (`/config/...`) is the marketer's file as written, whose
    zone-less times are wall times in its `timezone` (docs/campaign-config.md)."""
    return [f"{where}: {value!r} is a time without the campaign's offset"
            for where, value in _strings(body) if TIMESTAMP.match(value) and not OFFSET.search(value)
            and not where.startswith("/config/")]


def _retry_after(status: int, body: Any, present: bool) -> list[str]:
    code = (body.get("error") or {}).get("code") if isinstance(body, dict) else None
    wanted = status in (429, 503) or (status == 409 and code == "CONFLICT")
    if wanted and not present:
        return [f"{status} {code}: no Retry-After"]
    if present and not wanted:
        return [f"{status} {code}: a Retry-After where waiting changes nothing"]
    return []


def _headers(doc: dict[str, Any], answer: dict[str, Any] | None, where: str, status: int, body: Any,
             headers: Mapping[str, str]) -> list[str]:
    sent = {name.lower(): value for name, value in headers.items()}
    found = [] if "x-request-id" in sent else [f"{where}: no X-Request-Id"]
    found += _retry_after(status, body, "retry-after" in sent)
    if answer is None:
        return found
    declared = {name.lower(): spec for name, spec in (answer.get("headers") or {}).items()}
    for name in OURS:
        spec = declared.get(name.lower())
        if spec is None:
            found += [f"{where}: sends {name}, undeclared"] if name.lower() in sent else []
            continue
        if "$ref" in spec:
            spec = doc.get("components", {}).get("headers", {}).get(spec["$ref"].rsplit("/", 1)[-1])
            if spec is None:
                found.append(f"{where}: {name} is not declared in the components")
                continue
        if name.lower() not in sent:
            found += [f"{where}: no {name}, a required header"] if spec.get("required") else []
            continue
        found += [f"{where}: {name}: {e.message}"
                  for e in Draft202012Validator(spec.get("schema", {})).iter_errors(sent[name.lower()])]
    return found


def violations(doc: dict[str, Any], method: str, path: str, status: int, body: Any,
               headers: Mapping[str, str] | None = None) -> list[str]:
    """Where an answer departs from `doc`: an empty list when it conforms. Without `headers`,
    only the status and the body are checked. An answer in another media than JSON (its
    `Content-Type`: an HTML page, a CSV) conforms when the operation documents that media."""
    path = path.split("?", 1)[0]
    template = next((t for pattern, t in _routes(tuple(doc["paths"])) if pattern.match(path)), None)
    operation = (doc["paths"].get(template) or {}).get(method.lower()) if template else None
    answer = None if operation is None else operation["responses"].get(str(status))
    where = f"{method} {template or path} {status}"
    found = [] if headers is None else _headers(doc, answer, where, status, body, headers)
    if path == "/openapi.json":
        return found  # the document itself
    found += _times(body)
    if operation is None:
        if status not in (404, 405):
            return [*found, f"{method} {path}: no operation, yet answered {status}"]
        return found + [e.message for e in Draft202012Validator(ENVELOPE).iter_errors(body)]
    assert template is not None
    if answer is None:
        return [*found, f"{method} {template}: status {status} is not documented "
                        f"({sorted(operation['responses'])})"]
    sent = {k.lower(): v for k, v in (headers or {}).items()}.get("content-type", "application/json")
    sent = sent.split(";")[0].strip()
    if sent != "application/json":
        kinds = sorted(answer.get("content") or {})
        return found + ([] if sent in kinds else [f"{where}: {sent}, documented {kinds}"])
    media = (answer.get("content") or {}).get("application/json")
    if media is None:
        return found + ([] if body is None else [f"{where}: a body where none is documented"])
    if "schema" not in media:
        return found  # any JSON
    ref = "#/" + _pointer("paths", template, method.lower(), "responses", str(status), "content",
                          "application/json", "schema")
    registry: Registry[Any] = Registry().with_resource(DOC, DRAFT202012.create_resource(doc))
    validator = Draft202012Validator({"$ref": DOC + ref}, registry=registry,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    return found + [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                    for e in validator.iter_errors(body)]


def assert_conforms(doc: dict[str, Any], method: str, path: str, status: int, body: Any,
                    headers: Mapping[str, str] | None = None) -> None:
    found = violations(doc, method, path, status, body, headers)
    assert not found, "answer does not conform to the OpenAPI document:\n" + "\n".join(found[:10])
