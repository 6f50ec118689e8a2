"""The role x route matrix of docs/identity.md, played: every route of every game function and
of the console, called by every kind of caller, answers what the matrix says (401, 403, or
"ok": past the identity check), and a refusal writes nothing. The tables are read from the
docs, and must list every route the functions serve."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest

from plugins.clock import utc_now
from plugins.identity.tokens import mint_operator
from plugins.ids import time_ordered_id
from plugins.registry import games
from tests.conftest import ROOT, Apply, GameClient, Scan, bearer, demo_doc, operator_token, token, won_coupon
from tests.console.conftest import Console
from tests.console.test_partners import KEYS, Partners

DOC = (ROOT / "docs" / "identity.md").read_text(encoding="utf-8")
ROUTES = [tuple(cell.strip().strip("`") for cell in row.split("|")[1:5])
          for row in re.findall(r"^\| (?:console|[a-z-]+) \| (?:GET|POST) \|.*$", DOC, re.M)]
HEADER, *RULES = [row for row in DOC.splitlines() if row.startswith("| who \\ caller")
                  or re.match(r"^\| \w+(?: \w+)? \((?:game function|console)\) \|", row)]
CALLERS = [cell.strip() for cell in HEADER.split("|")[2:-1]]
EXPECTED = {cells[0].strip(): dict(zip(CALLERS, (c.strip() for c in cells[1:]), strict=True))
            for cells in (row.split("|")[1:-1] for row in RULES)}
TASK = time_ordered_id(utc_now())
PATH = {"campaign_id": "demo", "task_id": TASK, "packet_id": TASK, "booking_id": "0123456789abcdef",
        "type_id": "cafe-latte", "game": "lucky-wheel", "partner_id": "cafe", "version": "1",
        "sharer_id": "kim", "segment": "vip"}
BODIES: dict[str, Any] = {
    "/campaigns/{campaign_id}/make-ups": {"day": "2026-11-22"},
    "/campaigns/{campaign_id}/orders": {"order_id": "o-0001", "member_id": "alice",
                                        "amount": "150.00"},
    "/campaigns/{campaign_id}/bookings": {"day": "2026-11-23"},
    "/campaigns/{campaign_id}/exchanges": {"item": "not-in-the-catalogue"},  # 404: past identity
    "/campaigns/{campaign_id}/events": {"event_id": "ev-matrix", "kind": "registration", "member_id": "zoe"},
    "/campaigns/{campaign_id}/verifications": {"code": "ABCD2345"},
    "/campaigns": demo_doc(),
    "/campaigns/forecast": {"campaign_id": "demo", "players": 5, "days": 1, "runs": 1},
    "/campaigns/validate": demo_doc(),
    "/bookings/verify": {"campaign_id": "demo", "code": "ABCD2345"},
    "/partners/{partner_id}/campaigns/{campaign_id}/pools/{type_id}": {
        "upload_id": "up-1", "format": "csv", "codes": "code\nMATRIX0001\n"},
    "/partners/{partner_id}/campaigns/{campaign_id}/webhooks": {"endpoints": []},
    "/campaigns/{campaign_id}/segments/{segment}/members": {"members": ["zoe"]},
    "/partners/{partner_id}/campaigns/{campaign_id}/webhooks/secret/rotate": {"grace_hours": 24},
}


def callers(coupon_id: str) -> dict[str, dict[str, str]]:
    """A credential of each kind, minted now."""
    expired = mint_operator("mia", "marketer", now=utc_now() - timedelta(hours=3),
                            ttl=timedelta(hours=2), campaigns=("demo",))
    return {"nobody": {}, "player": bearer(token("alice")),
            "expired player": bearer(token("alice", age=timedelta(hours=3))),
            "marketer": bearer(operator_token("mia", "marketer")),
            "other campaign's marketer": bearer(operator_token("mia", "marketer", campaigns=("autumn",))),
            "admin": bearer(operator_token("ada", "admin")),
            "staff": bearer(operator_token("sam", "staff")),
            "other campaign's staff": bearer(operator_token("sam", "staff", campaigns=("autumn",))),
            "brand": bearer(operator_token("crm", "brand")), "expired operator": bearer(expired)}


def served() -> set[tuple[str, str, str]]:
    """Every (function, method, route) the game functions and the console serve."""
    found = {(name, method, rule.replace("<", "{").replace(">", "}"))
             for name, plugin in games().items()
             for (rule, methods, *_) in plugin.router._routes for method in methods}
    from functions.console.app import app

    return found | {("console", method, path) for path, entries in app.routes.items()
                    for method in entries}


def test_the_matrix_lists_every_route_and_every_caller() -> None:
    listed = [(f, m, r) for f, m, r, _ in ROUTES]
    assert len(listed) == len(set(listed)) and set(listed) == served()
    kinds = {f"{who} ({'console' if function == 'console' else 'game function'})"
             for function, _, _, who in ROUTES}
    assert kinds == set(EXPECTED) and len(CALLERS) == 10


@pytest.fixture
def coupon(apply: Apply, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo, with alice holding a coupon of the campaign (staff redeem it) and partner keys."""
    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps(KEYS))
    return str(won_coupon(apply)["coupon_id"])


@pytest.mark.parametrize(("function", "method", "route", "who"), ROUTES,
                         ids=[f"{f} {m} {r}" for f, m, r, _ in ROUTES])
def test_every_caller_gets_what_the_matrix_says(
        console: Console, coupon: str, scan: Scan, function: str, method: str, route: str,
        who: str) -> None:
    path = route.format(**PATH)
    body = BODIES.get(route)
    if route == "/coupons/verify":
        body = {"member_id": "alice", "coupon_id": coupon, "store_id": "sh-01"}
    surface = "console" if function == "console" else "game function"
    client = None if function == "console" else GameClient(function)
    for n, (caller, headers) in enumerate(callers(coupon).items()):
        expected = EXPECTED[f"{who} ({surface})"][caller]
        console.aggregate()  # the stream's aggregator is idle: a refusal can be seen writing nothing
        before = scan()
        sent = headers | {"idempotency-key": f"matrix-{n:04d}"}
        if client is None:
            reply = console.call(method, path, headers=sent, body=body)
            status = reply.status_code
        else:
            status = client.call(method, path, headers=sent, body=body).status
        if expected == "ok":
            assert status not in (401, 403), (caller, status)
        else:
            assert status == int(expected), (caller, status)
            assert scan() == before, caller  # a refusal writes nothing
    if who == "partner":  # the partner's own signature passes
        signed = Partners(console).call(method, path, "cafe", body)
        assert signed.status_code not in (401, 403), signed.data
