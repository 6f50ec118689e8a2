"""Referral assist: opening, helping and completing tasks in the three variants, the rewards,
the views, and the DynamoDB round trips each action costs (docs/games/assist.md)."""

from __future__ import annotations

import copy
import zlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from games.assist.config import AssistConfig, Card
from games.assist.items import TASK_SK, HelpItem, TaskItem, TaskRefItem, open_counter, task_pk
from plugins.draws import verify_draw
from plugins.store import CounterItem, PointsItem, keys
from tests.conftest import NOW, Apply, GameClient, Reply, bearer, demo_doc, token

TASKS = "/campaigns/demo/tasks"
BONUS, HELPER_POINTS = 200, 10
SECTION: dict[str, Any] = {
    "mode": "helpers",
    "helpers_needed": 3,
    "task_hours": 24,
    "max_open_tasks": 1,
    "helps_per_day": 5,
    "helper_reward": {"type": "points", "points": HELPER_POINTS},
    "fallback": "thanks",
    "prizes": [
        {"id": "bonus", "name": "200 points", "weight": 1,
         "reward": {"type": "points", "points": BONUS}},
        {"id": "thanks", "name": "Thanks for helping", "weight": 0,
         "reward": {"type": "points", "points": 5}},
    ],
}
CUT = {"mode": "cut", "helpers_needed": 4, "cut": {"price": "100.00", "floor": "9.90"}}
CARDS = {"mode": "cards", "cards": [{"id": "fu", "name": "Fortune"}, {"id": "lu", "name": "Wealth"},
                                    {"id": "shou", "name": "Longevity"}]}


def assist_doc(**changes: Any) -> dict[str, Any]:
    """The demo campaign running only the assist game (changed as given), velocity out of the way."""
    section = copy.deepcopy(SECTION) | changes
    return demo_doc(velocity={"per_device": 10_000, "per_ip": 10_000}, games={"assist": section})


def ip_of(member: str) -> str:
    """A stable IP per member, never the initiators' default 10.0.0.1."""
    n = zlib.crc32(member.encode())
    return f"10.{n % 200 + 1}.{n // 200 % 250}.{n // 50000 % 250 + 1}"


def open_task(client: GameClient, member: str = "ini", key: str = "open-00001", **kw: Any) -> str:
    reply = client.call("POST", TASKS, member=member, key=key, **kw)
    assert reply.status == 201, reply
    return str(reply.body["task_id"])


def help_task(client: GameClient, task_id: str, member: str, key: str | None = None,
              **kw: Any) -> Reply:
    kw.setdefault("ip", ip_of(member))
    return client.call("POST", f"{TASKS}/{task_id}/helps", member=member,
                       key=key or f"help-{member}-{task_id[-6:]}", **kw)


def task_of(task_id: str) -> TaskItem:
    return TaskItem.get(task_pk("demo", task_id), TASK_SK, consistent_read=True)


def points(member: str) -> int:
    try:
        return int(PointsItem.get(keys.member(member), keys.POINTS_BALANCE).points)
    except PointsItem.DoesNotExist:
        return 0


def ledger(member: str) -> list[str]:
    """The references of the member's ledger lines (`PTS#<time>#<reference>`), in time order."""
    lines = PointsItem.query(keys.member(member), PointsItem.sk.startswith(keys.POINTS_LEDGER))
    return [line.sk.split("#", 2)[2] for line in lines]


def open_count(member: str = "ini") -> int:
    counter = open_counter("demo", member)
    try:
        return int(CounterItem.get(counter.pk, counter.sk).n)
    except CounterItem.DoesNotExist:
        return 0


@pytest.fixture
def assist(apply: Apply) -> GameClient:
    apply(assist_doc())
    return GameClient("assist")


