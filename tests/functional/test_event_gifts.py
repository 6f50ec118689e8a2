"""Event gifts: the brand reports member events under their own ids; each matching rule
rewards once per period (a welcome gift once, an order rule by amount, SKU and hour, a
birthday within its window, an inviter when the friend joins in time), a purchase task grants
wheel spins, a repeat report replays, and only the brand's systems may report."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from plugins.store import CouponItem, keys
from tests.conftest import NOW, Apply, GameClient, Reply, bearer, demo_doc, operator_token
from tests.functional.test_points_exchange import balance

EVENTS = "/campaigns/demo/events"
_ids = itertools.count()
RULES: list[dict[str, Any]] = [
    {"id": "welcome", "name": "Welcome coupon", "event": "registration",
     "reward": {"type": "coupon", "type_id": "welcome-20", "title": "20 off 99", "kind": "full_reduction",
                "threshold": "99.00", "discount": "20.00", "valid_days": 30}},
    {"id": "big-order", "name": "200 points for orders of 299", "event": "order", "once_per": "day",
     "min_amount": "299.00", "reward": {"type": "points", "points": 200}},
    {"id": "coffee-morning", "name": "A spin for a morning coffee", "event": "order", "once_per": "event",
     "items": ["SKU-COFFEE-1"], "hours": [7, 11], "per_member_per_day": 2,
     "reward": {"type": "chances", "game": "lucky-wheel", "chances": 1}},
    {"id": "birthday", "name": "Birthday points", "event": "birthday", "window": "week",
     "once_per": "campaign", "reward": {"type": "points", "points": 88}},
    {"id": "invite", "name": "A spin per friend who joins", "event": "registration",
     "invited_within_days": 7, "reward": {"type": "chances", "game": "lucky-wheel", "chances": 1}},
]


def gifts_doc(rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    doc = demo_doc()
    doc["games"] = {"lucky-wheel": doc["games"]["lucky-wheel"] | {"chances_per_day": 1},
                    "event-gifts": {"rules": rules or RULES}}
    return doc


def report(gifts: GameClient, kind: str, member: str, event_id: str | None = None, **fields: Any) -> Reply:
    body = {"event_id": event_id or f"ev-{next(_ids):06d}", "kind": kind, "member_id": member, **fields}
    return gifts.call("POST", EVENTS, body=body, key=f"key-{body['event_id']}",
                      headers=bearer(operator_token("crm", "brand")))


def given(reply: Reply) -> dict[str, Any]:
    """rule -> reward of a report's answer."""
    assert reply.status == 201, reply
    return {gift["rule"]: gift["reward"] for gift in reply.body["gifts"]}


@pytest.fixture
def gifts(apply: Apply) -> GameClient:
    apply(gifts_doc())
    return GameClient("event-gifts")


def test_a_welcome_gift_once_and_a_repeat_report_replays(gifts: GameClient) -> None:
    first = report(gifts, "registration", "amy", event_id="reg-amy")
    assert given(first)["welcome"]["type"] == "coupon"
    again = report(gifts, "registration", "amy", event_id="reg-amy")
    assert again.headers.get("Idempotent-Replayed") == "true" and again.body == first.body
    other = report(gifts, "registration", "amy")  # another id, the same member: once per campaign
    assert given(other) == {} and other.body["skipped"] == [{"rule": "welcome",
                                                             "reason": "already given this campaign"}]
    stored = list(CouponItem.query(keys.member("amy"), CouponItem.sk.startswith(keys.COUPON_PREFIX)))
    assert [c.type_id for c in stored] == ["welcome-20"] and stored[0].origin == "award"
    changed = report(gifts, "registration", "bob", event_id="reg-amy")  # the same id, another body
    assert (changed.status, changed.code) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_order_rules_by_amount_item_and_hour(gifts: GameClient, clock: list[datetime]) -> None:
    clock[0] = datetime(2026, 11, 23, 1, 30, tzinfo=NOW.tzinfo)  # 09:30 in Shanghai
    small = report(gifts, "order", "cat", amount="120.00", items=["SKU-TEA"])
    assert given(small) == {} and small.body["skipped"] == []
    big = report(gifts, "order", "cat", amount="399.00", items=["SKU-COFFEE-1"])
    assert given(big) == {"big-order": {"type": "points", "points": 200},
                          "coffee-morning": {"type": "chances", "game": "lucky-wheel", "chances": 1}}
    again = report(gifts, "order", "cat", amount="399.00", items=["SKU-COFFEE-1"])  # once a day
    assert set(given(again)) == {"coffee-morning"}
    assert again.body["skipped"] == [{"rule": "big-order", "reason": "already given this day"}]
    third = report(gifts, "order", "cat", amount="10.00", items=["SKU-COFFEE-1"])
    assert third.body["skipped"] == [{"rule": "coffee-morning",
                                      "reason": "the member's daily limit is reached"}]
    evening = report(gifts, "order", "cat", amount="10.00", items=["SKU-COFFEE-1"],
                     at="2026-11-23T20:00:00+08:00")
    assert given(evening) == {} and evening.body["skipped"] == []
    assert balance("cat") == 200


