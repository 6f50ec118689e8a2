"""A player's own packets and grabs are read a page at a time like every list, newest first;
every time a packet shows is the campaign's local time with its offset."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import Apply, GameClient
from tests.functional.test_red_packet import GRABS, PACKETS, grab, order, rp_doc


@pytest.fixture
def rp(apply: Apply) -> GameClient:
    apply(rp_doc())
    return GameClient("red-packet")


def walk(client: GameClient, path: str, field: str, member: str, limit: int) -> list[list[str]]:
    """Every page of a player's list, `limit` at a time: the packet ids of each page."""
    pages, cursor = [], None
    while True:
        reply = client.call("GET", f"{path}?limit={limit}" + (f"&cursor={cursor}" if cursor else ""),
                            member=member)
        assert reply.status == 200 and len(reply.body[field]) <= limit, reply
        pages.append([item["packet_id"] for item in reply.body[field]])
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return pages


def test_the_lists_are_read_a_page_at_a_time(rp: GameClient, clock: list[datetime]) -> None:
    # GIVEN five packets of gus's orders and three grabs of his, a minute apart
    made, grabbed = [], []
    for n in range(5):
        clock[0] += timedelta(minutes=1)
        made.append(order(rp, f"ord-page-{n}", "gus").body["packet_id"])
    for n in range(3):
        clock[0] += timedelta(minutes=1)
        other = order(rp, f"ord-other-{n}", f"owner-{n}").body["packet_id"]
        assert grab(rp, other, "gus").status == 201
        grabbed.append(other)
    # WHEN he reads each list two at a time
    packets, grabs = walk(rp, PACKETS, "packets", "gus", 2), walk(rp, GRABS, "grabs", "gus", 2)
    # THEN every item comes once, newest first across pages, nothing lost
    assert [len(p) for p in packets] == [2, 2, 1] and [i for p in packets for i in p] == made[::-1]
    assert [i for p in grabs for i in p] == grabbed[::-1] and len(grabs) == 2
    # AND a cursor of his other list, of another player's list, or a garbled one is 400
    first = rp.call("GET", f"{GRABS}?limit=1", member="gus").body["next_cursor"]
    assert first
    for path, member in ((f"{PACKETS}?cursor={first}", "gus"), (f"{GRABS}?cursor={first}", "owner-0"),
                         (f"{PACKETS}?cursor=bm90LWEtY3Vyc29y", "gus")):
        bad = rp.call("GET", path, member=member)
        assert (bad.status, bad.code) == (400, "MALFORMED_REQUEST"), path


def test_every_time_is_the_campaigns_local_time(rp: GameClient) -> None:
    made = order(rp, "ord-times", "gus").body
    taken = grab(rp, made["packet_id"], "hal").body
    page = rp.call("GET", f"{PACKETS}/{made['packet_id']}", member="gus").body
    own = rp.call("GET", PACKETS, member="gus").body["packets"][0]
    got = rp.call("GET", GRABS, member="hal").body["grabs"][0]
    stamps = [made["created_at"], made["expires_at"], taken["grabbed_at"], page["created_at"],
              page["expires_at"], page["grabs"][0]["at"], own["at"], own["expires_at"], got["at"],
              got["expires_at"]]
    assert {datetime.fromisoformat(s).utcoffset() for s in stamps} == {timedelta(hours=8)}, stamps
    assert page["grabs"][0]["at"] == taken["grabbed_at"] and page["expires_at"] == made["expires_at"]
