"""Booking invariants under 64 concurrent threads, on the local DynamoDB in both its modes
(atomic, realistic): never more booked than the day's quantity across shards, one booking per
member and day, a cancel gives its unit back once, a code verifies once."""

from __future__ import annotations

from collections import Counter
from functools import partial

import pytest

from games.booking.items import BookingItem, CodeItem
from tests.conftest import BOTH_MODES, THREADS, Apply, Crowd, GameClient
from tests.functional.test_booking import (
    TODAY,
    book,
    booking_doc,
    cancel,
    remaining,
    verify_code,
)

pytestmark = [pytest.mark.slow, BOTH_MODES]


def bookings() -> list[BookingItem]:
    return list(BookingItem.scan(BookingItem.sk.startswith("BKB#demo#")))


def test_64_members_on_20_units_over_4_shards(apply: Apply, crowd: Crowd) -> None:
    apply(booking_doc(day_quantity=20, shards=4))
    bk = GameClient("booking")
    replies = crowd([partial(book, bk, f"m-{i}") for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 20,
                                                            (409, "SOLD_OUT"): THREADS - 20}
    assert remaining() == 0
    stored = bookings()
    assert len(stored) == 20 and len({b.code for b in stored}) == 20
    assert len(list(CodeItem.scan(CodeItem.pk.startswith("C#demo#BKC#")))) == 20
    assert Counter(int(b.shard) for b in stored) == {0: 5, 1: 5, 2: 5, 3: 5}
    assert bk.call("GET", "/campaigns/demo").body["sold_out_today"] is True


def test_one_member_with_64_keys_books_once(apply: Apply, crowd: Crowd) -> None:
    apply(booking_doc())
    bk = GameClient("booking")
    replies = crowd([partial(book, bk, "greedy", key=f"greedy-{i:04d}") for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 1,
                                                            (409, "ALREADY_BOOKED"): THREADS - 1}
    assert len(bookings()) == 1 and remaining() == 19


def test_concurrent_cancels_return_the_unit_once(apply: Apply, crowd: Crowd) -> None:
    apply(booking_doc())
    bk = GameClient("booking")
    booked = book(bk, "ann").body
    replies = crowd([partial(cancel, bk, "ann", booked["booking_id"], key=f"cancel-{i:04d}")
                    for i in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(201, None): 1,
                                                            (409, "BOOKING_CANCELLED"): THREADS - 1}
    assert remaining() == 20


def test_concurrent_verifies_succeed_once(apply: Apply, crowd: Crowd) -> None:
    apply(booking_doc())
    bk = GameClient("booking")
    code = book(bk, "ann").body["code"]
    replies = crowd([lambda: verify_code(bk, code) for _ in range(THREADS)])
    crowd.assert_contended()
    assert Counter((r.status, r.code) for r in replies) == {(200, None): 1,
                                                            (409, "ALREADY_PICKED_UP"): THREADS - 1}
    assert [b.state for b in bookings()] == ["picked_up"]
    assert bookings()[0].day == TODAY
