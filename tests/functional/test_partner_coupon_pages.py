"""The coupon center and a member's partner coupons are read a page at a time like every list:
`?limit=`, `?cursor=`, `next_cursor` until the last page, nothing lost or repeated, and a
cursor this list did not give is 400 MALFORMED_REQUEST."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

from plugins.store import CouponItem, keys
from tests.conftest import Apply, GameClient
from tests.functional.test_partner_coupon import COFFEE, claim, load, pc_doc

MINE = "/campaigns/demo/coupons/mine"
CENTER = "/campaigns/demo/coupons"
TYPES = ["coffee-a", "coffee-b", "coffee-c", "coffee-d"]


def partners() -> list[dict[str, Any]]:
    """One partner with four claimable types without per-member limits, and one not listed."""
    unlimited = COFFEE | {"per_user_per_day": None, "per_user_per_campaign": None}
    coupons = [unlimited | {"type_id": t} for t in TYPES]
    coupons.append(unlimited | {"type_id": "hidden", "claimable": False})
    return [{"id": "cafe", "name": "Cafe Partner", "quota": 50, "budget": "200.00",
             "brand_share": "0.25", "coupons": coupons}]


def walk(client: GameClient, path: str, field: str, key: str, limit: int,
         member: str | None = None) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        reply = client.call("GET", f"{path}?limit={limit}" + (f"&cursor={cursor}" if cursor else ""),
                            member=member)
        assert reply.status == 200 and len(reply.body[field]) <= limit, reply
        pages.append([item[key] for item in reply.body[field]])
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return pages


def refused(client: GameClient, path: str, member: str | None = None) -> None:
    reply = client.call("GET", path, member=member)
    assert (reply.status, reply.code) == (400, "MALFORMED_REQUEST"), (path, reply)


def test_my_coupons_are_read_a_page_at_a_time(apply: Apply, clock: list[datetime],
                                              dynamodb_calls: list[str]) -> None:
    # GIVEN five partner coupons of alice's in this campaign, over two days, and a brand
    # coupon of hers from another campaign in the same partition
    apply(pc_doc(partners()))
    client = GameClient("partner-coupon")
    for t in TYPES:
        load(5, upload=f"up-{t}", type_id=t)
    made = []
    for n, t in enumerate([*TYPES, "coffee-a"]):
        clock[0] += timedelta(hours=10)
        made.append(claim(client, "alice", key=f"claim-page-{n:02d}", type_id=t).body["coupon"]["coupon_id"])
    CouponItem(keys.member("alice"), keys.coupon("20261130ffffffffffff"), coupon_id="20261130ffffffffffff",
               member_id="alice", campaign_id="autumn", type_id="brand", origin="award",
               issued_at=clock[0], valid_from=clock[0], valid_until=clock[0] + timedelta(days=9),
               terms={"kind": "cash_voucher"}).save()
    # WHEN she reads them two at a time (each page one Query)
    dynamodb_calls.clear()
    pages = walk(client, MINE, "coupons", "coupon_id", 2, member="alice")
    assert dynamodb_calls == ["Query"] * len(pages)
    # THEN each of her partner coupons comes once (a page may be short: the other campaign's
    # coupon was read and left out), the newest day first
    listed = [coupon for page in pages for coupon in page]
    assert sorted(listed) == sorted(made) and len(listed) == len(made)
    assert len(pages) >= 3 and listed[0] == made[-1]
    # AND another member's cursor, another list's of hers, or a garbled one is 400
    cursor = client.call("GET", f"{MINE}?limit=1", member="alice").body["next_cursor"]
    assert cursor
    refused(client, f"{MINE}?cursor={cursor}", member="bob")
    refused(client, f"{MINE}?cursor=%%%", member="alice")
    refused(client, f"{CENTER}?cursor={cursor}")


def test_the_coupon_center_is_read_a_page_at_a_time(apply: Apply) -> None:
    # GIVEN a center of four claimable coupon types (and one not listed)
    apply(pc_doc(partners()))
    client = GameClient("partner-coupon")
    # WHEN anyone reads it three at a time
    pages = walk(client, CENTER, "coupons", "type_id", 3)
    # THEN every claimable type comes once, in the config's order, each page with its heading
    assert pages == [TYPES[:3], TYPES[3:]]
    page = client.call("GET", f"{CENTER}?limit=3").body
    assert page["campaign_id"] == "demo" and page["timezone"] == "Asia/Shanghai"
    # AND a garbled cursor, a forged position, or one of an older config version is 400
    refused(client, f"{CENTER}?cursor=garbled")
    forged = base64.urlsafe_b64encode(json.dumps(  # a position past the list
        {"pk": {"S": "C#demo#CENTER#v1"}, "sk": {"S": "9"}}).encode()).decode()
    refused(client, f"{CENTER}?cursor={forged}")
    last = client.call("GET", f"{CENTER}?cursor={page['next_cursor']}").body
    assert [c["type_id"] for c in last["coupons"]] == TYPES[3:]
    apply(pc_doc(partners(), center_title="New center"))  # a new version
    refused(client, f"{CENTER}?cursor={page['next_cursor']}")