def test_a_purchase_task_grants_wheel_spins(gifts: GameClient, clock: list[datetime]) -> None:
    clock[0] = datetime(2026, 11, 23, 1, 30, tzinfo=NOW.tzinfo)
    wheel = GameClient("lucky-wheel")
    assert wheel.call("POST", "/campaigns/demo/draws", member="dan", key="draw-dan-0001").status == 201
    refused = wheel.call("POST", "/campaigns/demo/draws", member="dan", key="draw-dan-0002")
    assert refused.code == "NO_CHANCES_LEFT"
    report(gifts, "order", "dan", amount="20.00", items=["SKU-COFFEE-1"])
    assert wheel.call("POST", "/campaigns/demo/draws", member="dan", key="draw-dan-0003").status == 201


def test_a_birthday_within_its_week(gifts: GameClient, clock: list[datetime]) -> None:
    clock[0] = datetime(2026, 11, 23, 4, 0, tzinfo=NOW.tzinfo)  # Monday 23 November
    assert given(report(gifts, "birthday", "eve", birthday="1990-11-29")) == {
        "birthday": {"type": "points", "points": 88}}  # Sunday of the same week
    assert given(report(gifts, "birthday", "fay", birthday="1990-11-30")) == {}  # next week
    assert given(report(gifts, "birthday", "eve", birthday="1990-11-29")) == {}  # once
    assert balance("eve") == 88 and balance("fay") == 0


def test_an_inviter_is_rewarded_once_per_friend_who_joins_in_time(gifts: GameClient) -> None:
    week_ago = (NOW - timedelta(days=6)).isoformat()
    joined = report(gifts, "registration", "gus", inviter="hal", invited_at=week_ago)
    assert joined.body["gifts"][1] == {"rule": "invite", "member_id": "hal",
                                       "reward": {"type": "chances", "game": "lucky-wheel", "chances": 1}}
    assert joined.body["gifts"][0]["member_id"] == "gus"  # his own welcome gift
    twice = report(gifts, "registration", "gus", inviter="hal", invited_at=week_ago)
    assert twice.body["skipped"][-1] == {"rule": "invite", "reason": "already given for this invited member"}
    eight_days_ago = (NOW - timedelta(days=8)).isoformat()
    late = report(gifts, "registration", "ian", inviter="hal", invited_at=eight_days_ago)
    assert "invite" not in given(late)
    selfish = report(gifts, "registration", "hal", inviter="hal", invited_at=week_ago)
    assert "invite" not in given(selfish)


def test_a_share_task_rewards_the_sharer_once_per_friend_who_opens(apply: Apply) -> None:
    share = {"id": "share-spin", "name": "A spin per friend who opens your link", "event": "share_opened",
             "per_member_per_day": 2, "reward": {"type": "chances", "game": "lucky-wheel", "chances": 1}}
    apply(gifts_doc([share]))
    gifts = GameClient("event-gifts")

    def opened(friend: str, key: str) -> Reply:
        return gifts.call("POST", "/campaigns/demo/shares/kim/opens", member=friend, key=key)

    first = opened("lea", "open-lea-0001")
    assert first.status == 201 and given(first) == {"share-spin": {"type": "chances", "game": "lucky-wheel",
                                                                   "chances": 1}}
    assert first.body["gifts"][0]["member_id"] == "kim"
    again = opened("lea", "open-lea-0002")  # the same friend again, another key: the first answer
    assert again.headers.get("Idempotent-Replayed") == "true" and again.body == first.body
    assert given(opened("max", "open-max-0001")) != {}
    third = opened("ned", "open-ned-0001")  # a third friend today: the day's two are given
    assert third.body["skipped"] == [{"rule": "share-spin", "reason": "the member's daily limit is reached"}]
    own = gifts.call("POST", "/campaigns/demo/shares/kim/opens", member="kim", key="open-kim-0001")
    assert own.status == 201 and own.body["gifts"] == [] and own.body["skipped"] == []
    anonymous = gifts.call("POST", "/campaigns/demo/shares/kim/opens", key="open-anon-0001")
    assert (anonymous.status, anonymous.code) == (401, "TOKEN_MISSING")


