"""What a draw awards, through the wheel's real handler: coupons (terms, channel, validity,
collection limits, anti-harassment), points, per-user caps, stock and the counted budget.

Each test forces the drawn prize by giving it the only positive weight; the fallback `thanks`
(5 points) keeps weight 0, so a `thanks` answer always means the drawn prize was refused.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from games.lucky_wheel.config import WheelConfig
from plugins.contracts import IssueContext
from plugins.issuance.coupon import CouponIssuer, CouponSpec
from plugins.prize_pool.allowances import stock_name
from plugins.prize_pool.budget import BUDGET
from plugins.store import (
    AllowanceItem,
    CounterItem,
    CouponItem,
    MarkerItem,
    PointsItem,
    Transaction,
    TransactionCancelledError,
    keys,
)
from tests.conftest import NOW, Apply, GameClient, Reply, wheel_doc

DRAWS = "/campaigns/demo/draws"
SHANGHAI = ZoneInfo("Asia/Shanghai")
THANKS = {"id": "thanks", "name": "Thanks for playing", "weight": 0,
          "reward": {"type": "points", "points": 5}}
_keys = itertools.count()


def coupon_reward(type_id: str, **fields: Any) -> dict[str, Any]:
    return {"type": "coupon", "type_id": type_id, "title": f"{type_id} coupon", "kind": "cash_voucher",
            "discount": "10.00", "valid_days": 30} | fields


def campaign(*prizes: dict[str, Any], forced: str, **changes: Any) -> dict[str, Any]:
    """A demo campaign with `prizes` (+ thanks) where only `forced` has a weight, no chance limits."""
    doc = wheel_doc(**changes)
    section = doc["games"]["lucky-wheel"]
    section["prizes"] = [p | {"weight": 100 if p["id"] == forced else 0} for p in (*prizes, THANKS)]
    section |= {"chances_per_day": None, "chances_total": None}
    return doc


def demo_prize(prize_id: str, **changes: Any) -> dict[str, Any]:
    prize = next(p for p in wheel_doc()["games"]["lucky-wheel"]["prizes"] if p["id"] == prize_id)
    return prize | changes


def draw(client: GameClient, member: str, **options: Any) -> Reply:
    key = options.pop("key", None) or f"rw-{next(_keys):08d}"
    reply = client.call("POST", DRAWS, member=member, key=key, **options)
    assert reply.status == 201, reply.body
    return reply


def won(reply: Reply) -> str:
    """The prize id awarded, checking that a fallback answer is the thanks prize and vice versa."""
    prize = reply.body["prize"]["id"]
    assert reply.body["fallback"] is (prize == "thanks"), reply.body
    if prize == "thanks":
        assert reply.body["reward"] == {"type": "points", "points": 5}
    return prize


def coupons(member: str) -> list[CouponItem]:
    return list(CouponItem.query(keys.member(member), CouponItem.sk.startswith(keys.COUPON_PREFIX),
                                 consistent_read=True))


def counter(pk: str, sk: str) -> int | None:
    try:
        return int(CounterItem.get(pk, sk, consistent_read=True).n)
    except CounterItem.DoesNotExist:
        return None


def remaining(name: str, shards: int) -> list[int]:
    return [int(AllowanceItem.get(keys.allowance("demo", name, s), keys.ALLOWANCE_SK,
                                  consistent_read=True).remaining) for s in range(shards)]


def local_time(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A wall time in the demo's zone, as the UTC instant the clock returns."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI).astimezone(UTC)


# --- coupons: what is issued ------------------------------------------------------------------


def test_a_coupon_prize_issues_a_coupon_valid_for_its_days(
    wheel: GameClient, apply: Apply, clock: list[datetime],
) -> None:
    apply(campaign(demo_prize("coupon-50"), forced="coupon-50"))
    reply = draw(wheel, "alice", body={"channel": "wechat-mini"})
    assert won(reply) == "coupon-50"
    [item] = coupons("alice")
    now = clock[0]
    assert (item.state, item.origin, item.campaign_id, item.member_id) == ("issued", "award", "demo", "alice")
    assert item.type_id == "fr-50-299"
    assert item.channel == "wechat-mini"
    assert item.issued_at == now
    assert item.valid_from == now
    assert item.valid_until == now + timedelta(days=30)
    terms = dict(item.terms)
    assert (Decimal(terms.pop("threshold")), Decimal(terms.pop("discount"))) == (299, 50)
    assert terms == {
        "kind": "full_reduction", "title": "50 off orders of 299", "max_discount": None,
        "timezone": "Asia/Shanghai",  # the campaign's: a redemption answers its time in it
        "usage": {"categories": ["home", "kitchen"], "items": [], "stores": [], "cities": []},
    }
    assert item.coupon_id.startswith("20261123")  # the local day of issue
    assert item.sk == keys.coupon(item.coupon_id)
    assert reply.body["reward"] == {
        "type": "coupon", "coupon_id": item.coupon_id, "title": "50 off orders of 299",
        "kind": "full_reduction", "valid_from": now.astimezone(SHANGHAI).isoformat(),
        "valid_until": (now + timedelta(days=30)).astimezone(SHANGHAI).isoformat(),
        "channel": "wechat-mini",
    }


@pytest.mark.parametrize(
    ("spec_channel", "body", "expected"),
    [(None, None, "h5-demo"), (None, {"channel": "app-home"}, "app-home"),
     ("sms-push", {"channel": "app-home"}, "sms-push"), ("sms-push", None, "sms-push")],
    ids=["campaign", "page", "coupon-over-page", "coupon-over-campaign"],
)
def test_the_issue_records_its_channel(
    wheel: GameClient, apply: Apply, spec_channel: str | None, body: dict[str, str] | None, expected: str,
) -> None:
    """The coupon's own channel code wins, then the page's, then the campaign's."""
    reward = coupon_reward("chan", **({"channel": spec_channel} if spec_channel else {}))
    apply(campaign({"id": "voucher", "name": "Voucher", "reward": reward}, forced="voucher"))
    reply = draw(wheel, "alice", body=body)
    assert reply.body["reward"]["channel"] == expected
    assert [c.channel for c in coupons("alice")] == [expected]


