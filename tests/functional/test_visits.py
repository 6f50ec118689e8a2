"""A page tells the campaign a member opened it (`POST .../visits` on every game): the report
counts visitors once per member over the campaign and once per member a day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from plugins.console.report import campaign_report
from plugins.registry import games
from tests.conftest import NOW, GameClient, Scan, bearer, operator_token

VISITS = "/campaigns/demo/visits"


def visits(scan: Scan) -> list[tuple[str, str]]:
    return sorted(key for key in scan() if key[1].startswith("VIS#"))


@pytest.mark.parametrize("game", sorted(games()))
def test_every_game_counts_a_visit_once_a_day_in_one_write(game: str, apply: Any, scan: Scan,
                                                            dynamodb_calls: list[str]) -> None:
    apply()
    client = GameClient(game)
    first = client.call("POST", VISITS, member="vera")
    assert (first.status, first.body) == (204, None)
    assert dynamodb_calls.count("PutItem") == 1
    again = client.call("POST", VISITS, member="vera")
    assert again.status == 204
    assert visits(scan) == [("M#vera", "VIS#demo#2026-11-23")]


def test_the_report_counts_visitors_per_day_and_over_the_campaign(
        apply: Any, aggregate: Any, clock: list[Any]) -> None:
    apply()
    wheel, booking = GameClient("lucky-wheel"), GameClient("booking")
    for member in ("vera", "walt"):
        assert wheel.call("POST", VISITS, member=member).status == 204
    assert booking.call("POST", VISITS, member="vera").status == 204  # another page, same day
    clock[0] = NOW + timedelta(days=1)
    assert wheel.call("POST", VISITS, member="vera").status == 204
    aggregate()
    report = campaign_report("demo", clock[0])
    assert report["funnel"]["visitors"] == 2
    assert [(d["day"], d["visitors"]) for d in report["days"]] == [("2026-11-23", 2), ("2026-11-24", 1)]


def test_a_visit_needs_a_player(apply: Any, scan: Scan) -> None:
    apply()
    wheel = GameClient("lucky-wheel")
    assert wheel.call("POST", VISITS).code == "TOKEN_MISSING"
    staff = wheel.call("POST", VISITS, headers=bearer(operator_token("sam", "staff")))
    assert (staff.status, staff.code) == (403, "FORBIDDEN")
    unknown = wheel.call("POST", "/campaigns/nope/visits", member="vera")
    assert (unknown.status, unknown.code) == (404, "CAMPAIGN_NOT_FOUND")
    assert visits(scan) == []
