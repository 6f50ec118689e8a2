"""The documents themselves (`python -m infra.openapi`): valid OpenAPI 3.1, no 422 "Validation
Error", an enum of codes on every error answer, security and a required `Idempotency-Key` where
the routes need them, the shared headers, typed rewards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from infra.openapi import documents, main

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
    assert not any(status.startswith("5") and status != "503" for status in responses)


KEYLESS = {
    "/partners/{partner_id}/campaigns/{campaign_id}/pools/{type_id}": "idempotent by upload id and content",
    "/campaigns/{campaign_id}/visits": "idempotent by nature: one conditional mark a member and day",
    "/campaigns/forecast": "writes nothing: a POST only because a config document is its input",
    "/campaigns/validate": "writes nothing: a POST only because a config document is its input",
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
        "cash", "coupon", "partner-coupon", "points"}
    assert schemas["DrawView"]["properties"]["reward"]["anyOf"][0] == {
        "allOf": [{"$ref": "#/components/schemas/IssuedReward"}]}
    assert schemas["DrawView"]["properties"]["drawn_at"]["format"] == "date-time"


def test_the_documents_are_written_as_files(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.json" for name in DOCS)