@pytest.mark.parametrize(
    ("zone", "valid_from", "valid_until", "day"),
    [
        ("Asia/Shanghai", datetime(2025, 12, 31, 16, tzinfo=UTC),
         datetime(2030, 12, 31, 15, 59, 59, tzinfo=UTC), "20261123"),
        ("America/New_York", datetime(2026, 1, 1, 5, tzinfo=UTC),
         datetime(2031, 1, 1, 4, 59, 59, tzinfo=UTC), "20261122"),
    ],
)
def test_a_fixed_window_is_wall_time_in_the_campaign_zone(
    wheel: GameClient, apply: Apply, zone: str, valid_from: datetime, valid_until: datetime, day: str,
) -> None:
    apply(campaign(demo_prize("coffee"), forced="coffee", timezone=zone))
    reply = draw(wheel, "alice")
    assert won(reply) == "coffee"
    [item] = coupons("alice")
    assert (item.valid_from, item.valid_until) == (valid_from, valid_until)
    assert item.terms["kind"] == "free_item"
    assert item.terms["item"] == "SKU-COFFEE-1"
    assert item.coupon_id.startswith(day)
    assert datetime.fromisoformat(reply.body["reward"]["valid_until"]) == valid_until


def test_a_coupon_whose_fixed_window_has_ended_is_not_issued(wheel: GameClient, apply: Apply) -> None:
    """A window that closed before the draw would hand the player a dead coupon (and spend stock,
    budget and an anti-harassment place on it): the draw falls back instead."""
    reward = coupon_reward("summer", valid_days=None, valid_from="2026-06-01T00:00:00",
                           valid_until="2026-08-31T23:59:59")
    apply(campaign({"id": "summer", "name": "Summer voucher", "stock": 10, "reward": reward},
                   forced="summer"))
    assert won(draw(wheel, "alice")) == "thanks"
    assert coupons("alice") == []
    assert counter(keys.member("alice"), keys.HARASS_OPEN) is None
    assert remaining(stock_name("wheel", "summer"), 1) == [10]


# --- coupons: collection limits -----------------------------------------------------------------


def test_per_user_per_day_falls_back_until_the_next_local_day(
    wheel: GameClient, apply: Apply, clock: list[datetime],
) -> None:
    apply(campaign(demo_prize("coupon-50"), forced="coupon-50"))  # per_user_per_day: 1
    assert won(draw(wheel, "alice")) == "coupon-50"
    second = draw(wheel, "alice")
    assert won(second) == "thanks"
    assert second.body["prize"]["reward"] == {"type": "points", "points": 5}
    assert len(coupons("alice")) == 1
    assert counter(keys.member("alice"), keys.quota("demo", "coupon:fr-50-299", "2026-11-23")) == 1
    assert PointsItem.get(keys.member("alice"), keys.POINTS_BALANCE).points == 5
    assert won(draw(wheel, "bob")) == "coupon-50"  # the limit is per member

    clock[0] = local_time(2026, 11, 23, 23, 59, 59)  # still the same local day
    assert won(draw(wheel, "alice")) == "thanks"
    clock[0] = local_time(2026, 11, 24, 0, 0, 0)  # 16:00 UTC on the 23rd: a new day in Shanghai
    assert won(draw(wheel, "alice")) == "coupon-50"
    assert len(coupons("alice")) == 2
    assert counter(keys.member("alice"), keys.quota("demo", "coupon:fr-50-299", "2026-11-24")) == 1


