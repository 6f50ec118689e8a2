"""Every refusal of the booking answers the shared envelope with a 4xx and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import NOW, Apply, GameClient, Scan, bearer, operator_token
from tests.functional.test_booking import BOOKINGS, CAMPAIGN, TODAY, book, booking_doc, cancel, verify_code

Case = Callable[[GameClient, dict[str, Any]], Any]

CASES: dict[str, tuple[Case, int, str]] = {
    "no token": (lambda c, s: c.call("POST", BOOKINGS, body={"day": TODAY}, key="k-00000001"),
                 401, "TOKEN_MISSING"),
    "no key": (lambda c, s: c.call("POST", BOOKINGS, body={"day": TODAY}, member="ann"),
               400, "IDEMPOTENCY_KEY_MISSING"),
    "bad day": (lambda c, s: c.call("POST", BOOKINGS, body={"day": "23/11"}, member="ann",
                                    key="k-00000002"), 400, "MALFORMED_REQUEST"),
    "past day": (lambda c, s: book(c, "ann", "2026-11-22"), 422, "DAY_NOT_BOOKABLE"),
    "too far ahead": (lambda c, s: book(c, "ann", "2026-11-26"), 422, "DAY_NOT_BOOKABLE"),
    "unknown store": (lambda c, s: c.call("POST", BOOKINGS, body={"day": TODAY, "store_id": "x"},
                                          member="ann", key="k-00000003"), 422, "STORE_UNKNOWN"),
    "already booked": (lambda c, s: book(c, "held", key="k-00000004"), 409, "ALREADY_BOOKED"),
    "cancel unknown": (lambda c, s: cancel(c, "ann", "0123456789abcdef"), 404, "BOOKING_NOT_FOUND"),
    "cancel someone else's": (lambda c, s: cancel(c, "ann", s["booking_id"]), 404, "BOOKING_NOT_FOUND"),
    "verify no token": (lambda c, s: c.call("POST", f"{CAMPAIGN}/verifications", body={"code": s["code"]}),
                        401, "TOKEN_MISSING"),
    "verify as player": (lambda c, s: verify_code(c, s["code"], role=None), 403, "FORBIDDEN"),
    "verify as a marketer": (lambda c, s: verify_code(c, s["code"], role="marketer"), 403,
                             "FORBIDDEN"),
    "verify by another store's staff": (lambda c, s: c.call(
        "POST", f"{CAMPAIGN}/verifications", body={"code": s["code"]},
        headers=bearer(operator_token("sam", "staff", stores=("sh-99",))), key="verify-0002"),
        403, "FORBIDDEN"),
    "verify by another campaign's staff": (lambda c, s: c.call(
        "POST", f"{CAMPAIGN}/verifications", body={"code": s["code"]},
        headers=bearer(operator_token("sam", "staff", campaigns=("autumn",)))), 403, "FORBIDDEN"),
    "verify bad code": (lambda c, s: verify_code(c, "ZZZZZZZZ"), 404, "CODE_NOT_FOUND"),
    "verify without a key": (lambda c, s: c.call(
        "POST", f"{CAMPAIGN}/verifications", body={"code": s["code"]},
        headers=bearer(operator_token("sam", "staff"))), 400, "IDEMPOTENCY_KEY_MISSING"),
    "verify no code": (lambda c, s: c.call("POST", f"{CAMPAIGN}/verifications", body={},
                                           headers={}), 400, "MALFORMED_REQUEST"),
    "not enabled": (lambda c, s: c.call("GET", "/campaigns/nope"), 404, "CAMPAIGN_NOT_FOUND"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refusals_write_nothing(apply: Apply, scan: Scan, name: str) -> None:
    apply(booking_doc())
    client = GameClient("booking")
    held = book(client, "held").body
    case, status, code = CASES[name]
    before = scan()
    reply = case(client, held)
    assert (reply.status, reply.code) == (status, code)
    assert set(reply.body) == {"error"} and reply.body["error"]["message"]
    assert scan() == before


def test_sold_out_and_outside_hours_write_nothing(apply: Apply, scan: Scan, clock: list[datetime]) -> None:
    apply(booking_doc(day_quantity=1, shards=1))
    client = GameClient("booking")
    assert book(client, "ann").status == 201
    before = scan()
    assert (book(client, "bob").status, book(client, "cal").code) == (409, "SOLD_OUT")
    assert scan() == before
    clock[0] = NOW + timedelta(hours=10)  # 22:00 local, bookings close at 21:00
    assert (book(client, "dan").status, book(client, "dan").code) == (403, "BOOKING_CLOSED")
    assert scan() == before


def test_game_not_enabled(apply: Apply) -> None:
    apply(booking_doc(enabled=False))
    reply = GameClient("booking").call("GET", CAMPAIGN)
    assert (reply.status, reply.code) == (404, "GAME_NOT_ENABLED")
