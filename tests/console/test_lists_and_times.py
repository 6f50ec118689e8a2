"""The console's lists are read a page at a time like every other list, and every time it
answers is the campaign's local time with its offset, never UTC: config versions, the
operations log (tests/console/test_scopes.py), a staff redemption, a partner's upload
(tests/console/test_partners.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from plugins.store import CouponItem, keys
from tests.conftest import demo_doc, won_coupon
from tests.console.conftest import Console, code_of

SHANGHAI = timedelta(hours=8)


def local(stamp: str) -> timedelta | None:
    return datetime.fromisoformat(stamp).utcoffset()


def test_versions_are_read_a_page_at_a_time_newest_first(console: Console, apply: Any,
                                                          clock: list[datetime]) -> None:
    # GIVEN five versions of the campaign, a minute apart
    for n in range(5):
        clock[0] += timedelta(minutes=1)
        apply(demo_doc(name=f"Week {n}"))
    # WHEN a marketer walks them two at a time
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        got = console.call("GET", f"/campaigns/demo/versions{query}")
        assert got.status_code == 200 and len(got.data["versions"]) <= 2, got.data
        seen += got.data["versions"]
        cursor, pages = got.data["next_cursor"], pages + 1
        if cursor is None:
            break
    # THEN each version comes once, newest first, its time in the campaign's zone
    assert [v["version"] for v in seen] == [5, 4, 3, 2, 1] and pages == 3
    assert {local(v["applied_at"]) for v in seen} == {SHANGHAI}
    assert datetime.fromisoformat(seen[0]["applied_at"]) == clock[0]
    # AND a garbled cursor, or another campaign's, is 400 with a stable code
    apply(demo_doc(id="autumn"))
    first = console.call("GET", "/campaigns/demo/versions?limit=1").data["next_cursor"]
    for path in ("/campaigns/demo/versions?cursor=%21%21garbled",
                 f"/campaigns/autumn/versions?cursor={first}"):
        bad = console.call("GET", path, role="admin")
        assert (bad.status_code, code_of(bad)) == (400, "MALFORMED_REQUEST"), path


def test_a_version_is_stamped_in_the_zone_it_ran_in(console: Console, apply: Any) -> None:
    apply(demo_doc(timezone="Europe/Berlin"))
    [version] = console.call("GET", "/campaigns/demo/versions").data["versions"]
    assert local(version["applied_at"]) == timedelta(hours=1)  # November: CET


def test_a_staff_redemption_is_stamped_in_the_campaigns_zone(console: Console, apply: Any,
                                                             clock: list[datetime]) -> None:
    coupon_id = won_coupon(apply)["coupon_id"]
    done = console.call("POST", "/coupons/verify", role="staff",
                        body={"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"})
    assert done.status_code == 200, done.data
    assert local(done.data["redeemed_at"]) == SHANGHAI
    assert datetime.fromisoformat(done.data["redeemed_at"]) == clock[0]


def test_a_coupon_issued_before_zones_were_kept_is_stamped_from_its_campaign(
        console: Console, apply: Any) -> None:
    coupon_id = won_coupon(apply)["coupon_id"]
    coupon = CouponItem.get(keys.member("alice"), keys.coupon(coupon_id))
    coupon.update(actions=[CouponItem.terms.set({k: v for k, v in coupon.terms.items() if k != "timezone"})])
    done = console.call("POST", "/coupons/verify", role="staff",
                        body={"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"})
    assert done.status_code == 200 and local(done.data["redeemed_at"]) == SHANGHAI, done.data


def test_the_operations_log_reads_no_campaign_to_stamp_its_times(console: Console, apply: Any,
                                                                 dynamodb_calls: list[str]) -> None:
    from plugins.runtime import runtime
    from plugins.store import OperationItem

    # GIVEN a switch, logged with the campaign's zone, and an entry logged before entries kept it
    apply()
    assert console.call("POST", "/campaigns/demo/games/assist/disable").status_code == 200
    OperationItem(keys.operations("demo"), keys.operation_entry("2026-11-22T00:00:00+00:00", "old1"),
                  by="mia", kind="campaigns/switch", at=datetime(2026, 11, 22, tzinfo=UTC),
                  result={}).save()
    runtime.configs.clear()
    # WHEN an admin reads the newest entry: one Query, no read of the campaign
    dynamodb_calls.clear()
    newest = console.call("GET", "/campaigns/demo/operations?limit=1", role="admin").data
    assert dynamodb_calls == ["Query"] and local(newest["operations"][0]["at"]) == SHANGHAI
    # AND the older entry is stamped from the campaign's config all the same
    older = console.call("GET", f"/campaigns/demo/operations?cursor={newest['next_cursor']}",
                         role="admin").data["operations"]
    assert [local(entry["at"]) for entry in older] == [SHANGHAI]
