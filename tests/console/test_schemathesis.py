"""schemathesis on the console's API. The console (Chalice, on API Gateway) serves no OpenAPI
document, so the test takes the one Chalice itself generates for API Gateway from the app's
routes (`SwaggerGenerator`, what `chalice package` deploys: paths, methods, path
parameters), adding to each POST what every console POST takes, a JSON object body. Cases go
through chalice's LocalGateway (what `chalice local` serves) with the demo campaign's real
ids, a token of the role each route wants, and partner routes signed as a partner's client
signs them, so requests reach the logic (`tests/schemathesis_kit.py`: bounded in examples,
derandomized). The verdict: no 5xx, every route tried, the reads and a switch answered."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from typing import Any

import pytest
import schemathesis
from chalice.config import Config
from chalice.deploy.swagger import SwaggerGenerator
from chalice.local import LocalGateway
from werkzeug.wrappers import Request, Response

from plugins.console.partner_auth import sign
from plugins.runtime import runtime
from tests.conftest import Apply, operator_token
from tests.functional.test_partner_coupon import load
from tests.schemathesis_kit import server_errors

KEYS = {"cafe": "cafe-secret-0123456789"}
IDS = {"campaign_id": "demo", "game": "lucky-wheel", "partner_id": "cafe", "type_id": "cafe-latte"}


def console_document(app: Any) -> dict[str, Any]:
    """Chalice's own API Gateway document of `app`, each POST taking a JSON object."""
    document: dict[str, Any] = SwaggerGenerator(
        "us-east-1", {"api_handler_arn": "arn:aws:lambda:us-east-1:000000000000:function:console"},
    ).generate_swagger(app)
    for operation in (ops["post"] for ops in document["paths"].values() if "post" in ops):
        operation["consumes"] = ["application/json"]
        operation.setdefault("parameters", []).append(
            {"in": "body", "name": "body", "required": True, "schema": {"type": "object"}})
    return document


class SignedConsole:
    """The console behind LocalGateway as a WSGI app, with a partner's client in front of the
    partner routes: it signs each of their requests as they are sent."""

    def __init__(self, app: Any) -> None:
        self.gateway = LocalGateway(app, Config.create(chalice_app=app, app_name=app.app_name,
                                                       stage="local"))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        body = request.get_data()
        headers = {name.lower(): value for name, value in request.headers.items()}
        if request.path.startswith("/partners/"):
            stamp, nonce = str(int(runtime.clock().timestamp())), secrets.token_hex(8)
            headers |= {"x-api-key": "cafe", "x-timestamp": stamp, "x-nonce": nonce,
                        "x-signature": sign(KEYS["cafe"], request.method, request.path, stamp,
                                            nonce, body)}
        path = request.full_path.rstrip("?")
        answer = self.gateway.handle_request(request.method, path, headers, body or None)
        response = Response(answer["body"], status=answer["statusCode"], headers=answer["headers"])
        return response(environ, start_response)


def bearer(path: str) -> str:
    role = "staff" if path.endswith("/verify") else "marketer"
    return "Bearer " + operator_token(f"st-{role}", role)


def test_no_request_to_the_console_gets_a_5xx(apply: Apply, monkeypatch: pytest.MonkeyPatch) -> None:
    from functions.console.app import app

    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps(KEYS))
    apply()
    load(40, type_id="cafe-latte")
    schema = schemathesis.openapi.from_dict(console_document(app))
    schema.app = SignedConsole(app)
    schema.config.update(base_url="http://localhost")
    failures, seen = server_errors(schema, IDS, bearer)
    assert failures == []
    routes = {f"{method} {path}" for path, methods in app.routes.items() for method in methods}
    routes |= {f"OPTIONS {path}" for path in app.routes}  # CORS preflights (console.md Conventions)
    assert {route for route, _ in seen} == routes
    reached = {route for route, status in seen if status < 300}
    assert reached >= {"GET /campaigns/{campaign_id}/report", "GET /campaigns/{campaign_id}/versions",
                       "GET /partners/{partner_id}/campaigns/{campaign_id}/settlement",
                       "POST /campaigns/{campaign_id}/games/{game}/disable"}, seen
