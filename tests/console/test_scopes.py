"""Operators stay in their lane: a marketer runs only the campaigns her credential names (an
admin runs all), staff verify only at their stores, and a refusal writes nothing."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from plugins.campaigns.model import parse_campaign
from plugins.errors import ConfigInvalidError
from plugins.store import CouponItem, keys
from tests.conftest import GameClient, Scan, bearer, demo_doc, operator_token, won_coupon
from tests.console.conftest import Console, code_of
from tests.functional.test_booking import SECTION

AUTUMN = bearer(operator_token("mia", "marketer", campaigns=("autumn",)))
UNBOUND = bearer(operator_token("mia", "marketer", campaigns=()))


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/campaigns/demo/versions", None),
    ("GET", "/campaigns/demo/report", None),
    ("POST", "/campaigns/demo/games/lucky-wheel/disable", None),
    ("POST", "/campaigns/demo/disable", None),
    ("POST", "/campaigns/demo/segments/vip/members", {"members": ["ann"]}),
    ("POST", "/campaigns", demo_doc(name="Taken over")),
])
@pytest.mark.parametrize("credential", [AUTUMN, UNBOUND], ids=["another campaign's", "unbound"])
def test_a_marketer_cannot_touch_a_campaign_she_does_not_run(
        console: Console, apply: Any, scan: Scan, method: str, path: str, body: Any,
        credential: dict[str, str]) -> None:
    apply()
    before = scan()
    reply = console.call(method, path, headers=credential, body=body)
    assert (reply.status_code, code_of(reply)) == (403, "FORBIDDEN")
    assert scan() == before


def test_a_marketer_runs_hers_and_an_admin_runs_all(console: Console, apply: Any) -> None:
    apply()
    mine = console.call("GET", "/campaigns/demo/versions")  # bound to demo
    assert mine.status_code == 200
    autumn = demo_doc(name="Autumn") | {"id": "autumn"}
    assert console.call("POST", "/campaigns", headers=AUTUMN, body=autumn).status_code == 201
    for path in ("/campaigns/demo/versions", "/campaigns/autumn/versions"):
        assert console.call("GET", path, role="admin").status_code == 200
    counter = console.call("POST", "/coupons/verify", role="admin",
                           body={"member_id": "alice", "coupon_id": "c-1"})
    assert (counter.status_code, code_of(counter)) == (403, "FORBIDDEN")  # an admin is no staff


def test_staff_verify_only_at_their_stores(console: Console, apply: Any, scan: Scan) -> None:
    apply(demo_doc(games={"booking": SECTION}))
    booked = GameClient("booking").call("POST", "/campaigns/demo/bookings",
                                        body={"day": "2026-11-23"}, member="ann", key="bk-ann-01")
    body = {"campaign_id": "demo", "code": booked.body["code"]}
    before = scan()
    for credential in (operator_token("sam", "staff", stores=("sh-99",)),
                       operator_token("sam", "staff", campaigns=("autumn",)),
                       operator_token("sam", "staff", stores=())):
        refused = console.call("POST", "/bookings/verify", headers=bearer(credential), body=body)
        assert (refused.status_code, code_of(refused)) == (403, "FORBIDDEN")
    assert scan() == before
    own = operator_token("sam", "staff", stores=(booked.body["store_id"],), campaigns=("demo",))
    done = console.call("POST", "/bookings/verify", headers=bearer(own), body=body)
    assert (done.status_code, done.data["verified_by"]) == (200, "sam")


def test_a_coupon_is_redeemed_only_where_its_scope_and_the_staffs_binding_allow(
        console: Console, apply: Any, scan: Scan) -> None:
    coupon_id = won_coupon(apply, usage={"stores": ["sh-jingan"]})["coupon_id"]
    body = {"member_id": "alice", "coupon_id": coupon_id}
    before = scan()
    for credential, sent, expected in [
        (operator_token("sam", "staff", stores=("sh-xuhui",)), body, (403, "COUPON_NOT_USABLE_HERE")),
        (operator_token("sam", "staff", stores=("sh-xuhui",)), body | {"store_id": "sh-jingan"},
         (403, "FORBIDDEN")),  # not his store
        (operator_token("sam", "staff", stores=("sh-jingan", "sh-xuhui")), body,
         (400, "MALFORMED_REQUEST")),  # which of his stores?
        (operator_token("sam", "staff", stores=("sh-jingan",), campaigns=("autumn",)), body,
         (403, "FORBIDDEN")),
    ]:
        refused = console.call("POST", "/coupons/verify", headers=bearer(credential), body=sent)
        assert (refused.status_code, code_of(refused)) == expected, refused.data
    assert scan() == before
    jingan = operator_token("sam", "staff", stores=("sh-jingan",))
    done = console.call("POST", "/coupons/verify", headers=bearer(jingan), body=body)
    assert (done.status_code, done.data["store_id"], done.data["verified_by"]) == (200, "sh-jingan", "sam")
    stored = CouponItem.get(keys.member("alice"), keys.coupon(coupon_id))
    assert (stored.state, stored.redeemed_by, stored.redeemed_store) == ("redeemed", "sam", "sh-jingan")


def test_a_coupon_limited_to_a_city_is_redeemed_only_at_that_citys_stores(
        console: Console, apply: Any, scan: Scan) -> None:
    # GIVEN alice won a voucher valid in Beijing only (the demo lists bj-01 in Beijing)
    coupon_id = won_coupon(apply, usage={"cities": ["beijing"]})["coupon_id"]
    body = {"member_id": "alice", "coupon_id": coupon_id}
    before = scan()
    # WHEN staff of a Shanghai store or of a store the campaign does not list redeem it
    for store in ("sh-jingan", "gz-01"):
        staff = operator_token("sam", "staff", stores=(store,))
        refused = console.call("POST", "/coupons/verify", headers=bearer(staff), body=body)
        # THEN it is refused, and nothing is written
        assert (refused.status_code, code_of(refused)) == (403, "COUPON_NOT_USABLE_HERE"), store
        assert "beijing" in refused.data["error"]["message"]
    assert scan() == before
    # AND staff in Beijing redeem it
    beijing = operator_token("bo", "staff", stores=("bj-01",))
    done = console.call("POST", "/coupons/verify", headers=bearer(beijing), body=body)
    assert (done.status_code, done.data["store_id"]) == (200, "bj-01")


def test_a_city_no_listed_store_is_in_is_a_config_error() -> None:
    doc = demo_doc()
    coupon = next(p["reward"] for p in doc["games"]["lucky-wheel"]["prizes"]
                  if p.get("reward", {}).get("type") == "coupon")
    coupon["usage"] = {"cities": ["Beijing"]}  # the stores say "beijing"
    with pytest.raises(ConfigInvalidError) as invalid:
        parse_campaign(doc)
    [problem] = invalid.value.details["errors"]
    assert problem.startswith("games.lucky-wheel.prizes.") and "usage.cities" in problem
    assert "'Beijing'" in problem
    doc["stores"] = [*doc["stores"], {"id": "bj-02", "name": "Guomao", "city": "Beijing"}]
    assert parse_campaign(doc).config.city_of("bj-02") == "Beijing"


def test_an_admin_reads_who_did_what(console: Console, apply: Any, clock: list[datetime]) -> None:
    coupon_id = won_coupon(apply)["coupon_id"]
    assert console.call("POST", "/campaigns/demo/games/assist/disable").status_code == 200
    clock[0] += timedelta(minutes=1)
    redeemed = console.call("POST", "/coupons/verify", role="staff",
                            body={"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"})
    assert redeemed.status_code == 200
    log = console.call("GET", "/campaigns/demo/operations", role="admin")
    assert log.status_code == 200
    done = [(entry["by"], entry["kind"]) for entry in log.data["operations"]]
    assert done == [("mia", "coupons/verify"), ("mia", "campaigns/switch")]  # newest first
    assert log.data["operations"][0]["result"]["coupon_id"] == coupon_id
    mine = console.call("GET", "/campaigns/demo/operations")  # a marketer's credential
    assert (mine.status_code, code_of(mine)) == (403, "FORBIDDEN")


def test_who_did_what_is_read_a_page_at_a_time(console: Console, apply: Any,
                                              clock: list[datetime]) -> None:
    # GIVEN five switches of the campaign, a minute apart
    apply()
    for n in range(5):
        clock[0] += timedelta(minutes=1)
        action = "disable" if n % 2 == 0 else "enable"
        assert console.call("POST", f"/campaigns/demo/games/assist/{action}").status_code == 200
    # WHEN an admin reads two at a time, following the cursor
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        got = console.call("GET", f"/campaigns/demo/operations{query}", role="admin")
        assert got.status_code == 200, got.data
        seen += [entry["at"] for entry in got.data["operations"]]
        cursor, pages = got.data["next_cursor"], pages + 1
        if cursor is None:
            break
    # THEN every entry comes once, newest first, in three pages, at the campaign's local time
    assert len(seen) == 5 and seen == sorted(seen, reverse=True) and pages == 3
    assert {datetime.fromisoformat(at).utcoffset() for at in seen} == {timedelta(hours=8)}
    assert datetime.fromisoformat(seen[0]) == clock[0]
    first = console.call("GET", "/campaigns/demo/operations?limit=2", role="admin")
    # AND a cursor that is not this list's, or a bad limit, is 400, not an error of DynamoDB's
    forged = base64.urlsafe_b64encode(json.dumps(
        {"pk": {"S": "M#alice"}, "sk": {"S": "CPN#"}}).encode()).decode()  # another partition
    for query in ("?cursor=not-a-cursor", f"?cursor={forged}", "?limit=0", "?limit=101", "?limit=ten"):
        bad = console.call("GET", f"/campaigns/demo/operations{query}", role="admin")
        assert (bad.status_code, code_of(bad)) == (400, "MALFORMED_REQUEST"), query
    apply(demo_doc(id="autumn"))  # another campaign's log: the cursor is not of its list
    autumn = console.call("GET", f"/campaigns/autumn/operations?cursor={first.data['next_cursor']}",
                          role="admin")
    assert (autumn.status_code, code_of(autumn)) == (400, "MALFORMED_REQUEST")
    versions = console.call("GET", f"/campaigns/demo/versions?cursor={first.data['next_cursor']}",
                            role="admin")  # nor of another list of the same campaign
    assert (versions.status_code, code_of(versions)) == (400, "MALFORMED_REQUEST")
