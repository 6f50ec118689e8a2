"""Each game's own figures in the campaign report equal counts taken straight from the store
after a scripted mini campaign of that game."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from plugins.console.report import campaign_report
from plugins.registry import games
from plugins.types import yuan
from tests.conftest import NOW, GameClient, wheel_doc
from tests.functional.test_assist import TASKS, assist_doc, ip_of, open_task
from tests.functional.test_assist_rules import bearer
from tests.functional.test_booking import book, booking_doc, cancel, verify_code
from tests.functional.test_check_in import campaign_doc, days_on, local
from tests.functional.test_red_packet import grab, order, rp_doc

Items = dict[tuple[str, str], dict[str, Any]]


def figures(aggregate: Any, game: str, now: datetime) -> dict[str, Any]:
    aggregate()
    report = campaign_report("demo", now)
    assert list(report["games"]) == [game]
    found: dict[str, Any] = report["games"][game]
    json.dumps(found)  # the report is a JSON body
    return found


def test_the_built_in_games_give_report_figures() -> None:
    found = games()
    assert all(found[name].report is not None
               for name in ("check-in", "assist", "red-packet", "booking"))
    assert found["lucky-wheel"].report is None


def test_a_game_without_figures_adds_none(apply: Any) -> None:
    apply(wheel_doc())  # the lucky wheel only gives the common figures
    assert campaign_report("demo", NOW)["games"] == {}


def test_check_in_streaks(aggregate: Any, apply: Any, clock: Any, scan: Any) -> None:
    apply(campaign_doc(wheel=False))
    game = GameClient("check-in")
    days_on(clock, game, "bob", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26")
    days_on(clock, game, "cat", "2026-11-23", "2026-11-25", "2026-11-26")
    days_on(clock, game, "dan", "2026-11-23")
    clock[0] = local("2026-11-26", 18)
    got = figures(aggregate, "check-in", clock[0])
    items: Items = scan()
    days = [i for (_, sk), i in items.items() if sk.startswith("CHK#demo#D#")]
    states = {pk: json.loads(i["days"]["S"]) for (pk, sk), i in items.items()
              if sk == "CHK#demo#STATE"}
    assert got["check_ins"] == len(days) == 8 and got["make_ups"] == 0
    assert got["members"] == len(states) == 3
    # the streak each check-in reached: bob 1, 2, 3, 4 days running, cat 1, 1, 2, dan 1
    assert got["streaks_reached"] == {"1": 4, "2": 2, "3": 1, "4": 1}
    assert got["max_streak"] == 4
    assert sorted(len(d) for d in states.values()) == [1, 3, 4]


def test_assist_completion_and_k_factor(aggregate: Any, apply: Any, scan: Any) -> None:
    apply(assist_doc())
    assist = GameClient("assist")
    first = open_task(assist, "ini-1", key="open-0001")
    second = open_task(assist, "ini-2", key="open-0002")
    old = datetime(2024, 1, 1, tzinfo=NOW.tzinfo)
    for n, (task, helper, registered) in enumerate([
            (first, "new-a", NOW), (first, "new-b", NOW), (first, "old-c", old),
            (second, "new-a", NOW)]):
        reply = assist.call("POST", f"{TASKS}/{task}/helps", key=f"help-{n:04d}",
                            ip=ip_of(helper), headers=bearer(helper, registered))
        assert reply.status == 201, reply.body
    got = figures(aggregate, "assist", NOW)
    items: Items = scan()
    tasks = [i for (pk, sk), i in items.items() if pk.startswith("C#demo#AST#") and sk == "TASK"]
    helps = [i for (pk, sk), i in items.items()
             if pk.startswith("C#demo#AST#") and sk.startswith("HELP#")]
    new = sum(1 for h in helps if h.get("new_user", {}).get("BOOL"))
    initiators = {t["initiator"]["S"] for t in tasks}
    completed = sum(1 for t in tasks if t["state"]["S"] == "completed")
    assert got["tasks_opened"] == len(tasks) == 2
    assert got["tasks_completed"] == completed == 1 and got["tasks_expired"] == 0
    assert got["completion_rate"] == 0.5
    assert got["helps"] == len(helps) == 4
    assert got["new_user_helps"] == new == 3
    assert got["initiators"] == len(initiators) == 2 and got["k_factor"] == 1.5
    assert got["helpers"] == len({h["member_id"]["S"] for h in helps}) == 3
    # past the deadline the open task reads expired
    later = figures(aggregate, "assist", NOW + timedelta(days=2))
    assert (later["tasks_completed"], later["tasks_expired"]) == (1, 1)


def test_red_packet_grab_rate(aggregate: Any, apply: Any, scan: Any) -> None:
    apply(rp_doc())
    rp = GameClient("red-packet")
    one = order(rp, "ord-1", "alice").body["packet_id"]
    two = order(rp, "ord-2", "bob", amount="120.00").body["packet_id"]
    for packet, member in [(one, "bob"), (one, "carol"), (two, "alice")]:
        reply = grab(rp, packet, member)
        assert reply.status == 201, reply.body
    got = figures(aggregate, "red-packet", NOW)
    items: Items = scan()
    packets = [i for (pk, sk), i in items.items() if pk.startswith("C#demo#RP#") and sk == "RP"]
    parts = sum(len(p["parts"]["L"]) for p in packets)
    grabs = [i for (_, sk), i in items.items() if sk.startswith("RP#demo#G#")]
    assert got["packets"] == len(packets) == 2
    assert got["parts"] == parts == 10
    assert got["grabs"] == len(grabs) == 3 and got["grab_rate"] == 0.3
    assert sum(int(g["amount"]["N"]) for g in grabs) > 0
    assert got["handed_out"] == yuan(sum(int(g["amount"]["N"]) for g in grabs))
    assert got["handed_out"] == yuan(sum(int(p["handed_out"]["N"]) for p in packets))
    assert got["bonus_paid"] == "0.00" and got["expired"] == 0 and got["empty"] == 0
    assert figures(aggregate, "red-packet", NOW + timedelta(days=2))["expired"] == 2


def test_booking_pick_up_rate(aggregate: Any, apply: Any, scan: Any) -> None:
    apply(booking_doc())
    bk = GameClient("booking")
    made = {member: book(bk, member) for member in ("ann", "bob", "cat", "dan")}
    assert all(reply.status == 201 for reply in made.values())
    assert cancel(bk, "bob", made["bob"].body["booking_id"]).status == 201
    assert verify_code(bk, made["ann"].body["code"]).status == 200
    got = figures(aggregate, "booking", NOW)
    items: Items = scan()
    states = Counter(i["state"]["S"] for (_, sk), i in items.items() if sk.startswith("BKB#demo#"))
    assert got["bookings"] == sum(states.values()) == 4
    assert got["picked_up"] == states["picked_up"] == 1
    assert got["cancelled"] == states["cancelled"] == 1
    assert got["booked"] == states["booked"] == 2 and got["expired"] == 0
    assert got["pickup_rate"] == round(1 / 3, 4)
    # after the pick-up window the unpicked bookings count as expired, swept or not
    later = figures(aggregate, "booking", NOW + timedelta(days=3))
    assert (later["booked"], later["expired"], later["pickup_rate"]) == (0, 2, round(1 / 3, 4))