def test_per_user_per_campaign_holds_across_days(
    wheel: GameClient, apply: Apply, clock: list[datetime],
) -> None:
    reward = coupon_reward("once-twice", per_user_per_campaign=2)
    apply(campaign({"id": "voucher", "name": "Voucher", "reward": reward}, forced="voucher"))
    for day in range(4):
        clock[0] = NOW + timedelta(days=day)
        expected = "voucher" if day < 2 else "thanks"
        assert won(draw(wheel, "alice")) == expected, f"day {day}"
    assert len(coupons("alice")) == 2
    assert counter(keys.member("alice"), keys.quota("demo", "coupon:once-twice", "ALL")) == 2
    assert won(draw(wheel, "bob")) == "voucher"


def test_collection_limits_also_bind_claims_which_skip_anti_harassment(
    apply: Apply, clock: list[datetime],
) -> None:
    """A coupon the member claims himself counts to its collection limit, not to harassment."""
    demo = apply(campaign(demo_prize("coupon-50"), forced="coupon-50"))
    wheel = demo.games["lucky-wheel"]
    assert isinstance(wheel, WheelConfig)
    spec = wheel.by_id["coupon-50"].reward
    assert isinstance(spec, CouponSpec)
    ctx = IssueContext(campaign=demo, member_id="carol", reference="claim-1", now=clock[0], origin="claim")
    first = Transaction()
    CouponIssuer().plan(first, spec, ctx)
    first.commit()
    second = Transaction()
    CouponIssuer().plan(second, spec, ctx)
    with pytest.raises(TransactionCancelledError) as cancelled:
        second.commit()
    assert set(cancelled.value.failed) == {"reward:limit-day"}
    [item] = coupons("carol")
    assert item.origin == "claim"
    assert counter(keys.member("carol"), keys.HARASS_OPEN) is None
    assert list(MarkerItem.query(keys.member("carol"), MarkerItem.sk.startswith("HRS#"))) == []


# --- coupons: anti-harassment -------------------------------------------------------------------


def test_same_type_once_per_iso_week_even_when_limits_allow(
    wheel: GameClient, apply: Apply, clock: list[datetime],
) -> None:
    apply(campaign(demo_prize("coupon-50"), forced="coupon-50",  # per_user_per_day: 1
                   anti_harassment={"max_open_coupons": 10, "same_type_per": "week"}))
    assert clock[0].astimezone(SHANGHAI).isoweekday() == 1
    assert won(draw(wheel, "alice")) == "coupon-50"  # Monday 2026-11-23 (ISO week 48)
    for moment in (local_time(2026, 11, 24, 9), local_time(2026, 11, 29, 23, 59, 59)):
        clock[0] = moment  # another day: the daily limit would allow it, the week does not
        assert won(draw(wheel, "alice")) == "thanks"
    assert len(coupons("alice")) == 1
    marker = MarkerItem.get(keys.member("alice"), keys.harass_type("fr-50-299", "2026-W48"))
    assert marker.ttl == int(local_time(2026, 11, 30).timestamp()) + 86400
    clock[0] = local_time(2026, 11, 30, 0, 0)  # Monday of week 49
    assert won(draw(wheel, "alice")) == "coupon-50"
    assert len(coupons("alice")) == 2


def three_vouchers(forced: str) -> dict[str, Any]:
    prizes = [{"id": f"voucher-{t}", "name": t, "reward": coupon_reward(f"type-{t}", valid_days=1)}
              for t in "abc"]
    return campaign(*prizes, forced=f"voucher-{forced}",
                    anti_harassment={"max_open_coupons": 2, "same_type_per": "day"})


def fill_two_open_coupons(wheel: GameClient, apply: Apply) -> None:
    for kind in "ab":
        apply(three_vouchers(kind))
        assert won(draw(wheel, "alice")) == f"voucher-{kind}"
    apply(three_vouchers("c"))
    assert won(draw(wheel, "alice")) == "thanks"  # a third open coupon would harass
    assert len(coupons("alice")) == 2
    assert counter(keys.member("alice"), keys.HARASS_OPEN) == 2


def test_max_open_coupons_frees_places_when_coupons_expire(
    wheel: GameClient, apply: Apply, clock: list[datetime],
) -> None:
    fill_two_open_coupons(wheel, apply)
    clock[0] = NOW + timedelta(days=1, minutes=1)  # both have expired, still in state issued
    assert won(draw(wheel, "alice")) == "voucher-c"  # the lazy recount found 0 open, then +1
    assert counter(keys.member("alice"), keys.HARASS_OPEN) == 1
    assert sorted(c.type_id for c in coupons("alice")) == ["type-a", "type-b", "type-c"]


