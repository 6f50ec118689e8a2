"""A game lives inside its own package: a toy game, installed as a separate distribution for
this test only (nothing of it in the repository), contributes a player route, a console
route, an `mgames` command, a scheduled job and a report section, and each one works
through the host exactly as the built-in games' do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main as mgames
from plugins import registry
from plugins.console.report import campaign_report
from plugins.jobs import run_jobs
from plugins.runtime import runtime
from tests.conftest import ROOT, Apply, GameClient, operator_token, wheel_doc
from tests.functional.conftest import install

PACKAGE = "toy_tally_pkg"
TOY = '''
"""A tally game: each press adds one to the player's tally, once per idempotency key."""

import argparse
from typing import Annotated

from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from chalice import Blueprint, Response

from plugins.actions import Quota, perform
from plugins.contracts import GameConfig
from plugins.campaigns.repository import load_current
from plugins.console.web import MARKETER, Call, console_view, json_response
from plugins.ids import time_ordered_id
from plugins.contracts import GamePlugin
from plugins.runtime import runtime
from plugins.web.play import Counted, play
from plugins.web.routing import CampaignId, IdempotencyKey

GAME = "toy-tally"
SWEPT = []


class TallyConfig(GameConfig):
    presses_per_day: int = 3


router = LambdaFunctionUrlRouter()


@router.post("/campaigns/<campaign_id>/presses", responses={201: {"description": "the press"}},
             security=[{"playerToken": []}])
def press(campaign_id: CampaignId, idempotency: IdempotencyKey = None):
    def act(action):
        section = action.campaign.section(GAME, TallyConfig)
        action.campaign.require_open(action.now)
        press_id = time_ordered_id(action.now)
        def plan(tx):
            tx.tally.count("presses")
            return {"press_id": press_id}, {}

        return perform(action.request(GAME, {}), plan, lambda cancelled: False,
                       Quota(f"{GAME}:presses", section.presses_per_day, None))

    return play(campaign_id, idempotency, act, Counted("Presses", "press"))


console = Blueprint(__name__)


@console.route("/toy-tally/{campaign_id}/summary", methods=["GET"])
@console_view(console, MARKETER)
def summary(call: Call, campaign_id: str) -> Response:
    campaign = runtime.configs.get(campaign_id)
    return json_response(200, {"campaign_id": campaign_id, "presses_per_day":
                               campaign.section(GAME, TallyConfig).presses_per_day})


def add_commands(sub, store_options):
    command = sub.add_parser("tally", help="the toy tally's settings of a campaign",
                             epilog="examples:\\n  mgames tally demo --endpoint http://127.0.0.1:8001")
    command.add_argument("campaign", help="the campaign id")
    store_options(command)
    command.set_defaults(run=_tally)


def _tally(args: argparse.Namespace) -> int:
    section = load_current(args.campaign).section(GAME, TallyConfig)
    print(f"presses per day: {section.presses_per_day}")
    return 0


def sweep(now, deadline) -> int:
    SWEPT.append(now)
    return len(SWEPT)


def report(campaign, figures, now):
    return {"presses_per_day": campaign.section(GAME, TallyConfig).presses_per_day,
            "presses": figures.get("presses", 0)}


plugin = GamePlugin(name=GAME, title="Toy tally", config_model=TallyConfig, router=router,
                    jobs=(sweep,), report=report,
                    console="toy_tally_pkg:console", commands="toy_tally_pkg:add_commands")
'''


@pytest.fixture
def toy(plugin_dir: Path, apply: Apply) -> dict[str, Any]:
    install(plugin_dir, PACKAGE, PACKAGE, TOY, f"toy-tally = {PACKAGE}:plugin")
    registry.reset()
    doc = wheel_doc()
    doc["games"]["toy-tally"] = {"presses_per_day": 2}
    apply(doc)
    return doc


def test_its_player_route_runs_through_the_platforms_action_kit(toy: dict[str, Any]) -> None:
    tally = GameClient("toy-tally")
    first = tally.call("POST", "/campaigns/demo/presses", member="alice", key="press-00001")
    assert first.status == 201 and first.headers["Idempotent-Replayed"] == "false", first
    again = tally.call("POST", "/campaigns/demo/presses", member="alice", key="press-00001")
    assert (again.status, again.body, again.headers["Idempotent-Replayed"]) == (201, first.body, "true")
    assert tally.call("POST", "/campaigns/demo/presses", member="alice", key="press-00002").status == 201
    spent = tally.call("POST", "/campaigns/demo/presses", member="alice", key="press-00003")
    assert (spent.status, spent.code) == (403, "NO_CHANCES_LEFT")


CONSOLE = """
import json, sys
from chalice.test import Client
from functions.console.app import app
with Client(app) as client:
    answers = [client.http.get("/toy-tally/demo/summary", headers={"authorization": "Bearer " + token})
               for token in sys.argv[1:]]
print(json.dumps([[a.status_code, json.loads(a.body)] for a in answers]))
"""


def test_its_console_route_is_registered_with_the_role_check(
        toy: dict[str, Any], plugin_dir: Path, local_dynamodb: Any) -> None:
    # a console process of its own (as Lambda starts one), seeing the toy's distribution
    tokens = [operator_token("mia", role) for role in ("marketer", "staff")]
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(plugin_dir), str(ROOT)]),
                        "AWS_ENDPOINT_URL_DYNAMODB": local_dynamodb.endpoint_url,
                        "MGAMES_TABLE": "mgames-test"}
    done = subprocess.run([sys.executable, "-c", CONSOLE, *tokens], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    ok, refused = json.loads(done.stdout.strip().splitlines()[-1])
    assert ok == [200, {"campaign_id": "demo", "presses_per_day": 2}]
    assert (refused[0], refused[1]["error"]["code"]) == (403, "FORBIDDEN")


def test_its_command_joins_mgames_with_the_table_bound(
        toy: dict[str, Any], local_dynamodb: Any, capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--endpoint", local_dynamodb.endpoint_url, "--table", "mgames-test"]
    assert mgames(["tally", "demo", *options]) == 0
    assert capsys.readouterr().out.strip() == "presses per day: 2"


def test_its_command_has_help_and_an_example_like_every_command(
        toy: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    from infra.cli import parser
    from tests.console.test_cli_help import commands, undocumented

    root = parser()
    assert "mgames tally" in [path for path, _ in commands(root)]
    assert undocumented(root) == []


def test_its_job_runs_with_every_games_jobs_and_its_report_section_joins_the_report(
        toy: dict[str, Any], aggregate: Any) -> None:
    handled = run_jobs(runtime.clock())
    assert handled["toy-tally:sweep"] == 1
    assert handled["booking:expire_due"] >= 0  # beside the built-in games' jobs
    tally = GameClient("toy-tally")
    for n in range(2):
        assert tally.call("POST", "/campaigns/demo/presses", member="bob", key=f"press-{n:05d}").status == 201
    aggregate()
    report = campaign_report("demo", runtime.clock())
    assert report["games"]["toy-tally"] == {"presses_per_day": 2, "presses": 2}
    assert report["plays"]["toy-tally"] == 2
