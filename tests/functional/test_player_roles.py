"""Player routes take player tokens only: a marketer's, staff's or brand system's token is
refused with 403 FORBIDDEN on every game's actions and a member's own data, and writes
nothing; the routes made for a role still take that role."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Apply, GameClient, Scan, bearer, demo_doc, operator_token, token

C = "/campaigns/demo"
TASK, PACKET, BOOKING = "20261123040000abcdefabcdef", "20261123040000abcdefabcdef", "0123456789abcdef"
PLAYER_ROUTES: list[tuple[str, str, str, Any]] = [
    ("lucky-wheel", "GET", C, None),
    ("lucky-wheel", "POST", f"{C}/draws", None),
    ("lucky-wheel", "GET", f"{C}/draws", None),
    ("check-in", "GET", C, None),
    ("check-in", "POST", f"{C}/check-ins", None),
    ("check-in", "POST", f"{C}/make-ups", {"day": "2026-11-22"}),
    ("check-in", "GET", f"{C}/check-ins", None),
    ("assist", "POST", f"{C}/tasks", None),
    ("assist", "GET", f"{C}/tasks", None),
    ("assist", "GET", f"{C}/tasks/{TASK}", None),
    ("assist", "POST", f"{C}/tasks/{TASK}/helps", None),
    ("red-packet", "GET", C, None),
    ("red-packet", "POST", f"{C}/packets", None),
    ("red-packet", "GET", f"{C}/packets", None),
    ("red-packet", "POST", f"{C}/packets/{PACKET}/grabs", None),
    ("booking", "POST", f"{C}/bookings", {"day": "2026-11-24"}),
    ("booking", "GET", f"{C}/bookings", None),
    ("booking", "POST", f"{C}/bookings/{BOOKING}/cancel", None),
    ("partner-coupon", "POST", f"{C}/coupons/cafe-latte/claims", None),
    ("partner-coupon", "GET", f"{C}/coupons/mine", None),
]


def _bearer(role: str | None, member: str = "alice") -> dict[str, str]:
    return bearer(token(member, "phone-1") if role is None else operator_token(member, role))


@pytest.mark.parametrize(("game", "method", "path", "body"), PLAYER_ROUTES,
                         ids=[f"{g} {m} {p.removeprefix(C) or '/'}" for g, m, p, _ in PLAYER_ROUTES])
def test_a_token_with_a_role_cannot_act_or_read_as_a_player(
        apply: Apply, scan: Scan, game: str, method: str, path: str, body: Any) -> None:
    apply(demo_doc())
    client = GameClient(game)
    before = scan()
    for role in ("marketer", "staff", "brand"):
        # a staff member whose id is a member's id still cannot spend that member's chances
        reply = client.call(method, path, body=body, key=f"role-{role}-0001", headers=_bearer(role))
        assert (reply.status, reply.code) == (403, "FORBIDDEN"), (role, reply)
        assert role in reply.body["error"]["message"]
    assert scan() == before


def test_the_routes_for_a_role_take_that_role_and_refuse_players(apply: Apply) -> None:
    apply(demo_doc())
    order = {"order_id": "o-roles-1", "member_id": "alice", "amount": "199.00"}
    packets = GameClient("red-packet")
    assert packets.call("POST", f"{C}/orders", body=order, headers=_bearer(None)).code == "FORBIDDEN"
    assert packets.call("POST", f"{C}/orders", body=order, headers=_bearer("staff")).code == "FORBIDDEN"
    assert packets.call("POST", f"{C}/orders", body=order, headers=_bearer("brand", "crm")).status == 201

    booking = GameClient("booking")
    verify = {"code": "NOSUCH"}
    assert booking.call("POST", f"{C}/verifications", body=verify, headers=_bearer(None)).code == "FORBIDDEN"
    assert booking.call("POST", f"{C}/verifications", body=verify,
                        headers=_bearer("brand")).code == "FORBIDDEN"
    found = booking.call("POST", f"{C}/verifications", body=verify, headers=_bearer("staff", "s1"),
                         key="verify-0001")
    assert (found.status, found.code) == (404, "CODE_NOT_FOUND")