@pytest.fixture
def cards_in_order(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Script the cards helps draw: append ids; each help takes the first."""
    script: list[str] = []

    def draw(self: AssistConfig, rng: Any) -> Card:
        wanted = script.pop(0)
        return next(c for c in self.cards if c.id == wanted)

    monkeypatch.setattr(AssistConfig, "draw_card", draw)
    yield script


def test_the_rules_page_reads_nothing_and_hides_odds(assist: GameClient, dynamodb_calls: list[str]) -> None:
    assist.call("GET", "/campaigns/demo")
    dynamodb_calls.clear()
    rules = assist.call("GET", "/campaigns/demo").body
    assert dynamodb_calls == []
    assert (rules["mode"], rules["need"], rules["max_open_tasks"]) == ("helpers", 3, 1)
    assert rules["helper_reward"] == {"type": "points", "points": HELPER_POINTS}
    assert [p["id"] for p in rules["prizes"]] == ["bonus", "thanks"]
    assert all("weight" not in p and "stock" not in p and "cost" not in p for p in rules["prizes"])


def test_a_task_completes_with_its_nth_help_and_awards_the_initiator_once(assist: GameClient) -> None:
    # GIVEN a task needing 3 helps
    task_id = open_task(assist, device="ini-phone")
    assert open_count() == 1
    # WHEN three friends help
    replies = [help_task(assist, task_id, f"friend{i}") for i in range(3)]
    # THEN each counts, the third completes the task and the initiator gets his prize, once
    assert [r.status for r in replies] == [201, 201, 201]
    assert [r.body["completed"] for r in replies] == [False, False, True]
    assert all(r.body["helper_reward"] == {"type": "points", "points": HELPER_POINTS} for r in replies)
    task = task_of(task_id)
    assert (task.state, int(task.helps), int(task.left), task.completed_by) == (
        "completed", 3, 0, "friend2")
    assert points("ini") == BONUS and ledger("ini") == [f"assist-{task_id}"]
    assert all(points(f"friend{i}") == HELPER_POINTS for i in range(3))
    # AND the initiator's open-task slot is free again, his reference closed
    assert open_count() == 0
    ref = TaskRefItem.get(keys.member("ini"), f"AST#demo#{task_id}")
    assert ref.closed == "completed"
    # AND a retry of the completing help answers the same, awarding nothing more
    again = help_task(assist, task_id, "friend2")
    assert (again.status, again.body, again.headers["Idempotent-Replayed"]) == (
        201, replies[2].body, "true")
    assert points("ini") == BONUS and points("friend2") == HELPER_POINTS


def test_share_page_and_own_tasks(assist: GameClient) -> None:
    task_id = open_task(assist)
    help_task(assist, task_id, "friend")
    public = assist.call("GET", f"{TASKS}/{task_id}")
    assert public.status == 200
    assert {k: public.body[k] for k in ("state", "need", "helps", "left")} == {
        "state": "open", "need": 3, "helps": 1, "left": 2}
    assert "mine" not in public.body and "reward" not in public.body
    assert "ini" not in str(public.body)  # never the initiator's member id
    assert assist.call("GET", f"{TASKS}/{task_id}", member="ini").body["mine"] is True
    assert assist.call("GET", f"{TASKS}/{task_id}", member="friend").body["mine"] is False
    for i in range(2, 4):
        help_task(assist, task_id, f"friend{i}")
    own = assist.call("GET", TASKS, member="ini").body["tasks"]
    assert [t["task_id"] for t in own] == [task_id]
    assert own[0]["state"] == "completed"
    assert own[0]["reward"]["reward"] == {"type": "points", "points": BONUS}
    assert assist.call("GET", TASKS, member="friend").body == {"tasks": [], "next_cursor": None}


def test_round_trips_per_action(assist: GameClient, dynamodb_calls: list[str]) -> None:
    assist.call("GET", "/campaigns/demo")  # warm config
    dynamodb_calls.clear()
    task_id = open_task(assist)
    assert dynamodb_calls == ["TransactWriteItems"]
    for i, expected in enumerate([["TransactWriteItems"], ["TransactWriteItems"],
                                  # the completing help: its first plan assumed more to come
                                  ["TransactWriteItems", "GetItem", "TransactWriteItems"]]):
        dynamodb_calls.clear()
        assert help_task(assist, task_id, f"f{i}").status == 201
        assert dynamodb_calls == expected
    dynamodb_calls.clear()
    assist.call("GET", f"{TASKS}/{task_id}")
    assert dynamodb_calls == ["GetItem"]
    dynamodb_calls.clear()
    assist.call("GET", TASKS, member="ini")
    assert dynamodb_calls == ["Query", "BatchGetItem"]


def test_cut_variant_lands_on_the_floor(apply: Apply, dynamodb_calls: list[str]) -> None:
    # GIVEN 100.00 to be cut to 9.90 by 4 helpers
    apply(assist_doc(**CUT))
    client = GameClient("assist")
    task_id = open_task(client)
    opened = client.call("GET", f"{TASKS}/{task_id}").body
    assert opened["cut"] == {"price": "100.00", "floor": "9.90", "price_now": "100.00",
                             "cut_so_far": "0.00"}
    cuts, prices = [], []
    for i in range(4):
        dynamodb_calls.clear()
        reply = help_task(client, task_id, f"cutter{i}")
        # the cut is drawn from what is left: one read, then one conditioned transaction
        assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
        cuts.append(round(float(reply.body["cut"]["amount"]) * 100))
        prices.append(reply.body["cut"]["price_now"])
    assert sum(cuts) == 9010 and min(cuts) >= 1
    assert prices[-1] == "9.90"
    assert [r.body["completed"] for r in [reply]] == [True]
    task = task_of(task_id)
    assert (task.state, int(task.to_cut), int(task.left)) == ("completed", 0, 0)
    markers = HelpItem.query(task_pk("demo", task_id), HelpItem.sk.startswith("HELP#"))
    assert sorted(int(m.cut) for m in markers) == sorted(cuts)
    assert points("ini") == BONUS
    view = client.call("GET", f"{TASKS}/{task_id}").body
    assert view["cut"]["price_now"] == "9.90" and view["cut"]["cut_so_far"] == "90.10"


def test_cards_variant_completes_when_every_card_is_held(
    apply: Apply, cards_in_order: list[str], dynamodb_calls: list[str],
) -> None:
    apply(assist_doc(**CARDS))
    client = GameClient("assist")
    task_id = open_task(client)
    cards_in_order += ["fu", "fu", "lu", "shou"]
    results = []
    for i in range(4):
        dynamodb_calls.clear()
        results.append(help_task(client, task_id, f"collector{i}").body)
        calls = list(dynamodb_calls)
    assert [r["card"]["id"] for r in results] == ["fu", "fu", "lu", "shou"]
    assert [r["completed"] for r in results] == [False, False, False, True]
    assert calls == ["TransactWriteItems", "GetItem", "TransactWriteItems"]
    view = client.call("GET", f"{TASKS}/{task_id}").body
    assert (view["state"], view["helps"], view["left"]) == ("completed", 4, 0)
    assert [c["held"] for c in view["cards"]] == [True, True, True]
    assert points("ini") == BONUS and ledger("ini") == [f"assist-{task_id}"]


def test_a_duplicate_card_does_not_complete(apply: Apply, cards_in_order: list[str]) -> None:
    apply(assist_doc(**CARDS))
    client = GameClient("assist")
    task_id = open_task(client)
    cards_in_order += ["fu", "lu", "lu", "fu"]
    assert not any(help_task(client, task_id, f"c{i}").body["completed"] for i in range(4))
    view = client.call("GET", f"{TASKS}/{task_id}").body
    assert (view["state"], view["helps"], view["left"]) == ("open", 4, 1)
    assert points("ini") == 0


def test_completion_prize_falls_back_when_sold_out(apply: Apply) -> None:
    # GIVEN one coupon in stock for completed tasks, and tasks needing a single help
    coupon = {"id": "coupon", "name": "20 off", "weight": 1, "stock": 1, "cost": "2.00",
              "reward": {"type": "coupon", "type_id": "assist-20", "title": "20 off 100",
                         "kind": "full_reduction", "threshold": "100.00", "discount": "20.00",
                         "valid_days": 7}}
    apply(assist_doc(helpers_needed=1, prizes=[coupon, SECTION["prizes"][1]]))
    client = GameClient("assist")
    first, second = open_task(client, "ini1"), open_task(client, "ini2")
    # WHEN both complete
    completing = [help_task(client, first, "f1"), help_task(client, second, "f2")]
    assert all(reply.body["completed"] for reply in completing)
    # THEN the first initiator got the coupon, the second the fallback
    rewards = [task_of(t).reward for t in (first, second)]
    assert rewards[0]["prize"]["id"] == "coupon" and rewards[0]["reward"]["type"] == "coupon"
    assert rewards[1]["prize"]["id"] == "thanks" and rewards[1]["fallback"] is True
    assert points("ini2") == 5 and ledger("ini1") == []
    # AND both draws re-verify once their day is over (the completing help's id is the draw's,
    # kept with the prize for the page's link), the second with the reason it fell back
    assert [r["draw_id"] for r in rewards] == [reply.body["help_id"] for reply in completing]
    found = [verify_draw("demo", reply.body["help_id"], NOW + timedelta(days=1)) for reply in completing]
    assert [f["matches"] for f in found] == [True, True]
    assert [(f["draw"]["member_id"], f["draw"]["drawn"], f["draw"]["awarded"], f["draw"]["fallback_reason"])
            for f in found] == [("ini1", "coupon", "coupon", None), ("ini2", "coupon", "thanks", "stock")]


def test_a_refused_helper_coupon_still_counts_the_help(apply: Apply) -> None:
    # GIVEN helpers get a coupon they may collect once in the campaign
    reward = {"type": "coupon", "type_id": "thanks-5", "title": "5 off", "kind": "cash_voucher",
              "discount": "5.00", "valid_days": 7, "per_user_per_campaign": 1}
    apply(assist_doc(helper_reward=reward))
    client = GameClient("assist")
    tasks = [open_task(client, f"ini{i}") for i in range(2)]
    # WHEN one friend helps both tasks
    first, second = (help_task(client, t, "friend") for t in tasks)
    # THEN both helps count; only the first brings him the coupon
    assert (first.status, second.status) == (201, 201)
    assert first.body["helper_reward"]["type"] == "coupon"
    assert second.body["helper_reward"] is None
    assert [int(task_of(t).helps) for t in tasks] == [1, 1]


def test_two_coupons_in_one_completing_help_fail_apart(apply: Apply) -> None:
    # GIVEN helpers get a coupon once per campaign, and the initiator's prize is a coupon too:
    # the completing help issues both in one transaction, under the same issuer's tags
    helper_coupon = {"type": "coupon", "type_id": "thanks-5", "title": "5 off",
                     "kind": "cash_voucher", "discount": "5.00", "valid_days": 7,
                     "per_user_per_campaign": 1}
    prize = {"id": "coupon", "name": "20 off", "weight": 1, "stock": 10, "cost": "2.00",
             "reward": {"type": "coupon", "type_id": "assist-20", "title": "20 off 100",
                        "kind": "full_reduction", "threshold": "100.00", "discount": "20.00",
                        "valid_days": 7, "per_user_per_campaign": 1}}
    apply(assist_doc(helpers_needed=1, helper_reward=helper_coupon,
                     prizes=[prize, SECTION["prizes"][1]]))
    client = GameClient("assist")
    tasks = [open_task(client, f"ini{i}") for i in range(2)]
    # WHEN one friend completes both tasks
    first, second = (help_task(client, t, "friend").body for t in tasks)
    # THEN his second coupon is refused (his limit) without touching the initiator's prize
    assert first["helper_reward"]["type"] == "coupon" and second["helper_reward"] is None
    for task_id in tasks:
        won = task_of(task_id).reward
        assert (won["prize"]["id"], won["fallback"], won["reward"]["type"]) == ("coupon", False, "coupon")


def test_the_initiators_tier_draws_his_prize_with_its_odds(apply: Apply) -> None:
    # GIVEN a pool whose bonus a gold member always draws and anyone else never does
    prizes = [{**SECTION["prizes"][0], "weight": 0}, {**SECTION["prizes"][1], "weight": 1}]
    apply(assist_doc(helpers_needed=1, prizes=prizes,
                     odds_by_tier={"gold": {"weights": {"bonus": 1, "thanks": 0}}}))
    client = GameClient("assist")
    gold_token = token("ini-gold", "gold-phone", tier="gold")
    opened = client.call("POST", TASKS, key="open-00001", headers=bearer(gold_token))
    assert opened.status == 201, opened
    gold = str(opened.body["task_id"])
    plain = open_task(client, "ini-plain", key="open-00002")
    # WHEN a friend without a tier completes each
    assert all(help_task(client, task, f"f-{task[-4:]}").body["completed"] for task in (gold, plain))
    # THEN the gold initiator's prize came from the gold odds, the other's from the pool's
    assert [task_of(t).reward["prize"]["id"] for t in (gold, plain)] == ["bonus", "thanks"]
    assert (task_of(gold).initiator_tier, task_of(plain).initiator_tier) == ("gold", None)
    assert points("ini-gold") == BONUS and points("ini-plain") == 5
    # AND the draw's record names the tier, so it re-verifies on the gold odds
    found = verify_draw("demo", task_of(gold).reward["draw_id"], NOW + timedelta(days=1))
    assert (found["matches"], found["draw"]["tier"]) == (True, "gold")