def test_max_open_coupons_frees_a_place_when_one_is_redeemed(wheel: GameClient, apply: Apply) -> None:
    fill_two_open_coupons(wheel, apply)
    first = next(c for c in coupons("alice") if c.type_id == "type-a")
    first.update([CouponItem.state.set("redeemed")])
    assert won(draw(wheel, "alice")) == "voucher-c"
    assert counter(keys.member("alice"), keys.HARASS_OPEN) == 2


def test_max_open_coupons_holds_while_coupons_are_valid(
    wheel: GameClient, apply: Apply, clock: list[datetime],
) -> None:
    fill_two_open_coupons(wheel, apply)
    clock[0] = NOW + timedelta(hours=23)  # a new local day, both coupons still valid
    assert won(draw(wheel, "alice")) == "thanks"
    assert counter(keys.member("alice"), keys.HARASS_OPEN) == 2
    assert len(coupons("alice")) == 2


# --- points -------------------------------------------------------------------------------------


def test_points_are_credited_exactly_once_per_draw(wheel: GameClient, apply: Apply) -> None:
    apply(campaign(demo_prize("points-100"), forced="points-100"))
    replies = [draw(wheel, "alice", key=f"points-draw-{i}") for i in range(3)]
    assert [won(r) for r in replies] == ["points-100"] * 3
    assert all(r.body["reward"] == {"type": "points", "points": 100} for r in replies)
    again = draw(wheel, "alice", key="points-draw-1")  # a retry replays, credits nothing
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.body == replies[1].body
    member = keys.member("alice")
    assert PointsItem.get(member, keys.POINTS_BALANCE, consistent_read=True).points == 300
    ledger = list(PointsItem.query(member, PointsItem.sk.startswith("PTS#"), consistent_read=True))
    draw_ids = [r.body["draw_id"] for r in replies]
    assert sorted(line.sk.split("#", 2)[2] for line in ledger) == sorted(draw_ids)
    assert all(line.sk == keys.points_ledger(line.at, line.sk.split("#", 2)[2]) for line in ledger)
    assert {(int(line.points), line.reason) for line in ledger} == {(100, "demo:award")}


# --- per-user cap, stock, budget ------------------------------------------------------------------


def test_per_user_cap_holds_one_grand_prize_per_member(wheel: GameClient, apply: Apply) -> None:
    grand = demo_prize("grand", stock=50, cost="10.00")  # per_user_cap: 1
    apply(campaign(grand, forced="grand"))
    assert won(draw(wheel, "alice")) == "grand"
    assert won(draw(wheel, "alice")) == "thanks"
    assert won(draw(wheel, "bob")) == "grand"
    assert counter(keys.member("alice"), keys.quota("demo", "cap:wheel:grand", "ALL")) == 1
    assert remaining(stock_name("wheel", "grand"), 1) == [48]


@pytest.mark.parametrize("shards", [1, 2])
def test_stock_runs_out_then_the_fallback(wheel: GameClient, apply: Apply, shards: int) -> None:
    tv = {"id": "tv", "name": "TV", "stock": 2, "shards": shards, "value": "999.00", "cost": "100.00"}
    apply(campaign(tv, forced="tv"))
    prizes = [won(draw(wheel, member)) for member in ("ann", "ben", "cat", "dan")]
    assert prizes == ["tv", "tv", "thanks", "thanks"]
    assert remaining(stock_name("wheel", "tv"), shards) == [0] * shards


@pytest.mark.parametrize(
    ("shards", "cost", "awards"),
    [(1, "1.00", 3), (3, "1.00", 3), (3, "1.50", 2), (2, "0.70", 4)],
    ids=["one-shard", "three-shards", "spread-over-shards", "uneven"],
)
def test_a_counted_budget_is_spent_to_the_cent_and_never_exceeded(
    wheel: GameClient, apply: Apply, shards: int, cost: str, awards: int,
) -> None:
    gift = {"id": "gift", "name": "Gift", "cost": cost, "reward": {"type": "points", "points": 1}}
    demo = apply(campaign(gift, forced="gift", budget="3.00", budget_shards=shards))
    assert demo.budget_counted is True
    prizes = []
    for i in range(awards + 3):
        prizes.append(won(draw(wheel, f"member-{i}")))
        assert min(remaining(BUDGET, shards)) >= 0
    assert prizes == ["gift"] * awards + ["thanks"] * 3
    assert sum(remaining(BUDGET, shards)) == 300 - awards * int(Decimal(cost) * 100)
