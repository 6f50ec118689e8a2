"""`POST /campaigns/forecast`: a marketer's forecast of a config document or of an applied
campaign, the same answer as `mgames simulate --json`; bad input is 400 FORECAST_INVALID
naming every problem; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.campaigns.model import parse_campaign
from plugins.console.forecasts import MOST
from plugins.forecast import Traffic, forecast
from tests.conftest import Apply, Scan, demo_doc
from tests.console.conftest import Console, code_of

FORECAST = "/campaigns/forecast"
PROFILE = {"players": 20, "days": 2, "runs": 5, "seed": 4, "start": "2026-11-23"}


def test_a_config_document_is_forecast_as_the_cli_does(console: Console, table: str,
                                                       scan: Scan) -> None:
    before = scan()
    reply = console.call("POST", FORECAST, body={"config": demo_doc(), **PROFILE}, key=None)
    assert reply.status_code == 200, reply.data
    assert reply.data == forecast(parse_campaign(demo_doc()), Traffic.parse(PROFILE))
    assert reply.data["traffic"]["runs"] == 5 and reply.data["open_days"] == 2
    assert {"cost", "days", "run_out", "odds", "awards"} <= set(reply.data)
    assert scan() == before  # a forecast writes nothing


def test_an_applied_campaign_is_forecast_from_its_current_version(console: Console,
                                                                  apply: Apply) -> None:
    apply(demo_doc(budget="9000.00"))
    reply = console.call("POST", FORECAST, body={"campaign_id": "demo", "players": 50, "days": 4})
    assert reply.status_code == 200, reply.data
    assert reply.data["campaign"]["budget"] == "9000.00"
    # without `runs`, as many as the console's bound allows, at most 200
    assert reply.data["traffic"]["runs"] == 200
    reply = console.call("POST", FORECAST, body={"campaign_id": "demo", "players": 1000, "days": 7})
    assert reply.data["traffic"]["runs"] == MOST // 7000


@pytest.mark.parametrize(("body", "problem"), [
    ({"players": 5, "days": 1}, "give either config (a campaign document) or campaign_id"),
    ({"campaign_id": "demo", "config": demo_doc(), "players": 5, "days": 1}, "give either config"),
    ({"campaign_id": "demo", "players": 0, "days": 1}, "players: Input should be greater than or equal to 1"),
    ({"campaign_id": "demo", "players": 5, "days": 1, "active": 0}, "active: Input should be greater than 0"),
    ({"campaign_id": "demo", "players": 5, "days": 1, "color": "red"},
     "color: Extra inputs are not permitted"),
    ({"campaign_id": "demo", "players": 5000, "days": 10, "runs": 10}, "more than 200,000"),
    ({"campaign_id": "demo", "players": 5, "days": 1, "game_plays": {"pinball": 1}},
     "plays name games the campaign does not run: ['pinball']"),
    ({"campaign_id": "demo", "players": 5, "days": 1, "start": "2040-01-01"},
     "the campaign is not open on any day"),
    ({"config": demo_doc(budget="-1"), "players": 5, "days": 1},
     "config.budget: Input should be greater than or equal to 0"),
    ([1, 2], "the body must be a JSON object"),
])
def test_bad_input_is_400_forecast_invalid(console: Console, apply: Apply, scan: Scan,
                                           body: Any, problem: str) -> None:
    apply()
    before = scan()
    reply = console.call("POST", FORECAST, body=body)
    assert (reply.status_code, code_of(reply)) == (400, "FORECAST_INVALID"), reply.data
    assert problem in reply.data["error"]["message"]
    assert scan() == before


def test_a_campaign_not_applied_or_not_the_marketers_is_refused(console: Console, apply: Apply) -> None:
    reply = console.call("POST", FORECAST, body={"campaign_id": "demo", "players": 5, "days": 1})
    assert (reply.status_code, code_of(reply)) == (404, "CAMPAIGN_NOT_FOUND")
    reply = console.call("POST", FORECAST, body={"config": demo_doc(id="autumn"), "players": 5,
                                                 "days": 1})
    assert (reply.status_code, code_of(reply)) == (403, "FORBIDDEN")
    reply = console.call("POST", FORECAST, role="staff",
                         body={"campaign_id": "demo", "players": 5, "days": 1})
    assert (reply.status_code, code_of(reply)) == (403, "FORBIDDEN")
