"""The console's OpenAPI 3.1 document (Chalice makes none): every route that declares its
contract (`plugins.console.contract.documented`), its bodies from the same pydantic models the
views validate with and its answers from the models of what they answer, its errors from the
error classes as the game functions' (`plugins.openapi`), per operation: the envelope's for
any request, its caller's (an operator's token, or a partner's signature), a keyed write's,
and the route's own (`raises`: every domain error it can answer, a missing campaign too)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode

from plugins.console.contract import Documented
from plugins.console.partner_auth import (
    NonceReusedError,
    PartnerAuthMissingError,
    RequestExpiredError,
    SignatureInvalidError,
)
from plugins.errors import (
    ConflictError,
    ForbiddenError,
    GameError,
    SecretUnavailableError,
    TokenMissingError,
)
from plugins.openapi.errors import CALLER, ENVELOPE, EVERY, HEADERS, KEYED, error_responses, header
from plugins.openapi.shape import finish

SCHEMES: dict[str, Any] = {
    "operatorToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                      "description": "an operator credential (marketer, admin, staff), signed with the "
                                     "console key ring (`mgames token NAME --role R` locally)"},
    "partnerKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
                   "description": "a partner's key id, with `X-Timestamp`, `X-Nonce` and `X-Signature` "
                                  "(hex HMAC-SHA256 of the request, docs/console.md)"},
}
PARTNER = (PartnerAuthMissingError, SignatureInvalidError, RequestExpiredError, NonceReusedError,
           ConflictError, ForbiddenError, SecretUnavailableError)
"""What a signed partner call may answer: its nonce is a write, which may meet a conflict; a
key of another partner is forbidden; the partners' keys may be out of reach."""
ANY_OBJECT: dict[str, Any] = {"type": "object"}


def _schema(model: type[BaseModel] | dict[str, Any] | None, schemas: dict[str, Any],
            mode: JsonSchemaMode = "validation") -> dict[str, Any]:
    """`model`'s schema (as a body is read, or as an answer is written: `mode`), its
    definitions moved to the components; a dict is a schema as is."""
    if model is None:
        return ANY_OBJECT
    if isinstance(model, dict):
        return model
    found = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    schemas.update(found.pop("$defs", {}))
    schemas[model.__name__] = found
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _errors(method: str, contract: Documented) -> set[type[GameError]]:
    errors: set[type[GameError]] = {*EVERY, *contract.raises}
    if contract.caller == "partner":
        errors.update(PARTNER)
    elif contract.caller != "public":
        errors.update(CALLER, {TokenMissingError})
    if method == "post" and contract.keyed:
        errors.update(KEYED)
    return errors


def _operation(path: str, method: str, name: str, contract: Documented,
               schemas: dict[str, Any]) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in re.findall(r"{(\w+)}", path)]
    params += [{"name": q, "in": "query", "required": False, "description": what,
                "schema": {"type": "string"}} for q, what in contract.query]
    if method == "post" and contract.keyed:
        params.append({"name": "Idempotency-Key", "in": "header", "required": True,
                       "description": "unique per write; a retry sends it again and gets the first answer",
                       "example": "apply-20261123-0001",
                       "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{8,128}$"}})
    success = {"X-Request-Id": header("X-Request-Id")}
    if method == "post" and contract.keyed:
        success["Idempotent-Replayed"] = header("Idempotent-Replayed")
    shape = (_schema(contract.answer, schemas, "serialization") if contract.media == "application/json"
             else {"type": "string"})
    answer = {"content": {contract.media: {"schema": shape}}, "headers": success}
    operation: dict[str, Any] = {
        "operationId": name, "summary": contract.summary, "parameters": params,
        "responses": {str(status): {"description": "success", **answer} for status in contract.statuses},
    }
    operation["responses"].update(error_responses(_errors(method, contract)))
    if contract.caller == "partner":
        operation["security"] = [{"partnerKey": []}]
    elif contract.caller != "public":
        operation["security"] = [{"operatorToken": []}]
        operation["description"] = f"for the `{contract.caller}` role"
    if contract.body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": _schema(contract.body, schemas)}}}
    return operation


def console_document(routes: Mapping[str, Mapping[str, Any]], version: str) -> dict[str, Any]:
    """The document of a Chalice app's `routes` (`app.routes`)."""
    schemas: dict[str, Any] = {"ErrorEnvelope": ENVELOPE}
    paths: dict[str, Any] = {}
    for path, entries in sorted(routes.items()):
        for method, entry in sorted(entries.items()):
            contract = getattr(entry.view_function, "contract", None)
            if isinstance(contract, Documented):
                paths.setdefault(path, {})[method.lower()] = _operation(
                    path, method.lower(), entry.view_name, contract, schemas)
    return finish({
        "openapi": "3.1.0",
        "info": {"title": "Marketing games console API", "version": version,
                 "description": "Marketers run campaigns, store staff verify, partners upload and settle."},
        "paths": paths,
        "components": {"schemas": schemas, "headers": HEADERS, "securitySchemes": SCHEMES},
    })
