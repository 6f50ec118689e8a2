"""Check-in streaks through the real handler: one check-in per local day, day and milestone
rewards, streaks across cycle boundaries and time zones, breaks and pauses, the calendar,
the wheel chance and the blind box, and the DynamoDB calls per action."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from plugins.clock import utc_now
from plugins.draws import verify_draw
from plugins.identity.tokens import mint_player
from plugins.store import CounterItem, CouponItem, PointsItem, keys
from tests.conftest import ROOT, Apply, GameClient, Handler, Reply, bearer, demo_doc

SHANGHAI, NEW_YORK = "Asia/Shanghai", "America/New_York"
POINTS_10 = {"type": "points", "points": 10}
COUPON_7 = {"type": "coupon", "type_id": "streak-7", "title": "20 off, 7 days in a row",
            "kind": "cash_voucher", "discount": "20.00", "valid_days": 30}
SECTION: dict[str, Any] = {
    "daily_reward": POINTS_10,
    "day_rewards": [{"day": 7, "reward": {"type": "points", "points": 70}}],
    "milestones": [{"streak": 3, "reward": {"type": "points", "points": 30}},
                   {"streak": 7, "reward": COUPON_7}],
    "make_ups": {"per_cycle": 2},
}
_keys = itertools.count()


def campaign_doc(section: dict[str, Any] | None = None, *, timezone: str = SHANGHAI,
                 wheel: bool = True, **changes: Any) -> dict[str, Any]:
    """The demo campaign running check-ins (and the wheel), with no velocity limit in the way."""
    doc = demo_doc(velocity={"per_device": 100_000, "per_ip": 100_000}, timezone=timezone)
    games: dict[str, Any] = {"check-in": dict(SECTION if section is None else section, **changes)}
    if wheel:
        games["lucky-wheel"] = doc["games"]["lucky-wheel"]
    doc["games"] = games
    return doc


def local(day: str, hh: int = 12, mm: int = 0, tz: str = SHANGHAI) -> datetime:
    """A wall-clock moment of the campaign's zone, as the UTC time the clock returns."""
    return datetime.combine(date.fromisoformat(day), time(hh, mm), ZoneInfo(tz)).astimezone(UTC)


def check(client: GameClient, member: str, key: str | None = None, **kwargs: Any) -> Reply:
    return client.call("POST", "/campaigns/demo/check-ins", member=member,
                       key=key or f"ck-{next(_keys):06d}", **kwargs)


def make_up(client: GameClient, member: str, day: str, key: str | None = None) -> Reply:
    return client.call("POST", "/campaigns/demo/make-ups", member=member, body={"day": day},
                       key=key or f"mu-{next(_keys):06d}")


def calendar(client: GameClient, member: str) -> dict[str, Any]:
    reply = client.call("GET", "/campaigns/demo", member=member)
    assert reply.status == 200, reply
    cal: dict[str, Any] = reply.body["calendar"]
    return cal


def days_on(clock: list[datetime], client: GameClient, member: str, *days: str,
            tz: str = SHANGHAI) -> list[Reply]:
    """Check in on each of `days` (noon local), moving the clock."""
    replies = []
    for day in days:
        clock[0] = local(day, tz=tz)
        replies.append(check(client, member))
        assert replies[-1].status == 201, replies[-1]
    return replies


def balance(member: str) -> int:
    try:
        return int(PointsItem.get(keys.member(member), keys.POINTS_BALANCE).points)
    except PointsItem.DoesNotExist:
        return 0


@pytest.fixture
def game(apply: Apply) -> GameClient:
    apply(campaign_doc())
    return GameClient("check-in")


