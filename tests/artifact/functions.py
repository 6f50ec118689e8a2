"""What the artifact test reads from template.yaml (functions, their environment, their IAM
grants) and what it asks of each function (events and the answers they must get)."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.events import function_url_event
from plugins.console.partner_auth import sign

EVENTS = Path(__file__).resolve().parents[1] / "events"


@dataclass(frozen=True)
class Function:
    """One AWS::Serverless::Function of the template, with its Globals applied."""

    template: dict[str, Any]
    properties: dict[str, Any]

    @property
    def handler(self) -> str:
        return str(self.properties.get("Handler") or self.template["Globals"]["Function"]["Handler"])

    @property
    def kind(self) -> str:
        """How it is invoked: url (a game), api (the console), stream or schedule."""
        if "FunctionUrlConfig" in self.properties:
            return "url"
        kinds = {e["Type"] for e in self.properties.get("Events", {}).values()}
        return "api" if "Api" in kinds else "stream" if "DynamoDB" in kinds else "schedule"

    @property
    def game(self) -> str | None:
        """The game a game function serves (None for the console and the worker)."""
        found = self.properties.get("Environment", {}).get("Variables", {}).get("MGAMES_GAME")
        return None if found is None else str(found)

    def environment(self, table: str, stack: dict[str, str]) -> dict[str, str]:
        """The function's variables, references resolved against the local stack."""
        merged = {**self.template.get("Globals", {}).get("Function", {}).get("Environment", {})
                  .get("Variables", {}), **self.properties.get("Environment", {}).get("Variables", {})}
        return {name: self._resolve(value, table, stack) for name, value in merged.items()}

    def _resolve(self, value: Any, table: str, stack: dict[str, str]) -> str:
        if not isinstance(value, dict):
            return str(value)
        ref = value.get("Ref")
        resources, parameters = self.template["Resources"], self.template.get("Parameters", {})
        if ref in resources and resources[ref]["Type"] == "AWS::DynamoDB::Table":
            return table
        if ref in stack:
            return stack[ref]
        if ref in parameters:
            return str(parameters[ref].get("Default", ""))
        return json.dumps(value)  # an intrinsic the functions do not read locally


def functions_of(template: dict[str, Any]) -> dict[str, Function]:
    return {name: Function(template, resource["Properties"])
            for name, resource in template["Resources"].items()
            if resource["Type"] == "AWS::Serverless::Function"}


def _statements(template: dict[str, Any], policy: Any) -> list[dict[str, Any]]:
    if isinstance(policy, dict) and "Ref" in policy:
        policy = template["Resources"][policy["Ref"]]["Properties"]["PolicyDocument"]
    assert isinstance(policy, dict) and "Statement" in policy, f"not an explicit policy: {policy}"
    return list(policy["Statement"])


def granted_actions(template: dict[str, Any], function: str) -> set[str]:
    """Every action the function's policies allow (explicit statements only)."""
    actions: set[str] = set()
    for policy in functions_of(template)[function].properties.get("Policies", []):
        for statement in _statements(template, policy):
            if statement["Effect"] == "Allow":
                found = statement["Action"]
                actions |= {found} if isinstance(found, str) else set(found)
    return actions


@dataclass(frozen=True)
class GameCheck:
    """A game's events, in order, and the status each must get."""

    events: list[dict[str, Any]]
    statuses: list[int]


