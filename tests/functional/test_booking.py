"""Hot-item booking: booking, one per day, cancel once, staff verify once, expiry with and
without resell, the error envelope writing nothing, DynamoDB calls per action counted."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from games.booking import expire_due, verify
from games.booking.items import BookingItem, booking_key, stock_key
from plugins.identity.callers import Operator
from plugins.runtime import runtime
from plugins.store import AllowanceItem
from tests.conftest import NOW, Apply, GameClient, Reply, bearer, demo_doc, operator_token, token

CAMPAIGN = "/campaigns/demo"
BOOKINGS = f"{CAMPAIGN}/bookings"
TODAY = "2026-11-23"  # NOW is 12:00 in Asia/Shanghai, a Monday
SECTION: dict[str, Any] = {
    "item": {"id": "moutai", "name": "Moutai 500ml", "image": "https://img.example/m.png"},
    "price": "1499.00", "day_quantity": 20, "shards": 4,
    "booking": {"days_ahead": 2, "from_hour": 9, "until_hour": 21},
    "pickup": {"days": 1, "from_hour": 10, "until_hour": 20},
    "fulfilment": {"method": "store", "stores": [{"id": "sh-01", "name": "Jing'an"}]},
}


def booking_doc(**changes: Any) -> dict[str, Any]:
    return demo_doc(games={"booking": SECTION | changes})


def staff_headers(role: str | None = "staff") -> dict[str, str]:
    return bearer(token("staff-1") if role is None else operator_token("staff-1", role))


def book(client: GameClient, member: str, day: str = TODAY, key: str | None = None) -> Reply:
    return client.call("POST", BOOKINGS, body={"day": day}, member=member,
                       key=key or f"bk-{member}-{day}")


def cancel(client: GameClient, member: str, booking_id: str, key: str | None = None) -> Reply:
    return client.call("POST", f"{BOOKINGS}/{booking_id}/cancel", member=member,
                       key=key or f"cx-{member}-{booking_id}")


def verify_code(client: GameClient, code: str, role: str | None = "staff") -> Reply:
    return client.call("POST", f"{CAMPAIGN}/verifications", body={"code": code},
                       headers=staff_headers(role), key=uuid.uuid4().hex)


def remaining(day: str = TODAY, shards: int = 4) -> int:
    return sum(int(AllowanceItem.get(*stock_key("demo", day, s), consistent_read=True).remaining)
               for s in range(shards))


def stored(member: str, booking_id: str) -> BookingItem:
    return BookingItem.get(*booking_key(member, "demo", booking_id), consistent_read=True)


@pytest.fixture
def bk(apply: Apply) -> GameClient:
    apply(booking_doc())
    return GameClient("booking")


def test_page_shows_item_price_and_windows(bk: GameClient) -> None:
    page = bk.call("GET", CAMPAIGN).body
    assert page["item"]["name"] == "Moutai 500ml" and page["price"] == "1499.00"
    assert page["pickup"]["until_hour"] == 20 and page["fulfilment"]["method"] == "store"
    assert (page["today"], page["sold_out_today"]) == (TODAY, False)


def test_booking_gives_a_unique_code_and_one_round_trip_once_seeded(
    bk: GameClient, dynamodb_calls: list[str],
) -> None:
    first = book(bk, "ann")
    assert first.status == 201 and first.body["state"] == "booked" and len(first.body["code"]) == 8
    assert first.body["store_id"] == "sh-01" and remaining() == 19
    # the first booking of the day seeded the shards in a step of its own
    assert dynamodb_calls.count("TransactWriteItems") == 2
    dynamodb_calls.clear()
    second = book(bk, "bob")
    assert second.status == 201 and second.body["code"] != first.body["code"]
    assert dynamodb_calls == ["TransactWriteItems"]
    # a retry replays the first answer without a second unit
    again = book(bk, "bob")
    assert again.body == second.body and again.headers["Idempotent-Replayed"] == "true"
    assert remaining() == 18
    listed = bk.call("GET", BOOKINGS, member="bob").body["bookings"]
    assert [b["booking_id"] for b in listed] == [second.body["booking_id"]]


def test_one_booking_per_day_or_per_campaign(bk: GameClient, apply: Apply) -> None:
    assert book(bk, "ann").status == 201
    repeat = book(bk, "ann", key="bk-ann-second")
    assert (repeat.status, repeat.code) == (409, "ALREADY_BOOKED")
    assert book(bk, "ann", "2026-11-24").status == 201  # another day is fine
    apply(booking_doc(limit_per="campaign"))
    assert book(bk, "cal").status == 201
    assert book(bk, "cal", "2026-11-24").code == "ALREADY_BOOKED"
    assert remaining() == 18


def test_cancel_returns_the_unit_once_and_frees_the_day(bk: GameClient, dynamodb_calls: list[str]) -> None:
    booked = book(bk, "ann").body
    dynamodb_calls.clear()
    done = cancel(bk, "ann", booked["booking_id"])
    assert (done.status, done.body["state"]) == (201, "cancelled")
    assert dynamodb_calls == ["BatchGetItem", "TransactWriteItems"]  # the read names the shard
    assert remaining() == 20
    assert cancel(bk, "ann", booked["booking_id"]).headers["Idempotent-Replayed"] == "true"
    twice = cancel(bk, "ann", booked["booking_id"], key="cx-other-key")
    assert (twice.status, twice.code) == (409, "BOOKING_CANCELLED")
    assert remaining() == 20
    assert verify_code(bk, booked["code"]).code == "BOOKING_CANCELLED"
    assert book(bk, "ann", key="bk-ann-again").status == 201  # the day is free again


def test_staff_verify_once_within_the_pickup_window(
    bk: GameClient, clock: list[datetime], dynamodb_calls: list[str],
) -> None:
    booked = book(bk, "ann").body
    dynamodb_calls.clear()
    done = verify_code(bk, booked["code"].lower())
    assert (done.status, done.body["state"], done.body["member_id"]) == (200, "picked_up", "ann")
    assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
    assert verify_code(bk, booked["code"]).code == "ALREADY_PICKED_UP"
    after = cancel(bk, "ann", booked["booking_id"])
    assert (after.status, after.code) == (409, "ALREADY_PICKED_UP")
    assert stored("ann", booked["booking_id"]).verified_by == "staff-1"
    assert remaining() == 19
    # tomorrow's booking cannot be picked up today
    early = book(bk, "bob", "2026-11-24").body
    assert verify_code(bk, early["code"]).code == "PICKUP_NOT_OPEN"


def test_service_verify_is_a_plain_function(bk: GameClient) -> None:
    code = book(bk, "ann").body["code"]
    campaign = runtime.configs.get("demo")
    out = verify(campaign, code, Operator("staff-9", "staff", frozenset({"sh-01"})), NOW, "till-0001")
    assert out.result["state"] == "picked_up" and out.result["verified_by"] == "staff-9"
    assert not out.replayed


@pytest.mark.parametrize("resell", [False, True])
def test_expiry_lazy_then_swept_once(apply: Apply, clock: list[datetime], resell: bool) -> None:
    # pick-up 10:00-13:00 while bookings run to 21:00: an expired unit may be resold today
    apply(booking_doc(resell_expired=resell, pickup={"days": 1, "from_hour": 10, "until_hour": 13}))
    bk = GameClient("booking")
    booked = book(bk, "ann").body
    kept = book(bk, "bob").body
    assert verify_code(bk, kept["code"]).status == 200
    assert expire_due(clock[0]) == 0
    clock[0] = NOW + timedelta(hours=2)  # 14:00 local
    assert bk.call("GET", BOOKINGS, member="ann").body["bookings"][0]["state"] == "expired"
    assert verify_code(bk, booked["code"]).code == "BOOKING_EXPIRED"
    assert cancel(bk, "ann", booked["booking_id"]).code == "BOOKING_EXPIRED"
    assert remaining() == 18
    assert expire_due(clock[0]) == 1
    assert expire_due(clock[0]) == 0
    assert stored("ann", booked["booking_id"]).state == "expired"
    assert stored("bob", kept["booking_id"]).state == "picked_up"
    assert remaining() == (19 if resell else 18)


def test_resell_does_not_return_a_past_day(apply: Apply, clock: list[datetime]) -> None:
    apply(booking_doc(resell_expired=True))
    bk = GameClient("booking")
    book(bk, "ann")
    clock[0] = NOW + timedelta(days=1)
    assert expire_due(clock[0]) == 1
    assert remaining() == 19


def test_total_quantity_caps_every_day(apply: Apply) -> None:
    apply(booking_doc(total_quantity=2, shards=1))
    bk = GameClient("booking")
    assert book(bk, "ann").status == 201
    assert book(bk, "bob", "2026-11-24").status == 201
    late = book(bk, "cal", "2026-11-25")
    assert (late.status, late.code) == (409, "SOLD_OUT")