def test_one_check_in_a_day_with_its_reward_and_one_read_plus_one_write(
        game: GameClient, clock: list[datetime], dynamodb_calls: list[str]) -> None:
    clock[0] = local("2026-11-23", 9)
    game.call("GET", "/campaigns/demo")  # warm the config cache
    dynamodb_calls.clear()
    # WHEN a member checks in on Monday
    first = check(game, "ann")
    # THEN it is day 1 of the week, worth 10 points, for one GetItem and one transaction
    assert first.status == 201, first
    assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
    assert first.body["day"] == "2026-11-23" and first.body["cycle_day"] == 1
    assert first.body["streak"] == 1
    assert first.body["rewards"] == [{"for": "day", "day": 1,
                                      "reward": {"type": "points", "points": 10}}]
    assert balance("ann") == 10
    # AND a second check-in the same day is refused, costing one read and nothing written
    dynamodb_calls.clear()
    again = check(game, "ann")
    assert (again.status, again.code) == (409, "ALREADY_CHECKED_IN")
    assert dynamodb_calls == ["GetItem", "GetItem"]  # the progress, then: is this a retry?
    assert balance("ann") == 10
    # AND the page and the history say so
    cal = calendar(game, "ann")
    assert cal["checked_today"] is True and cal["streak"] == 1
    history = game.call("GET", "/campaigns/demo/check-ins", member="ann").body["check_ins"]
    assert [h["check_in_id"] for h in history] == [first.body["check_in_id"]]


def test_page_reads_are_counted(game: GameClient, dynamodb_calls: list[str]) -> None:
    game.call("GET", "/campaigns/demo")
    dynamodb_calls.clear()
    page = game.call("GET", "/campaigns/demo").body
    assert dynamodb_calls == [] and page["calendar"] is None
    assert page["milestones"][1] == {"streak": 7, "wheel_chances": 0, "reward": {
        "type": "coupon", "type_id": "streak-7", "title": "20 off, 7 days in a row",
        "kind": "cash_voucher", "discount": "20.00", "valid_days": 30}}
    calendar(game, "ann")
    assert dynamodb_calls == ["GetItem"]
    dynamodb_calls.clear()
    game.call("GET", "/campaigns/demo/check-ins", member="ann")
    assert dynamodb_calls == ["Query"]


def test_a_week_of_check_ins_earns_day_rewards_and_each_milestone_once(
        game: GameClient, clock: list[datetime]) -> None:
    week = [f"2026-11-{d}" for d in range(23, 30)]
    replies = days_on(clock, game, "bob", *week)
    assert [r.body["streak"] for r in replies] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.body["milestones"] for r in replies] == [[], [], [3], [], [], [], [7]]
    sunday = replies[-1].body["rewards"]
    assert sunday[0] == {"for": "day", "day": 7, "reward": {"type": "points", "points": 70}}
    assert sunday[1]["for"] == "milestone" and sunday[1]["reward"]["type"] == "coupon"
    assert balance("bob") == 6 * 10 + 70 + 30
    assert len(list(CouponItem.query(keys.member("bob"), CouponItem.sk.startswith(keys.COUPON_PREFIX)))) == 1
    cal = calendar(game, "bob")
    assert [d["status"] for d in cal["days"]] == ["checked"] * 7
    assert cal["milestones_reached"] == [3, 7] and cal["next_milestone"] is None


@pytest.mark.parametrize(("scope", "monday_streak"), [("cycle", 1), ("campaign", 8)])
def test_weekly_cycle_boundary_restarts_or_carries_the_streak(
        apply: Apply, clock: list[datetime], scope: str, monday_streak: int) -> None:
    apply(campaign_doc(streak_scope=scope, milestones=[{"streak": 3, "reward": POINTS_10}]))
    game = GameClient("check-in")
    week = [f"2026-11-{d}" for d in range(23, 30)]
    days_on(clock, game, "cat", *week)
    # WHEN the member checks in on the next Monday
    (monday,) = days_on(clock, game, "cat", "2026-11-30")
    # THEN it is day 1 of a new cycle; the streak restarts with the cycle or carries on
    assert monday.body["cycle_day"] == 1 and monday.body["streak"] == monday_streak
    cal = calendar(game, "cat")
    assert cal["cycle"] == {"kind": "week", "start": "2026-11-30", "end": "2026-12-06"}
    assert cal["streak"] == monday_streak
    # AND with a per-cycle scope the milestone is earned again in the new week, once
    replies = days_on(clock, game, "cat", "2026-12-01", "2026-12-02")
    assert replies[-1].body["milestones"] == ([3] if scope == "cycle" else [])