def call(method: str, path: str, token: str, body: Any = None, key: str | None = None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    if key:
        headers["idempotency-key"] = key
    return function_url_event(method, path, headers=headers,
                              body=None if body is None else json.dumps(body))


def game_checks(player: str, brand: str, today: str) -> dict[str, GameCheck]:
    """Per game: the campaign page, one real action, the player's own list."""
    c = "/campaigns/demo"
    plans: dict[str, list[tuple[str, str, str, Any, int]]] = {
        "lucky-wheel": [("POST", f"{c}/draws", player, None, 201),
                        ("GET", f"{c}/draws", player, None, 200)],
        "check-in": [("POST", f"{c}/check-ins", player, None, 201),
                     ("GET", f"{c}/check-ins", player, None, 200)],
        "assist": [("POST", f"{c}/tasks", player, None, 201),
                   ("GET", f"{c}/tasks", player, None, 200)],
        "red-packet": [("POST", f"{c}/orders", brand,
                        {"order_id": "o-artifact-1", "member_id": "alice", "amount": "199.00"}, 201),
                       ("GET", f"{c}/packets", player, None, 200)],
        "booking": [("POST", f"{c}/bookings", player, {"day": today, "store_id": "sh-jingan"}, 201),
                    ("GET", f"{c}/bookings", player, None, 200)],
        "partner-coupon": [("POST", f"{c}/coupons/cafe-latte/claims", player, None, 201),
                           ("GET", f"{c}/coupons/mine", player, None, 200)],
        "points-exchange": [("POST", f"{c}/exchanges", player, {"item": "voucher-10"}, 201),
                            ("GET", f"{c}/exchanges", player, None, 200)],
        "event-gifts": [("POST", f"{c}/events", brand, {"event_id": "artifact-reg-1", "kind": "registration",
                                                         "member_id": "alice"}, 201)],
        "wallet": [("GET", f"{c}/points/ledger", player, None, 200),
                   ("GET", f"{c}/coupons", player, None, 200),
                   ("POST", f"{c}/visits", player, None, 204)],
    }
    checks = {}
    for game, steps in plans.items():
        page = {"partner-coupon": f"{c}/coupons", "wallet": f"{c}/points"}.get(game, c)
        events = [call("GET", page, player)]
        events += [call(method, path, token, body, key=f"artifact-{game}-{i}" if method == "POST" else None)
                   for i, (method, path, token, body, _) in enumerate(steps)]
        checks[game] = GameCheck(events, [200, *(status for *_, status in steps)])
    return checks


def _api_event(method: str, resource: str, path: str, token: str | None, body: Any = None,
               signed_by: tuple[str, str] | None = None, **parameters: str) -> dict[str, Any]:
    """API Gateway's proxy event: an operator's (bearer `token`) or a partner's (`signed_by`:
    its key id and secret, signed as partners sign)."""
    event: dict[str, Any] = json.loads((EVENTS / "api_gateway_report.json").read_text(encoding="utf-8"))
    raw = None if body is None else json.dumps(body)
    event |= {"resource": resource, "path": path, "httpMethod": method,
              "pathParameters": parameters or None, "body": raw}
    event["requestContext"] |= {"resourcePath": resource, "httpMethod": method, "path": f"/prod{path}"}
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if method != "GET":  # every write carries its Idempotency-Key
        headers["Idempotency-Key"] = f"artifact-{method.lower()}-{abs(hash(path)):x}"
    if signed_by is not None:
        stamp, nonce = str(int(time.time())), secrets.token_hex(8)
        headers |= {"X-Api-Key": signed_by[0], "X-Timestamp": stamp, "X-Nonce": nonce,
                    "X-Signature": sign(signed_by[1], method, path, stamp, nonce, (raw or "").encode())}
    for name, value in headers.items():
        event["headers"][name] = value
        event["multiValueHeaders"][name] = [value]
    return event


def apply_event(marketer: str, campaign: dict[str, Any]) -> dict[str, Any]:
    """`POST /campaigns` of the console, through API Gateway's proxy event."""
    return _api_event("POST", "/campaigns", "/campaigns", marketer, body=campaign)


PARTNER_KEY = ("cafe", "artifact-cafe-key-0123456789")
"""The demo partner's API key, put in the stack's partner keys before the console runs."""


def console_events(marketer: str, campaign: dict[str, Any]) -> list[dict[str, Any]]:
    """The demo's report, a new campaign applied, the report's page and the web console's; then
    the demo's partner writes its own webhook endpoints (creating their secret) and rotates it."""
    own = "/partners/{partner_id}/campaigns/{campaign_id}/webhooks"
    ids = {"partner_id": PARTNER_KEY[0], "campaign_id": "demo"}
    hooks = {"endpoints": [{"id": "crm", "url": "https://crm.example.com/hook", "events": ["reward.issued"]}]}
    return [_api_event("GET", "/campaigns/{campaign_id}/report", "/campaigns/demo/report", marketer,
                       campaign_id="demo"), apply_event(marketer, campaign),
            _api_event("GET", "/campaigns/{campaign_id}/report.html", "/campaigns/demo/report.html",
                       marketer, campaign_id="demo"),
            _api_event("GET", "/", "/", marketer),
            _api_event("POST", own, own.format(**ids), None, hooks, PARTNER_KEY, **ids),
            _api_event("POST", f"{own}/secret/rotate", f"{own.format(**ids)}/secret/rotate", None,
                       {"grace_hours": 24}, PARTNER_KEY, **ids)]


def stream_events(table: str) -> list[dict[str, Any]]:
    """What the table's stream holds so far, in Lambda's batches of 100 records."""
    from infra.local.streams import BATCH, taken

    records = taken(table)
    return [{"Records": records[start:start + BATCH]} for start in range(0, len(records), BATCH)]


def worker_events() -> list[dict[str, Any]]:
    scheduled: dict[str, Any] = json.loads((EVENTS / "scheduled.json").read_text(encoding="utf-8"))
    return [scheduled]
