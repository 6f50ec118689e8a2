"""A player's history is read in full, a page at a time: `?limit=` and `?cursor=`, a
`next_cursor` until the last page, one Query per page; a bad cursor or limit is 400."""

from __future__ import annotations

import pytest

from tests.conftest import Apply, GameClient

DRAWS = "/campaigns/demo/draws"


def test_the_history_reads_on_page_by_page(wheel: GameClient, dynamodb_calls: list[str]) -> None:
    made = {wheel.call("POST", DRAWS, member="hana", key=f"page-draw-{n:04d}").body["draw_id"]
            for n in range(3)}
    assert len(made) == 3
    dynamodb_calls.clear()
    first = wheel.call("GET", f"{DRAWS}?limit=2", member="hana")
    assert dynamodb_calls.count("Query") == 1
    second = wheel.call("GET", f"{DRAWS}?limit=2&cursor={first.body['next_cursor']}", member="hana")
    assert (first.status, second.status) == (200, 200)
    assert len(first.body["draws"]) == 2 and first.body["next_cursor"]
    assert len(second.body["draws"]) == 1 and second.body["next_cursor"] is None
    assert {d["draw_id"] for d in first.body["draws"] + second.body["draws"]} == made
    whole = wheel.call("GET", DRAWS, member="hana").body
    assert whole["next_cursor"] is None and len(whole["draws"]) == 3
    stamps = [d["drawn_at"] for d in whole["draws"]]
    assert stamps == sorted(stamps, reverse=True)  # one page: newest first


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "cursor=not-a-cursor"])
def test_a_bad_limit_or_cursor_is_400(wheel: GameClient, query: str) -> None:
    reply = wheel.call("GET", f"{DRAWS}?{query}", member="hana")
    assert (reply.status, reply.code) == (400, "MALFORMED_REQUEST")


def test_another_players_cursor_is_refused(wheel: GameClient) -> None:
    for n in range(2):
        wheel.call("POST", DRAWS, member="ivan", key=f"page-ivan-{n:04d}")
    cursor = wheel.call("GET", f"{DRAWS}?limit=1", member="ivan").body["next_cursor"]
    assert cursor
    reply = wheel.call("GET", f"{DRAWS}?cursor={cursor}", member="hana")
    assert (reply.status, reply.code) == (400, "MALFORMED_REQUEST")


def test_check_ins_are_paged_the_same_way(apply: object) -> None:
    apply()  # type: ignore[operator]
    check_in = GameClient("check-in")
    made = check_in.call("POST", "/campaigns/demo/check-ins", member="hana", key="page-chk-0001")
    assert made.status == 201
    reply = check_in.call("GET", "/campaigns/demo/check-ins?limit=1", member="hana")
    assert reply.status == 200 and len(reply.body["check_ins"]) == 1 and "next_cursor" in reply.body


def test_assist_tasks_are_paged(apply: Apply) -> None:
    from tests.functional.test_assist import assist_doc, open_task

    apply(assist_doc(max_open_tasks=3))
    assist = GameClient("assist")
    opened = [open_task(assist, "pia", key=f"page-task-{n:04d}") for n in range(3)]
    first = assist.call("GET", "/campaigns/demo/tasks?limit=2", member="pia").body
    second = assist.call("GET", f"/campaigns/demo/tasks?limit=2&cursor={first['next_cursor']}",
                         member="pia").body
    assert second["next_cursor"] is None
    listed = [t["task_id"] for t in first["tasks"] + second["tasks"]]
    assert sorted(listed) == sorted(opened)  # opened in one second: their ids tie on time


def test_bookings_are_paged(apply: Apply) -> None:
    from tests.functional.test_booking import book, booking_doc

    apply(booking_doc())
    booking = GameClient("booking")
    assert book(booking, "pia").status == 201
    first = booking.call("GET", "/campaigns/demo/bookings?limit=1", member="pia")
    assert first.status == 200 and len(first.body["bookings"]) == 1
    rest = booking.call("GET", f"/campaigns/demo/bookings?cursor={first.body['next_cursor']}",
                        member="pia").body if first.body["next_cursor"] else {"bookings": []}
    assert rest["bookings"] == []
    bad = booking.call("GET", "/campaigns/demo/bookings?cursor=forged", member="pia")
    assert (bad.status, bad.code) == (400, "MALFORMED_REQUEST")