def test_monthly_cycle_days_and_boundary(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(cycle="month", streak_scope="campaign",
                       day_rewards=[{"day": 31, "reward": {"type": "points", "points": 31}}]))
    game = GameClient("check-in")
    last, first = days_on(clock, game, "dan", "2026-12-30", "2026-12-31", "2027-01-01")[1:]
    assert (last.body["cycle_day"], last.body["rewards"][0]["reward"]["points"]) == (31, 31)
    assert (first.body["cycle_day"], first.body["streak"]) == (1, 3)
    cal = calendar(game, "dan")
    assert cal["cycle"]["start"] == "2027-01-01" and cal["cycle"]["end"] == "2027-01-31"
    assert len(cal["days"]) == 31
    clock[0] = local("2027-02-10")
    cal = calendar(game, "dan")
    assert len(cal["days"]) == 28 and cal["streak"] == 0
    assert cal["days"][0]["status"] == "missed" and cal["days"][9]["status"] == "today"


def test_n_day_cycles_are_anchored_to_the_campaign_start(apply: Apply, clock: list[datetime]) -> None:
    # GIVEN 10-day cycles from 2026-01-01: 2026-11-17..26 is one, 2026-11-27 starts the next
    apply(campaign_doc(cycle="days", cycle_days=10, milestones=[]))
    game = GameClient("check-in")
    replies = days_on(clock, game, "eve", "2026-11-25", "2026-11-26", "2026-11-27")
    assert [r.body["cycle_day"] for r in replies] == [9, 10, 1]
    assert [r.body["streak"] for r in replies] == [1, 2, 1]
    cal = calendar(game, "eve")
    assert (cal["cycle"]["start"], cal["cycle"]["end"]) == ("2026-11-27", "2026-12-06")


@pytest.mark.parametrize("tz", [SHANGHAI, NEW_YORK])
def test_the_day_is_the_campaigns_local_day(apply: Apply, clock: list[datetime], tz: str) -> None:
    apply(campaign_doc(timezone=tz))
    game = GameClient("check-in")
    # WHEN a member checks in at 23:59 local, then again two minutes later (00:01 local)
    clock[0] = local("2026-11-24", 23, 59, tz)
    late = check(game, "fay")
    clock[0] = local("2026-11-25", 0, 1, tz)
    early = check(game, "fay")
    # THEN those are two days in a row, not one day twice
    assert (late.status, early.status) == (201, 201)
    assert (late.body["day"], early.body["day"]) == ("2026-11-24", "2026-11-25")
    assert early.body["streak"] == 2
    # AND a third try at 23:58 the same local day is refused
    clock[0] = local("2026-11-25", 23, 58, tz)
    assert check(game, "fay").code == "ALREADY_CHECKED_IN"


def test_the_day_boundary_follows_the_zone_not_utc(apply: Apply, clock: list[datetime]) -> None:
    # 2026-11-24 15:59 UTC is 23:59 in Shanghai but 10:59 in New York: same UTC day, other days
    apply(campaign_doc())
    game = GameClient("check-in")
    clock[0] = datetime(2026, 11, 24, 15, 59, tzinfo=UTC)
    assert check(game, "gus").body["day"] == "2026-11-24"
    clock[0] = datetime(2026, 11, 24, 16, 1, tzinfo=UTC)
    assert check(game, "gus").body["day"] == "2026-11-25"


