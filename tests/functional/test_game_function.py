"""One handler module for every game function: `MGAMES_GAME` picks the game, a bad value
fails the function's init, and the function imports its own game, not the others."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from infra.local.dynamodb import LocalDynamoDB
from infra.local.events import LambdaContext, function_url_event
from plugins.registry import GAMES_GROUP, PluginError, installed
from tests.conftest import ROOT, Handler, demo_doc, token

# Runs in a fresh interpreter, as Lambda's init does: import the function, serve the events
# read from stdin, then say which game packages got imported.
SERVE = """
import json, sys
from functions.game import handler
from infra.local.events import LambdaContext
replies = [handler(event, LambdaContext("game")) for event in json.load(sys.stdin)]
loaded = sorted({name.split(".")[1] for name in sys.modules if name.startswith("games.")})
print(json.dumps({"replies": replies, "games": loaded}))
"""


def serve(game: str, events: list[dict[str, Any]], **env: str) -> dict[str, Any]:
    """Run a `game` function in a subprocess on `events`; its replies and the games it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", SERVE], input=json.dumps(events), capture_output=True, text=True,
        cwd=ROOT, env={**os.environ, "MGAMES_GAME": game, "AWS_REGION": "us-east-1", **env},
        check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return found


def test_the_function_serves_the_game_its_environment_names(
    game_function: Callable[[str], Handler],
) -> None:
    handler = game_function("booking")

    schema = handler(function_url_event("GET", "/openapi.json"), LambdaContext("booking"))

    assert schema["statusCode"] == 200
    assert json.loads(schema["body"])["info"]["title"] == "Hot-item booking API"


@pytest.mark.parametrize(("value", "expected"), [
    ("", r"MGAMES_GAME is not set: .*\(installed: .*lucky-wheel"),
    ("tetris", r"MGAMES_GAME='tetris': unknown game 'tetris'; installed: .*lucky-wheel"),
])
def test_a_missing_or_unknown_game_fails_the_init_naming_the_variable(
    game_function: Callable[[str], Handler], value: str, expected: str,
) -> None:
    with pytest.raises(PluginError, match=expected):
        game_function(value)


@pytest.mark.parametrize("game", installed(GAMES_GROUP))
def test_a_game_function_imports_its_own_game_only(game: str) -> None:
    assert serve(game, [])["games"] == [game.replace("-", "_")]


def test_a_wheel_function_draws_without_loading_other_games(
    local_dynamodb: LocalDynamoDB, apply: Callable[[dict[str, Any]], Any],
) -> None:
    # GIVEN the demo campaign: the wheel beside five other games, whose sections it never reads
    apply(demo_doc())
    player = token("alice")
    bearer = {"authorization": f"Bearer {player}"}

    # WHEN a fresh wheel function shows the campaign and draws once
    found = serve("lucky-wheel", [
        function_url_event("GET", "/campaigns/demo", headers=bearer),
        function_url_event("POST", "/campaigns/demo/draws",
                           headers=bearer | {"idempotency-key": "draw-000001"}),
    ], AWS_ENDPOINT_URL_DYNAMODB=local_dynamodb.endpoint_url)

    # THEN both answer from the local DynamoDB, and no other game was imported
    page, drawn = found["replies"]
    assert page["statusCode"] == 200, page
    assert json.loads(page["body"])["chances"]["left_today"] == 3
    assert drawn["statusCode"] == 201, drawn
    assert json.loads(drawn["body"])["prize"]["id"]
    assert found["games"] == ["lucky_wheel"]
