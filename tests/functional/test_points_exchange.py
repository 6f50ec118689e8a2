"""The points exchange: the catalogue, one exchange end to end (points spent, reward issued,
ledger line), a replay that spends nothing, and every refusal with its stable code and no
write: too few points, limits per day and per campaign, the sale window, sold out, unknown
items; a wheel chance bought with points really draws."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from games.partner_coupon import upload_pool
from plugins.runtime import runtime
from plugins.store import CouponItem, PointsItem, keys
from tests.conftest import NOW, Apply, GameClient, Reply, demo_doc

EXCHANGE = "/campaigns/demo/exchanges"
_keys = itertools.count()


def give_points(member: str, points: int) -> None:
    PointsItem(keys.member(member), keys.POINTS_BALANCE, points=points).save()


def balance(member: str) -> int:
    try:
        return int(PointsItem.get(keys.member(member), keys.POINTS_BALANCE, consistent_read=True).points)
    except PointsItem.DoesNotExist:
        return 0


def coupons(member: str) -> list[CouponItem]:
    return list(CouponItem.query(keys.member(member), CouponItem.sk.startswith(keys.COUPON_PREFIX),
                                 consistent_read=True))


def exchange_doc(*, partners: bool = False, **item_changes: Any) -> dict[str, Any]:
    """The demo with its wheel and its exchange only (and its partners' coupons and the item
    that sells one, with `partners`); `item_changes` change the voucher."""
    doc = demo_doc()
    games = ("lucky-wheel", "points-exchange", *(("partner-coupon",) if partners else ()))
    doc["games"] = {name: doc["games"][name] for name in games}
    items = doc["games"]["points-exchange"]["items"]
    items[:] = [item for item in items if partners or item["reward"]["type"] != "partner-coupon"]
    items[0].update(item_changes)
    return doc


def swap(shop: GameClient, member: str, item: str = "voucher-10", key: str | None = None,
         device: str | None = None) -> Reply:
    return shop.call("POST", EXCHANGE, body={"item": item}, member=member, device=device,
                     key=key or f"swap-{next(_keys):06d}")


@pytest.fixture
def shop(apply: Apply) -> GameClient:
    apply(exchange_doc())
    return GameClient("points-exchange")


def test_the_catalogue_shows_prices_limits_and_windows(shop: GameClient) -> None:
    reply = shop.call("GET", "/campaigns/demo")
    assert reply.status == 200, reply
    items = {item["id"]: item for item in reply.body["items"]}
    assert list(items) == ["voucher-10", "wheel-spin", "coffee-week"]
    voucher = items["voucher-10"]
    limits = ("price_points", "per_member_per_day", "per_member_total")
    assert [voucher[name] for name in limits] == [300, 1, 3]
    assert voucher["reward"]["type"] == "coupon" and voucher["value"] == "10.00"
    assert voucher["on_sale"] and not voucher["sold_out"] and voucher["starts_at"] is None
    assert items["coffee-week"]["ends_at"] == "2030-06-30T23:59:59+08:00"
    assert "stock" not in voucher and "cost" not in voucher and "weight" not in voucher
    assert "points" not in reply.body and "left" not in voucher  # without a token


def test_with_a_token_the_catalogue_shows_the_balance_and_what_is_left_in_one_read(
    shop: GameClient, clock: list[datetime], dynamodb_calls: list[str],
) -> None:
    give_points("ann", 1000)
    assert swap(shop, "ann").status == 201
    dynamodb_calls.clear()
    mine = shop.call("GET", "/campaigns/demo", member="ann")
    assert dynamodb_calls == ["BatchGetItem"]  # the config is cached: one round trip
    assert mine.body["points"] == 700
    left = {item["id"]: item["left"] for item in mine.body["items"]}
    assert left == {"voucher-10": 0, "wheel-spin": 5, "coffee-week": None}  # 1 a day, used today
    clock[0] = NOW + timedelta(days=1)
    later = shop.call("GET", "/campaigns/demo", member="ann").body["items"][0]
    assert later["left"] == 1  # a new day's one


def test_an_exchange_spends_the_points_and_issues_the_reward_once(shop: GameClient) -> None:
    give_points("amy", 1000)
    first = swap(shop, "amy", key="swap-amy-1")
    assert first.status == 201, first
    assert first.body["points_spent"] == 300 and first.body["item"]["id"] == "voucher-10"
    reward = first.body["reward"]
    assert reward["type"] == "coupon" and reward["kind"] == "cash_voucher"
    assert balance("amy") == 700
    [coupon] = coupons("amy")
    assert coupon.coupon_id == reward["coupon_id"] and coupon.origin == "claim"
    ledger = list(PointsItem.query(keys.member("amy"), PointsItem.sk.startswith(keys.POINTS_LEDGER)))
    assert [(int(line.points), line.reason) for line in ledger] == [(-300, "demo:exchange:voucher-10")]
    again = swap(shop, "amy", key="swap-amy-1")  # a retry: the first answer, nothing spent again
    assert again.status == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.body == first.body and balance("amy") == 700 and len(coupons("amy")) == 1
    history = shop.call("GET", EXCHANGE, member="amy")
    assert history.status == 200 and history.body["exchanges"] == [first.body]


def test_too_few_points_is_refused_and_writes_nothing(shop: GameClient) -> None:
    give_points("bob", 299)
    reply = swap(shop, "bob")
    assert (reply.status, reply.code) == (403, "POINTS_INSUFFICIENT")
    assert balance("bob") == 299 and coupons("bob") == []
    assert swap(shop, "nobody").code == "POINTS_INSUFFICIENT"  # no balance at all
    assert balance("nobody") == 0


def test_the_daily_and_the_campaign_limits(shop: GameClient, clock: list[datetime]) -> None:
    give_points("cat", 5000)
    assert swap(shop, "cat").status == 201
    today = swap(shop, "cat")
    assert (today.status, today.code) == (403, "EXCHANGE_LIMIT_REACHED")
    assert "a day" in today.body["error"]["message"]
    for day in (1, 2):
        clock[0] = NOW + timedelta(days=day)
        assert swap(shop, "cat").status == 201
    clock[0] = NOW + timedelta(days=3)
    total = swap(shop, "cat")
    assert (total.status, total.code) == (403, "EXCHANGE_LIMIT_REACHED")
    assert "in the campaign" in total.body["error"]["message"]
    assert balance("cat") == 5000 - 3 * 300 and len(coupons("cat")) == 3


def test_outside_its_window_and_unknown_items(apply: Apply, clock: list[datetime]) -> None:
    apply(exchange_doc(starts_at="2026-12-01T10:00:00"))
    shop = GameClient("points-exchange")
    give_points("dan", 1000)
    early = swap(shop, "dan")
    assert (early.status, early.code) == (403, "ITEM_NOT_ON_SALE")
    listed = shop.call("GET", "/campaigns/demo").body["items"][0]
    assert listed["on_sale"] is False and listed["starts_at"] == "2026-12-01T10:00:00+08:00"
    clock[0] = datetime(2026, 12, 1, 2, 0, tzinfo=NOW.tzinfo)  # 10:00 in Shanghai
    assert swap(shop, "dan").status == 201
    unknown = swap(shop, "dan", item="yacht")
    assert (unknown.status, unknown.code) == (404, "ITEM_NOT_FOUND")
    bad = shop.call("POST", EXCHANGE, body={"item": "voucher-10", "gift": True}, member="dan",
                    key="swap-extra-field")
    assert (bad.status, bad.code) == (400, "MALFORMED_REQUEST")
    assert balance("dan") == 700


def test_sold_out_is_refused_but_a_retry_of_a_done_exchange_still_gets_its_answer(apply: Apply) -> None:
    apply(exchange_doc(stock=2, shards=1))
    shop = GameClient("points-exchange")
    for member in ("eve", "fay", "gus"):
        give_points(member, 1000)
    done = [swap(shop, member, key=f"swap-{member}-0001") for member in ("eve", "fay")]
    assert [r.status for r in done] == [201, 201]
    late = swap(shop, "gus")
    assert (late.status, late.code) == (409, "SOLD_OUT") and balance("gus") == 1000
    assert shop.call("GET", "/campaigns/demo").body["items"][0]["sold_out"] is True
    retry = swap(shop, "eve", key="swap-eve-0001")
    assert retry.status == 201 and retry.body == done[0].body and balance("eve") == 700


def test_a_chance_bought_with_points_is_a_real_draw(apply: Apply) -> None:
    doc = exchange_doc()
    doc["games"]["lucky-wheel"]["chances_per_day"] = 1
    apply(doc)
    shop, wheel = GameClient("points-exchange"), GameClient("lucky-wheel")
    give_points("hal", 100)
    assert wheel.call("POST", "/campaigns/demo/draws", member="hal", key="draw-0001").status == 201
    refused = wheel.call("POST", "/campaigns/demo/draws", member="hal", key="draw-0002")
    assert refused.code == "NO_CHANCES_LEFT"
    before = balance("hal")  # 100, and whatever the first draw won
    bought = swap(shop, "hal", item="wheel-spin")
    assert bought.status == 201, bought
    assert bought.body["reward"] == {"type": "chances", "game": "lucky-wheel", "chances": 1}
    assert balance("hal") == before - 50
    assert wheel.call("POST", "/campaigns/demo/draws", member="hal", key="draw-0003").status == 201
    last = wheel.call("POST", "/campaigns/demo/draws", member="hal", key="draw-0004")
    assert last.code == "NO_CHANCES_LEFT"


def test_a_chance_of_a_game_the_campaign_does_not_run_is_refused(apply: Apply) -> None:
    doc = exchange_doc()
    del doc["games"]["lucky-wheel"]
    apply(doc)
    give_points("ian", 100)
    reply = swap(GameClient("points-exchange"), "ian", item="wheel-spin")
    assert (reply.status, reply.code) == (409, "REWARD_UNAVAILABLE") and balance("ian") == 100


def test_an_operator_token_cannot_exchange(shop: GameClient) -> None:
    from tests.conftest import bearer, operator_token

    reply = shop.call("POST", EXCHANGE, body={"item": "voucher-10"}, key="swap-operator",
                      headers=bearer(operator_token("mia", "marketer")))
    assert reply.status == 403 and reply.code == "FORBIDDEN"


def test_points_buy_a_partners_coupon_within_the_partners_quota(apply: Apply) -> None:
    doc = exchange_doc(partners=True)
    cinema = doc["games"]["partner-coupon"]["partners"][1]
    assert cinema["id"] == "cinema"
    cinema["quota"] = 1  # one coupon ever for this partner
    apply(doc)
    upload_pool(runtime.configs.get("demo"), "cinema", "cinema-ticket", "up-1", ["STAR001", "STAR002"], NOW)
    shop = GameClient("points-exchange")
    give_points("ida", 1000)
    give_points("jon", 1000)
    first = swap(shop, "ida", "cinema-ticket")
    assert first.status == 201, first
    reward = first.body["reward"]
    assert reward["partner"] == "cinema" and reward["code"] in ("STAR001", "STAR002")
    assert balance("ida") == 600 and [c.type_id for c in coupons("ida")] == ["cinema-cinema-ticket"]
    late = swap(shop, "jon", "cinema-ticket")  # the cinema's quota is spent: no points taken
    assert (late.status, late.code) == (409, "REWARD_UNAVAILABLE") and balance("jon") == 1000
    assert coupons("jon") == []