@pytest.mark.parametrize(("on_miss", "after_gap"), [("break", 1), ("pause", 3)])
def test_a_missed_day_breaks_or_pauses_the_streak(
        apply: Apply, clock: list[datetime], on_miss: str, after_gap: int) -> None:
    apply(campaign_doc(on_miss=on_miss))
    game = GameClient("check-in")
    days_on(clock, game, "hal", "2026-11-23", "2026-11-24")
    # the member misses Wednesday; on Thursday the page shows the streak broken or paused
    clock[0] = local("2026-11-26")
    cal = calendar(game, "hal")
    assert cal["streak"] == (0 if on_miss == "break" else 2)
    assert [d["status"] for d in cal["days"][:4]] == ["checked", "checked", "missed", "today"]
    (thursday,) = days_on(clock, game, "hal", "2026-11-26")
    assert thursday.body["streak"] == after_gap
    assert thursday.body["milestones"] == ([] if on_miss == "break" else [3])


def test_the_streak_is_alive_until_the_end_of_today(game: GameClient, clock: list[datetime]) -> None:
    days_on(clock, game, "ivy", "2026-11-23", "2026-11-24")
    clock[0] = local("2026-11-25", 8)
    cal = calendar(game, "ivy")
    assert (cal["streak"], cal["checked_today"]) == (2, False)
    assert cal["next_milestone"] == {"streak": 3, "days_to_go": 1}
    assert cal["days"][2]["status"] == "today" and cal["days"][3]["status"] == "upcoming"


def test_a_check_in_grants_a_wheel_chance(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(wheel_chances=1, milestones=[{"streak": 2, "wheel_chances": 2}]))
    game, wheel = GameClient("check-in"), GameClient("lucky-wheel")
    clock[0] = local("2026-11-23")
    before = wheel.call("GET", "/campaigns/demo", member="jay").body["chances"]
    assert before["left_today"] == 3
    assert check(game, "jay").body["wheel_chances"] == 1
    after = wheel.call("GET", "/campaigns/demo", member="jay").body["chances"]
    assert (after["left_today"], after["left_total"]) == (4, 21)
    # the extra chance really plays: four draws pass today, the fifth is refused
    replies = [wheel.call("POST", "/campaigns/demo/draws", member="jay", key=f"jay-draw-{i:03d}")
               for i in range(5)]
    assert [r.status for r in replies] == [201] * 4 + [403]
    # the 2-day milestone adds its own chances to the day's
    (tuesday,) = days_on(clock, game, "jay", "2026-11-24")
    assert tuesday.body["wheel_chances"] == 3
    assert wheel.call("GET", "/campaigns/demo", member="jay").body["chances"]["left_today"] == 6


def test_wheel_chances_are_not_granted_without_a_wheel(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(wheel=False, wheel_chances=1))
    clock[0] = local("2026-11-23")
    reply = check(GameClient("check-in"), "kim")
    assert reply.body["wheel_chances"] == 0
    counter = keys.quota("demo", "lucky-wheel:plays", "ALL")
    assert list(CounterItem.query(keys.member("kim"), CounterItem.sk == counter)) == []


BLIND_BOX: dict[str, Any] = {"fallback": "sticker", "prizes": [
    {"id": "mug", "name": "Mug", "weight": 1, "stock": 1, "cost": "8.00", "value": "30.00",
     "reward": {"type": "points", "points": 500}},
    {"id": "sticker", "name": "Sticker", "weight": 0, "reward": {"type": "points", "points": 1}},
]}


def test_a_check_in_opens_a_blind_box_from_its_pool(apply: Apply, clock: list[datetime]) -> None:
    apply(campaign_doc(blind_box=BLIND_BOX))
    game = GameClient("check-in")
    page = game.call("GET", "/campaigns/demo").body
    assert [p["id"] for p in page["blind_box"]["prizes"]] == ["mug", "sticker"]
    assert "weight" not in page["blind_box"]["prizes"][0]
    first, second = days_on(clock, game, "leo", "2026-11-23", "2026-11-24")
    # THEN the only mug goes to the first box, the next falls back to the sticker
    assert first.body["blind_box"]["prize"]["id"] == "mug"
    assert first.body["blind_box"]["reward"] == {"type": "points", "points": 500}
    assert second.body["blind_box"]["prize"]["id"] == "sticker"
    assert second.body["blind_box"]["fallback"] is True
    # AND both boxes re-verify once their days are over, the second with why it fell back
    found = [verify_draw("demo", r.body["check_in_id"], local("2026-11-26")) for r in (first, second)]
    assert [(f["matches"], f["draw"]["drawn"], f["draw"]["awarded"], f["draw"]["fallback_reason"])
            for f in found] == [(True, "mug", "mug", None), (True, "mug", "sticker", "stock")]
    # AND the box's points and the day's points share the balance (one update per action)
    assert balance("leo") == 10 + 500 + 10 + 1


