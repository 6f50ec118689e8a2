"""schemathesis on the console's API, from the console's own OpenAPI document: the one it
serves at `GET /openapi.json` (plugins/console/openapi.py: bodies, answers and errors per
operation), loaded through the app itself. Cases go through chalice's LocalGateway (what
`chalice local` serves) with the demo campaign's real ids, a token of the role each route
wants, and partner routes signed as a partner's client signs them, so requests reach the logic
(`tests/schemathesis_kit.py`: bounded in examples, derandomized). The verdict: no 5xx, every
answer as its operation documents it (status, body, headers: tests/contract.py), every route
the console serves documented and tried, the reads and a switch answered; every path answers
its CORS preflight."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from typing import Any

import pytest
import schemathesis
from chalice.config import Config
from chalice.local import LocalGateway
from werkzeug.wrappers import Request, Response

from plugins.console.partner_auth import sign
from plugins.runtime import runtime
from tests.conftest import Apply, operator_token
from tests.contract import violations
from tests.functional.test_partner_coupon import load
from tests.schemathesis_kit import server_errors

KEYS = {"cafe": "cafe-secret-0123456789"}
IDS = {"campaign_id": "demo", "game": "lucky-wheel", "partner_id": "cafe", "type_id": "cafe-latte",
       "version": "1", "segment": "vip"}


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
    role = "staff" if path.endswith("/verify") else "admin" if path.endswith("/operations") else "marketer"
    return "Bearer " + operator_token(f"st-{role}", role)


def test_no_request_to_the_console_gets_a_5xx(apply: Apply, monkeypatch: pytest.MonkeyPatch) -> None:
    from functions.console.app import app

    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps(KEYS))
    monkeypatch.setenv("MGAMES_WEBHOOK_SECRETS", "{}")  # partners' own webhook secrets, kept locally
    apply()
    load(40, type_id="cafe-latte")
    console = SignedConsole(app)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", console)  # served by the console
    schema.config.update(base_url="http://localhost")
    document = schema.raw_schema

    def conform(case: Any, response: Any) -> list[str]:
        headers = {name: values[-1] for name, values in response.headers.items()}
        media = {k.lower(): v for k, v in headers.items()}.get("content-type", "application/json")
        body = response.json() if response.text and media.startswith("application/json") else None
        return violations(document, case.method, case.formatted_path, response.status_code, body, headers)

    failures, seen = server_errors(schema, IDS, bearer, conform)
    assert failures == []
    documented = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}
    served = {f"{method} {path}" for path, methods in app.routes.items() for method in methods}
    assert documented == served - {"GET /openapi.json"}  # every route the console serves
    assert {route for route, _ in seen} == documented
    reached = {route for route, status in seen if status < 300}
    assert reached >= {"GET /campaigns/{campaign_id}/report", "GET /campaigns/{campaign_id}/versions",
                       "GET /partners/{partner_id}/campaigns/{campaign_id}/settlement",
                       "POST /campaigns/{campaign_id}/games/{game}/disable"}, seen
    for path in app.routes:  # the CORS preflights (console.md Conventions), not operations
        concrete = path.format(**IDS)
        answer = console.gateway.handle_request("OPTIONS", concrete, {"origin": "https://console.example",
                                                "access-control-request-method": "POST"}, None)
        assert answer["statusCode"] == 200, (path, answer)
