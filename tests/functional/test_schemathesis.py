"""schemathesis on every game function's own OpenAPI document (`/openapi.json`), through the
real handler: valid and invalid requests (positive and negative generation) for every
operation, with the demo campaign's real id, real ids of a task, a packet and a booking made
first, a valid token of the role the route wants and a fresh Idempotency-Key, so requests
reach the logic (`tests/schemathesis_kit.py`: bounded in examples, derandomized). The verdict:
no 5xx, every answer as its operation documents it (status, body, headers: tests/contract.py),
and POSTs that succeed."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis

from infra.local.gateway import FunctionUrlGateway
from plugins.web import build_handler
from tests.conftest import Apply, GameClient, operator_token, token
from tests.contract import violations
from tests.functional.test_assist import open_task
from tests.functional.test_partner_coupon import load
from tests.functional.test_red_packet import order
from tests.schemathesis_kit import server_errors

ROLES = {("red-packet", "/campaigns/{campaign_id}/orders"): "brand",
         ("booking", "/campaigns/{campaign_id}/verifications"): "staff"}
"""The routes that take a token of another role than a player's."""
PLAYER = "st-player"


def seeded_ids(game: str) -> dict[str, str]:
    """Path parameters naming things that exist, made through the game's own routes."""
    client = GameClient(game)
    if game == "assist":
        return {"task_id": open_task(client, member="owner")}
    if game == "red-packet":
        return {"packet_id": order(client, "ord-st-1", "owner").body["packet_id"]}
    if game == "booking":
        booked = client.call("POST", "/campaigns/demo/bookings", member=PLAYER, key="st-seed-1",
                             body={"day": "2026-11-24", "store_id": "sh-jingan"})
        return {"booking_id": booked.body["booking_id"]}
    if game == "partner-coupon":
        load(40, type_id="cafe-latte")  # codes in the pool, so claims can succeed
        return {"type_id": "cafe-latte"}
    if game == "event-gifts":
        return {"sharer_id": "st-sharer"}  # a member who shared a link
    return {}


def bearer(role: str | None) -> str:
    credential = token(PLAYER, "st-device") if role is None else operator_token(f"st-{role}", role)
    return f"Bearer {credential}"


@pytest.mark.parametrize("game", ["lucky-wheel", "check-in", "assist", "red-packet", "booking",
                                  "partner-coupon", "points-exchange", "wallet", "event-gifts"])
def test_no_request_to_a_game_function_gets_a_5xx(apply: Apply, game: str) -> None:
    apply()
    # every function verifies draws (plugins/web/draws.py): an id of the right shape, unknown
    ids = {"campaign_id": "demo", "draw_id": "20261123040000000000000000", **seeded_ids(game)}
    gateway = FunctionUrlGateway({game: build_handler(game)})
    schema = schemathesis.openapi.from_wsgi(f"/{game}/openapi.json", gateway)
    schema.config.update(base_url=f"http://localhost/{game}")
    document = schema.raw_schema

    def conform(case: Any, response: Any) -> list[str]:
        body = response.json() if response.text else None
        headers = {name: values[-1] for name, values in response.headers.items()}
        return violations(document, case.method, case.formatted_path, response.status_code, body, headers)

    failures, seen = server_errors(schema, ids, lambda path: bearer(ROLES.get((game, path))), conform)
    assert failures == []
    assert any(200 <= status < 300 for route, status in seen if route.startswith("POST")), seen
