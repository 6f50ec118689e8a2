"""Plug-in discovery: the built-ins come through entry points, a third-party game plugs in
through the same entry points without touching this repo, a broken plug-in names itself, and
`MGAMES_DISABLED_PLUGINS` switches a game off."""

from __future__ import annotations

import sys
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from plugins import registry
from plugins.campaigns.model import parse_campaign
from plugins.contracts import GamePlugin, Issuer
from plugins.errors import ConfigInvalidError
from plugins.registry import GAMES_GROUP, ISSUERS_GROUP, PluginError
from tests.conftest import ROOT, Apply, GameClient, wheel_doc
from tests.functional.conftest import install

TOY_MODULE = '''
"""A third-party game: flip a coin, a few times a day, exactly once per idempotency key."""

import json
import secrets
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pydantic import Field

from plugins.actions import ActionRequest, Quota, perform
from plugins.contracts import GameConfig
from plugins.errors import GameNotEnabledError
from plugins.contracts import GamePlugin
from plugins.runtime import runtime
from plugins.web import current_player, idempotency_key

GAME = "toy-flip"


class FlipConfig(GameConfig):
    flips_per_day: int = Field(default=2, ge=1, le=10)


router = LambdaFunctionUrlRouter()


@router.post("/campaigns/<campaign_id>/flips", summary="Flip the coin once",
             responses={201: {"description": "the flip", "content": {"application/json": {
                 "schema": {"type": "object"}}}}}, security=[{"playerToken": []}])
def flip(
    campaign_id: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")],
    idempotency: Annotated[str | None, Header(alias="idempotency-key")] = None,
) -> Response[str]:
    player = current_player()
    key = idempotency_key(idempotency)
    campaign = runtime.configs.get(campaign_id)
    section = campaign.game(GAME)
    if section is None:
        raise GameNotEnabledError(f"campaign {campaign_id!r} does not run {GAME}")
    now = runtime.clock()
    side = secrets.choice(["heads", "tails"])

    def plan(tx):
        return {"flip_id": secrets.token_hex(6), "side": side}, {"version": campaign.version}

    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key, body={}, now=now)
    quota = Quota(f"{GAME}:flips", section.flips_per_day, None)
    outcome = perform(request, plan, lambda cancelled: False, quota)
    return Response(status_code=201, content_type="application/json",
                    body=json.dumps(outcome.result),
                    headers={"Idempotent-Replayed": str(outcome.replayed).lower()})


plugin = GamePlugin(name=GAME, title="Toy flip", config_model=FlipConfig, router=router)
'''


def test_builtins_come_from_their_entry_point_groups() -> None:
    declared_games = {ep.name: ep.value for ep in entry_points(group=GAMES_GROUP)}
    declared_issuers = {ep.name for ep in entry_points(group=ISSUERS_GROUP)}

    assert declared_games["lucky-wheel"] == "games.lucky_wheel:plugin"
    assert {"coupon", "points"} <= declared_issuers
    found = registry.games()
    assert set(found) == set(declared_games)
    assert isinstance(found["lucky-wheel"], GamePlugin)
    assert found["lucky-wheel"].name == "lucky-wheel"
    issuers = registry.issuers()
    assert set(issuers) == declared_issuers
    # Issuer classes are instantiated once; the entry-point name is the reward `type`.
    assert all(isinstance(issuer, Issuer) and issuer.name == name for name, issuer in issuers.items())
    assert registry.get_issuer("coupon") is issuers["coupon"]


def test_unknown_game_and_issuer_name_what_is_installed() -> None:
    with pytest.raises(PluginError, match=r"unknown game 'nope'; installed: .*lucky-wheel"):
        registry.get_game("nope")
    with pytest.raises(PluginError,
                       match=r"unknown reward type 'gift-card'; installed: cash, chances, coupon, .*points"):
        registry.get_issuer("gift-card")


