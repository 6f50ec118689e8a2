"""A game function's OpenAPI document, exact: Powertools' document of the game's routes with
every answer an operation can give (no 422 "Validation Error": bad input is a 400 envelope),
its security, its required `Idempotency-Key`, its response headers and `date-time` formats.

Which errors an operation may answer is listed per operation (`_errors`): what its shape brings,
derived in one place (every operation may be malformed, too large, of the wrong media type, or
meet an outage; one with a campaign id a missing campaign or game; one with a caller a bad
token or the wrong role, and no token when it needs one; one with an `Idempotency-Key` a missing
or reused key and a conflict; a player's action, which runs through `perform`, a conflict, a
reused key and the anti-fraud guards), and what the route declares it raises itself
(`openapi_extensions=raises(...)`: a closed campaign, no chances left, its game's own errors).
A route that declares nothing (a third party's, say) is documented conservatively, with every
error its game's modules name.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from plugins.contracts import GamePlugin
from plugins.errors import (
    AudienceExcludedError,
    CampaignNotFoundError,
    CampaignNotOpenError,
    ConflictError,
    FraudBlockedError,
    GameError,
    GameNotEnabledError,
    IdempotencyKeyReusedError,
    NoChancesLeftError,
    PointsInsufficientError,
    RateLimitedError,
    TokenMissingError,
)
from plugins.openapi.errors import CALLER, ENVELOPE, EVERY, HEADERS, KEYED, error_responses, header
from plugins.openapi.rewards import reward_components
from plugins.openapi.shape import finish

Security = list[dict[str, list[str]]]
PLAYER: Security = [{"playerToken": []}]
"""The security of a player's route: a player token, required."""
MAYBE_PLAYER: Security = [{}, {"playerToken": []}]
"""The security of a page a player may open signed in or not."""
OPERATOR: Security = [{"operatorToken": []}]
"""The security of a staff's or brand system's route: an operator credential."""
SCHEMES = {
    "playerToken": HTTPBearer(bearerFormat="JWT", description="a player token, signed with the player "
                              "key ring (`mgames token NAME` locally)"),
    "operatorToken": HTTPBearer(bearerFormat="JWT", description="an operator credential (staff, brand, "
                                "marketer, admin), signed with the console key ring "
                                "(`mgames token NAME --role R` locally)"),
}
CAMPAIGN = (CampaignNotFoundError, GameNotEnabledError)
ACTION = (ConflictError, IdempotencyKeyReusedError, FraudBlockedError, RateLimitedError,
          AudienceExcludedError)
"""What every player action may answer: its record, its retries, its anti-fraud guards and
the audiences (`plugins.audience`)."""
WRITE = (ConflictError, CampaignNotOpenError, IdempotencyKeyReusedError, FraudBlockedError)
PLAYER_ACTION = (NoChancesLeftError, RateLimitedError, PointsInsufficientError)
RAISES = "x-raises"
_DECLARED: dict[str, type[GameError]] = {}


def raises(*errors: type[GameError]) -> dict[str, Any]:
    """A route's own errors, as it declares them (`openapi_extensions=raises(...)`): those its
    code answers beyond what its shape brings (a closed campaign, no chances left, the game's
    own). Declaring none (`raises()`) says the route answers only those."""
    _DECLARED.update((error.code, error) for error in errors)
    return {RAISES: sorted(error.code for error in errors)}


def game_errors(plugin: GamePlugin) -> set[type[GameError]]:
    """The error classes the game's own modules name (console and CLI modules aside)."""
    home = next((name.rpartition(".")[0] for name, module in list(sys.modules.items())
                 if getattr(module, "router", None) is plugin.router), None)
    found: set[type[GameError]] = set()
    for name, module in list(sys.modules.items()):
        if home and name.startswith(f"{home}.") and name.rpartition(".")[2] not in ("console", "cli"):
            found.update(value for value in vars(module).values() if isinstance(value, type)
                         and issubclass(value, GameError) and value is not GameError)
    return found


def _errors(method: str, operation: dict[str, Any], own: set[type[GameError]]) -> set[type[GameError]]:
    params = {p["name"] for p in operation.get("parameters", [])}
    security = operation.get("security", [])
    errors: set[type[GameError]] = set(EVERY)
    if "campaign_id" in params:
        errors.update(CAMPAIGN)
    if security:
        errors.update(CALLER)
        if {} not in security:
            errors.add(TokenMissingError)
    if "idempotency-key" in params:
        errors.update(KEYED)
    declared = operation.pop(RAISES, None)
    if declared is not None:
        if method == "post" and security == PLAYER:
            errors.update(ACTION)
        return errors | {_DECLARED[code] for code in declared}
    if method == "get":
        return errors | {error for error in own if error.status == 404}
    errors.update(WRITE)
    if security == PLAYER:
        errors.update(PLAYER_ACTION)
    return errors | own


def _optional_body(operation: dict[str, Any]) -> None:
    """A body that may be left out is `required: false`, not a required `null`: a generated
    client then sends nothing by default (openapi-python-client sent its `Unset` marker)."""
    media = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    options = media.get("schema", {}).get("anyOf", [])
    if {"type": "null"} in options:
        media["schema"] = next(option for option in options if option != {"type": "null"})
        operation["requestBody"]["required"] = False


def _operation(method: str, operation: dict[str, Any], own: set[type[GameError]]) -> None:
    responses = operation["responses"]
    _optional_body(operation)
    named = {p["name"] for p in operation.get("parameters", [])}
    if "security" not in operation and "authorization" in named:
        operation["security"] = MAYBE_PLAYER
    responses.pop("422", None)
    for param in operation.get("parameters", []):
        if param["name"] == "idempotency-key":
            param.update(required=True, example="spin-20261123-0001",
                         schema={"type": "string", "pattern": "^[A-Za-z0-9_.:-]{8,128}$"})
        if param["name"] == "authorization" and operation.get("security") == OPERATOR:
            param["description"] = "Bearer <operator credential>"
    for status, answer in responses.items():
        if status.startswith("2"):
            answer["headers"] = {"X-Request-Id": header("X-Request-Id")}
            if status == "204":  # no content, and nothing replayed (a visit)
                answer.pop("content", None)
            elif method == "post":
                answer["headers"]["Idempotent-Replayed"] = header("Idempotent-Replayed")
    responses.update(error_responses(_errors(method, operation, own)))


def game_document(app: LambdaFunctionUrlResolver, plugin: GamePlugin, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `plugin`'s function, built by `app`."""
    doc: dict[str, Any] = json.loads(app.get_openapi_json_schema(
        title=f"{plugin.title} API", version=version, description=plugin.summary,
        security_schemes=SCHEMES))  # type: ignore[arg-type]
    own = game_errors(plugin)
    for item in doc["paths"].values():
        for method, operation in item.items():
            _operation(method, operation, own)
    components = doc.setdefault("components", {})
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        components.get("schemas", {}).pop(unused, None)
    components.setdefault("schemas", {}).update(reward_components(plugin.name), ErrorEnvelope=ENVELOPE)
    components["headers"] = HEADERS
    return finish(doc)
