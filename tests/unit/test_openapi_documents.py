"""The documents themselves (`python -m infra.openapi`): valid OpenAPI 3.1, no 422 "Validation
Error", an enum of codes on every error answer, security and a required `Idempotency-Key` where
the routes need them, the shared headers, typed rewards."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from infra.openapi import documents, main
from plugins.errors import GameError

DOCS = documents()
OPERATIONS = [(name, path, method, operation) for name, doc in DOCS.items()
              for path, item in doc["paths"].items() for method, operation in item.items()]


@pytest.mark.parametrize("name", sorted(DOCS))
def test_each_document_is_valid_openapi_3_1(name: str) -> None:
    validate(DOCS[name])
    assert DOCS[name]["openapi"].startswith("3.1")
    assert "HTTPValidationError" not in DOCS[name]["components"]["schemas"]


@pytest.mark.parametrize(("name", "path", "method", "operation"), OPERATIONS,
                         ids=[f"{n} {m.upper()} {p}" for n, p, m, _ in OPERATIONS])
def test_every_operation_lists_its_errors_with_their_codes(name: str, path: str, method: str,
                                                           operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    assert {"400", "413", "415", "503"} <= set(responses)
    for status, answer in responses.items():
        assert answer["description"] != "Validation Error"
        assert "X-Request-Id" in answer["headers"]
        if int(status) >= 400:
            codes = answer["content"]["application/json"]["schema"]["properties"]["error"][
                "properties"]["code"]["enum"]
            assert codes and set(answer["content"]["application/json"]["examples"]) == set(codes)
        if status in ("409", "429", "503"):
            assert "Retry-After" in answer["headers"]
        keyed = any(p["name"].lower() == "idempotency-key" for p in operation.get("parameters", []))
        if status.startswith("2") and method == "post" and keyed:
            assert "Idempotent-Replayed" in answer["headers"]
    assert not any(status.startswith("5") and status != "503" for status in responses)


KEYLESS = {
    "/partners/{partner_id}/campaigns/{campaign_id}/pools/{type_id}": "idempotent by upload id and content",
    "/campaigns/{campaign_id}/visits": "idempotent by nature: one conditional mark a member and day",
    "/campaigns/forecast": "writes nothing: a POST only because a config document is its input",
    "/campaigns/validate": "writes nothing: a POST only because a config document is its input",
    "/campaigns/{campaign_id}/webhooks/replay": "idempotent by nature: a delivery moves back to the "
                                                "queue once, conditional on its state",
    "/campaigns/{campaign_id}/segments/{segment}/members": "idempotent by nature: a set add",
}
"""The POSTs that take no Idempotency-Key, and why they need none."""


@pytest.mark.parametrize(("name", "path", "method", "operation"), OPERATIONS,
                         ids=[f"{n} {m.upper()} {p}" for n, p, m, _ in OPERATIONS])
def test_writes_need_a_key_and_callers_a_scheme(name: str, path: str, method: str,
                                                operation: dict[str, Any]) -> None:
    keys = [p for p in operation.get("parameters", []) if p["name"].lower() == "idempotency-key"]
    assert all(p["required"] for p in keys)
    if keys:
        assert "IDEMPOTENCY_KEY_MISSING" in str(operation["responses"]["400"])
    if method == "post" and (name == "console" or operation.get("security") == [{"playerToken": []}]):
        assert keys or path in KEYLESS, path
    if "401" in operation["responses"]:
        assert operation.get("security")


def test_actions_award_typed_rewards() -> None:
    schemas = DOCS["lucky-wheel"]["components"]["schemas"]
    assert set(schemas["IssuedReward"]["discriminator"]["mapping"]) == {
        "cash", "chances", "coupon", "partner-coupon", "points"}
    assert schemas["DrawView"]["properties"]["reward"]["anyOf"][0] == {
        "allOf": [{"$ref": "#/components/schemas/IssuedReward"}]}
    assert schemas["DrawView"]["properties"]["drawn_at"]["format"] == "date-time"


def test_the_documents_are_written_as_files(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.json" for name in DOCS)


def codes(operation: dict[str, Any]) -> set[str]:
    return {code for status, answer in operation["responses"].items() if int(status) >= 400
            for code in answer["content"]["application/json"]["schema"]["properties"]["error"][
                "properties"]["code"]["enum"]}


@pytest.mark.parametrize(("name", "path", "method", "operation"), OPERATIONS,
                         ids=[f"{n} {m.upper()} {p}" for n, p, m, _ in OPERATIONS])
def test_every_header_is_declared_in_the_components(name: str, path: str, method: str,
                                                    operation: dict[str, Any]) -> None:
    declared = DOCS[name]["components"]["headers"]
    for status, answer in operation["responses"].items():
        for header, spec in answer["headers"].items():
            assert spec["$ref"].rsplit("/", 1)[-1] in declared, (status, header)
        required = {h for h, spec in answer["headers"].items()
                    if declared[spec["$ref"].rsplit("/", 1)[-1]]["required"]}
        assert "X-Request-Id" in required
        assert ("Retry-After" in required) == (status in ("429", "503")), status


@pytest.mark.parametrize(("name", "path", "method", "wanted", "unwanted"), [
    ("lucky-wheel", "/campaigns/{campaign_id}", "get", set(), {"NO_CHANCES_LEFT", "CONFLICT"}),
    ("lucky-wheel", "/campaigns/{campaign_id}/draws", "post", {"NO_CHANCES_LEFT", "CAMPAIGN_NOT_OPEN"},
     {"POINTS_INSUFFICIENT"}),
    ("check-in", "/campaigns/{campaign_id}/check-ins", "post", {"ALREADY_CHECKED_IN"},
     {"POINTS_INSUFFICIENT", "MAKE_UP_NOT_ALLOWED", "NO_CHANCES_LEFT"}),
    ("check-in", "/campaigns/{campaign_id}/make-ups", "post", {"POINTS_INSUFFICIENT", "MAKE_UP_NOT_ALLOWED"},
     set()),
    ("booking", "/campaigns/{campaign_id}/bookings/{booking_id}/cancel", "post",
     {"BOOKING_NOT_FOUND", "ALREADY_PICKED_UP"}, {"CAMPAIGN_NOT_OPEN", "SOLD_OUT", "NO_CHANCES_LEFT"}),
    ("booking", "/campaigns/{campaign_id}/verifications", "post", {"CODE_NOT_FOUND"},
     {"FRAUD_BLOCKED", "RATE_LIMITED", "SOLD_OUT"}),
    ("red-packet", "/campaigns/{campaign_id}/packets/{packet_id}", "get", {"PACKET_NOT_FOUND"},
     {"PACKET_EMPTY", "OWN_PACKET"}),
    ("red-packet", "/campaigns/{campaign_id}/orders", "post", {"ORDER_NOT_ELIGIBLE"},
     {"OWN_PACKET", "IDEMPOTENCY_KEY_MISSING", "RATE_LIMITED"}),
    ("console", "/campaigns/{campaign_id}/report", "get", {"CAMPAIGN_NOT_FOUND"}, {"CONFLICT"}),
    ("console", "/partners/{partner_id}/campaigns/{campaign_id}/settlement", "get", {"PARTNER_NOT_FOUND"},
     {"TOKEN_INVALID", "TOKEN_MISSING"}),
    ("console", "/partners/{partner_id}/campaigns/{campaign_id}/redemptions", "post",
     {"ORDER_REQUIRED"}, {"COUPON_NOT_USABLE_HERE"}),
    ("console", "/partners/{partner_id}/campaigns/{campaign_id}/webhooks", "post",
     {"WEBHOOKS_INVALID", "CONFLICT", "IDEMPOTENCY_KEY_REUSED", "SIGNATURE_INVALID"}, {"TOKEN_MISSING"}),
    ("console", "/partners/{partner_id}/campaigns/{campaign_id}/webhooks/secret/rotate", "post",
     {"WEBHOOK_SECRET_NOT_FOUND", "CONFLICT", "IDEMPOTENCY_KEY_REUSED", "SECRET_UNAVAILABLE",
      "SIGNATURE_INVALID", "PARTNER_NOT_FOUND"}, {"TOKEN_MISSING", "WEBHOOKS_INVALID"}),
])
def test_each_operation_lists_the_codes_it_answers_and_no_other(name: str, path: str, method: str,
                                                                wanted: set[str], unwanted: set[str]) -> None:
    listed = codes(DOCS[name]["paths"][path][method])
    assert wanted <= listed and not unwanted & listed, (wanted - listed, unwanted & listed)


def test_every_route_of_every_game_declares_what_it_raises() -> None:
    from plugins.openapi.games import SCHEMES
    from plugins.registry import games
    from plugins.web.app import build_app

    for name, plugin in games().items():
        raw = json.loads(build_app(plugin).get_openapi_json_schema(
            title=name, version="0", security_schemes=SCHEMES))  # type: ignore[arg-type]
        undeclared = [f"{method.upper()} {path}" for path, item in raw["paths"].items()
                      for method, operation in item.items() if "x-raises" not in operation]
        assert undeclared == [], name


def test_every_error_a_game_defines_is_listed_on_an_operation() -> None:
    listed = {code for doc in DOCS.values() for item in doc["paths"].values()
              for operation in item.values() for code in codes(operation)}
    defined = {cls.code for module in ("red_packet", "partner_coupon", "booking")
               for cls in vars(importlib.import_module(f"games.{module}.errors")).values()
               if isinstance(cls, type) and issubclass(cls, GameError) and cls is not GameError}
    assert defined - listed == set()