def test_a_third_party_game_plugs_in_through_entry_points(
    plugin_dir: Path, apply: Apply, clock: list[datetime],
) -> None:
    # GIVEN a package that declares a game in marketing_games.games, on sys.path only
    install(plugin_dir, "toy_game_pkg", "toy_game_pkg", TOY_MODULE, "toy-flip = toy_game_pkg:plugin")
    registry.reset()
    assert "toy-flip" in registry.games()
    assert "lucky-wheel" in registry.games()

    # WHEN a campaign runs it next to the wheel
    doc = wheel_doc()
    doc["games"]["toy-flip"] = {"flips_per_day": 2}
    campaign = apply(doc)
    assert set(campaign.games) == {"lucky-wheel", "toy-flip"}
    assert type(campaign.games["toy-flip"]).__name__ == "FlipConfig"
    toy = GameClient("toy-flip")

    # THEN its route plays through the shared layers: idempotent, limited, enveloped
    first = toy.call("POST", "/campaigns/demo/flips", member="alice", key="flip-000001")
    assert first.status == 201, first
    assert first.body["side"] in {"heads", "tails"}
    assert first.headers["Idempotent-Replayed"] == "false"
    again = toy.call("POST", "/campaigns/demo/flips", member="alice", key="flip-000001")
    assert (again.status, again.body) == (201, first.body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert toy.call("POST", "/campaigns/demo/flips", member="alice", key="flip-000002").status == 201
    spent = toy.call("POST", "/campaigns/demo/flips", member="alice", key="flip-000003")
    assert (spent.status, spent.code) == (403, "NO_CHANCES_LEFT")

    anonymous = toy.call("POST", "/campaigns/demo/flips", key="flip-000004")
    assert anonymous.status == 401
    assert anonymous.body["error"]["code"] == "TOKEN_MISSING"
    assert anonymous.body["error"]["message"]
    no_key = toy.call("POST", "/campaigns/demo/flips", member="bob")
    assert (no_key.status, no_key.code) == (400, "IDEMPOTENCY_KEY_MISSING")
    unknown = toy.call("POST", "/campaigns/nope/flips", member="bob", key="flip-000005")
    assert (unknown.status, unknown.code) == (404, "CAMPAIGN_NOT_FOUND")
    bad_path = toy.call("POST", "/campaigns/NOT_A_SLUG/flips", member="bob", key="flip-000006")
    assert (bad_path.status, bad_path.code) == (400, "MALFORMED_REQUEST")

    # ... and it gets the host's OpenAPI document too
    schema = toy.call("GET", "/openapi.json")
    assert schema.status == 200
    assert schema.body["info"]["title"] == "Toy flip API"
    # its own route, and what every game function answers: visits (plugins/web/visits.py),
    # commitments and verifications of draws, the disclosure (plugins/web/draws.py)
    assert set(schema.body["paths"]) == {"/campaigns/{campaign_id}/flips", "/campaigns/{campaign_id}/visits",
                                         "/campaigns/{campaign_id}/commitments",
                                         "/campaigns/{campaign_id}/draws/{draw_id}/verification",
                                         "/campaigns/{campaign_id}/disclosure"}


def test_a_third_party_section_is_validated_by_its_own_model(plugin_dir: Path) -> None:
    install(plugin_dir, "toy_game_pkg", "toy_game_pkg", TOY_MODULE, "toy-flip = toy_game_pkg:plugin")
    registry.reset()
    doc = wheel_doc()
    doc["games"]["toy-flip"] = {"flips_per_day": 0, "colour": "red"}

    with pytest.raises(ConfigInvalidError) as raised:
        parse_campaign(doc)

    problems = raised.value.details["errors"]
    assert any(p.startswith("games.toy-flip.flips_per_day:") for p in problems), problems
    assert any(p.startswith("games.toy-flip.colour:") for p in problems), problems


def test_an_entry_point_that_is_not_a_game_fails_discovery(plugin_dir: Path) -> None:
    install(plugin_dir, "not_a_game_pkg", "not_a_game_pkg", "plugin = object()\n",
            "not-a-game = not_a_game_pkg:plugin")
    registry.reset()

    with pytest.raises(PluginError, match=r"marketing_games\.games: not-a-game is a object, not a Game"):
        registry.games()


def test_an_entry_point_whose_module_raises_fails_discovery(plugin_dir: Path) -> None:
    install(plugin_dir, "broken_import_pkg", "broken_import_pkg",
            "raise RuntimeError('kaput at import')\n", "broken-game = broken_import_pkg:plugin")
    registry.reset()

    with pytest.raises(PluginError) as raised:
        registry.games()

    message = str(raised.value)
    assert "broken-game = broken_import_pkg:plugin" in message
    assert "kaput at import" in message
    # Discovery failures are not cached: once the broken package is gone, discovery works.
    sys.path.remove(str(plugin_dir))  # the fixture's monkeypatch restores sys.path
    registry.reset()
    assert "broken-game" not in registry.games()
    assert "lucky-wheel" in registry.games()


def test_a_game_is_loaded_alone_so_a_broken_neighbour_fails_only_when_loaded(plugin_dir: Path) -> None:
    install(plugin_dir, "broken_import_pkg", "broken_import_pkg",
            "raise RuntimeError('kaput at import')\n", "broken-game = broken_import_pkg:plugin")
    registry.reset()

    assert registry.get_game("lucky-wheel").name == "lucky-wheel"
    with pytest.raises(PluginError, match=r"broken-game = broken_import_pkg:plugin failed to load"):
        registry.get_game("broken-game")


def test_two_plug_ins_of_one_name_fail_discovery(plugin_dir: Path) -> None:
    for dist in ("toy_game_pkg", "other_toy_pkg"):
        install(plugin_dir, dist, dist, TOY_MODULE, f"toy-flip = {dist}:plugin")
    registry.reset()

    with pytest.raises(PluginError, match=r"marketing_games\.games: two plug-ins are named 'toy-flip'"):
        registry.get_game("toy-flip")
    with pytest.raises(PluginError, match="two plug-ins are named 'toy-flip'"):
        registry.games()


def test_an_entry_point_exporting_another_name_fails_discovery(plugin_dir: Path) -> None:
    install(plugin_dir, "toy_game_pkg", "toy_game_pkg", TOY_MODULE, "coin-flip = toy_game_pkg:plugin")
    registry.reset()

    with pytest.raises(PluginError, match=r"entry point coin-flip exports game 'toy-flip'"):
        registry.games()


def test_a_disabled_game_is_hidden_and_campaigns_naming_it_are_refused(
    clean_registry: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    # GIVEN the wheel switched off without uninstalling it
    clean_registry.setenv("MGAMES_DISABLED_PLUGINS", " lucky-wheel , other")
    registry.reset()

    # THEN it is not discovered, and the demo campaign fails on its section
    assert "lucky-wheel" not in registry.games()
    assert {"coupon", "points"} <= set(registry.issuers())
    with pytest.raises(ConfigInvalidError) as raised:
        parse_campaign(wheel_doc())
    problems = raised.value.details["errors"]
    assert len(problems) == 1
    assert problems[0].startswith("games.lucky-wheel: unknown game 'lucky-wheel'"), problems

    from infra.cli import main

    assert main(["validate", str(ROOT / "examples" / "demo.yaml")]) == 1
    assert "games.lucky-wheel: unknown game 'lucky-wheel'" in capsys.readouterr().err


def test_an_issuer_can_be_disabled_too(clean_registry: pytest.MonkeyPatch) -> None:
    clean_registry.setenv("MGAMES_DISABLED_PLUGINS", "coupon")
    registry.reset()

    assert set(registry.issuers()) >= {"points"}
    assert "coupon" not in registry.issuers()
    with pytest.raises(ConfigInvalidError) as raised:
        parse_campaign(wheel_doc())
    problems = raised.value.details["errors"]
    assert any(p.startswith("games.lucky-wheel.prizes.1.reward:") and "unknown reward type 'coupon'" in p
               for p in problems), problems