def test_a_gold_members_box_has_the_gold_tiers_odds(apply: Apply, clock: list[datetime]) -> None:
    mug, sticker = BLIND_BOX["prizes"]
    box = {"fallback": "sticker", "prizes": [mug | {"weight": 0}, sticker | {"weight": 1}],
           "odds_by_tier": {"gold": {"weights": {"mug": 1, "sticker": 0}}}}
    apply(campaign_doc(blind_box=box))
    game, clock[0] = GameClient("check-in"), local("2026-11-23")
    plain = check(game, "ned")
    gold = game.call("POST", "/campaigns/demo/check-ins", key="ck-gold-0001",
                     headers=bearer(mint_player("ola", now=utc_now(), tier="gold")))
    assert gold.status == 201, gold
    won = [reply.body["blind_box"]["prize"]["id"] for reply in (plain, gold)]
    assert won == ["sticker", "mug"]


def test_a_retry_gets_the_first_answer_even_the_next_day(game: GameClient, clock: list[datetime]) -> None:
    clock[0] = local("2026-11-23", 23, 59)
    first = check(game, "max", key="retry-key-001")
    again = check(game, "max", key="retry-key-001")
    assert again.status == 201 and again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    # a retry that arrives after midnight is still the Monday check-in, not a Tuesday one
    clock[0] = local("2026-11-24", 0, 1)
    late = check(game, "max", key="retry-key-001")
    assert late.body == first.body and late.headers["Idempotent-Replayed"] == "true"
    cal = calendar(game, "max")
    assert (cal["checked_today"], cal["streak"]) == (False, 1)
    assert balance("max") == 10


def test_the_documented_demo_section_applies_and_plays(apply: Apply, clock: list[datetime]) -> None:
    text = (ROOT / "docs" / "games" / "check-in.md").read_text()
    section = yaml.safe_load(text.split("```yaml\n", 1)[1].split("```", 1)[0])
    doc = demo_doc()
    doc["games"].update(json.loads(json.dumps(section, default=str)))
    campaign = apply(doc)
    assert not campaign.budget_counted  # the box's stock x cost still fits the demo budget
    game = GameClient("check-in")
    replies = days_on(clock, game, "doc", "2026-11-23", "2026-11-24", "2026-11-25")
    assert replies[-1].body["rewards"][-1] == {"for": "milestone", "streak": 3, "reward": None,
                                               "wheel_chances": 1}
    assert all(r.body["blind_box"] is not None for r in replies)


def test_the_function_serves_its_openapi_document(
    table: str, game_function: Callable[[str], Handler],
) -> None:
    client = GameClient("check-in")
    client.handler = game_function("check-in")
    reply = client.call("GET", "/openapi.json")
    assert reply.status == 200
    assert sorted(reply.body["paths"]) == ["/campaigns/{campaign_id}",
                                           "/campaigns/{campaign_id}/check-ins",
                                           "/campaigns/{campaign_id}/commitments",
                                           "/campaigns/{campaign_id}/disclosure",
                                           "/campaigns/{campaign_id}/draws/{draw_id}/verification",
                                           "/campaigns/{campaign_id}/make-ups",
                                           "/campaigns/{campaign_id}/visits"]
    assert {"CheckInView", "Calendar", "MakeUpRequest"} <= set(reply.body["components"]["schemas"])