def test_a_share_counts_one_friend_per_device(apply: Apply) -> None:
    share = {"id": "share-spin", "name": "A spin per friend who opens your link", "event": "share_opened",
             "reward": {"type": "chances", "game": "lucky-wheel", "chances": 1}}
    apply(gifts_doc([share]))
    gifts = GameClient("event-gifts")

    def opened(friend: str, device: str) -> Reply:
        return gifts.call("POST", "/campaigns/demo/shares/kim/opens", member=friend, device=device,
                          key=f"open-{friend}-0001")

    # GIVEN a friend counted from her phone
    assert "share-spin" in given(opened("lea", "lea-phone"))
    # WHEN other accounts open the link on that phone THEN they count for nothing
    for friend in ("lea2", "lea3"):
        assert opened(friend, "lea-phone").body["skipped"] == [
            {"rule": "share-spin", "reason": "already given for a friend on this device"}]
    # AND a friend on another phone counts, and the first friend's retry answers as before
    assert "share-spin" in given(opened("max", "max-phone"))
    assert "share-spin" in given(opened("lea", "lea-phone"))
    wheel = GameClient("lucky-wheel").call("GET", "/campaigns/demo", member="kim").body["chances"]
    assert wheel["left_today"] == 1 + 2  # the day's one, and one for each of the two phones


def test_only_the_brands_systems_report_and_bad_events_are_refused(gifts: GameClient) -> None:
    body = {"event_id": "ev-player", "kind": "registration", "member_id": "amy"}
    player = gifts.call("POST", EVENTS, body=body, member="amy", key="key-ev-player")
    assert (player.status, player.code) == (403, "FORBIDDEN")
    marketer = gifts.call("POST", EVENTS, body=body, key="key-ev-marketer",
                          headers=bearer(operator_token("mia", "marketer")))
    assert (marketer.status, marketer.code) == (403, "FORBIDDEN")
    assert report(gifts, "wedding", "amy").code == "MALFORMED_REQUEST"
    assert report(gifts, "order", "amy", amount="-5").code == "MALFORMED_REQUEST"
    naive = report(gifts, "order", "amy", amount="5.00", at="2026-11-23T10:00:00")
    assert (naive.status, naive.code) == (400, "MALFORMED_REQUEST")
    assert balance("amy") == 0


def test_the_rules_as_a_page_shows_them(gifts: GameClient) -> None:
    reply = gifts.call("GET", "/campaigns/demo")
    assert reply.status == 200
    rules = {rule["id"]: rule for rule in reply.body["rules"]}
    assert rules["big-order"]["min_amount"] == "299.00" and rules["big-order"]["once_per"] == "day"
    assert rules["coffee-morning"]["hours"] == [7, 11] and rules["birthday"]["window"] == "week"
    assert rules["invite"]["invited_within_days"] == 7 and "cost" not in rules["welcome"]


@pytest.mark.parametrize(("rule", "problem"), [
    ({"event": "registration", "min_amount": "10.00"},
     "min_amount, items and hours apply to order rules only"),
    ({"event": "order", "invited_within_days": 3}, "invited_within_days applies to registration"),
    ({"event": "order", "hours": [11, 7]}, "hours must be [from, to)"),
])
def test_rules_that_cannot_match_are_refused_at_apply(apply: Apply, rule: dict[str, Any],
                                                      problem: str) -> None:
    from plugins.errors import ConfigInvalidError

    bad = {"id": "bad", "name": "Bad", "reward": {"type": "points", "points": 1}} | rule
    with pytest.raises(ConfigInvalidError, match=re.escape(problem)):
        apply(gifts_doc([bad]))


def test_the_rules_show_a_members_progress_in_one_read(gifts: GameClient, dynamodb_calls: list[str],
                                                       clock: list[datetime]) -> None:
    # GIVEN a member welcomed (once in the campaign), and given today's big-order points (once
    # a day) and one of the morning coffee's two spins a day
    clock[0] = datetime(2026, 11, 23, 1, 30, tzinfo=NOW.tzinfo)  # 09:30 in Shanghai
    report(gifts, "registration", "amy")
    report(gifts, "order", "amy", amount="399.00", items=["SKU-COFFEE-1"])
    gifts.call("GET", "/campaigns/demo")  # the config, loaded
    dynamodb_calls.clear()
    anonymous = gifts.call("GET", "/campaigns/demo").body["rules"]
    assert dynamodb_calls == [] and all("mine" not in rule for rule in anonymous)
    mine = {r["id"]: r["mine"] for r in gifts.call("GET", "/campaigns/demo", member="amy").body["rules"]}
    assert dynamodb_calls == ["BatchGetItem"]
    fresh = {r["id"]: r["mine"] for r in gifts.call("GET", "/campaigns/demo", member="bob").body["rules"]}
    assert mine == {"welcome": {"given_today": None, "done": True},
                    "big-order": {"given_today": None, "done": True},
                    "coffee-morning": {"given_today": 1, "done": False},
                    "birthday": {"given_today": None, "done": False},
                    "invite": {"given_today": None, "done": False}}
    assert fresh["welcome"]["done"] is False and fresh["coffee-morning"]["given_today"] == 0
    # AND the next day the daily ones start again
    clock[0] += timedelta(days=1)
    later = {r["id"]: r["mine"] for r in gifts.call("GET", "/campaigns/demo", member="amy").body["rules"]}
    assert (later["big-order"]["done"], later["coffee-morning"]["given_today"], later["welcome"]["done"]) == (
        False, 0, True)
