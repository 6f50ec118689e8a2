"""A third-party game deploys without touching this repository's Python code.

A pip-installable game package (a source tree with its own pyproject.toml and entry point) is
named in a copy of `infra/deploy.yaml`; `mgames template` renders its function and the build
puts the package and its metadata in the artifact. Run from that artifact alone, in the
runtime's Python: the console applies a campaign that runs the game (so the console of the
deployment knows it), and the game's function plays it, importing no built-in game.
"""

from __future__ import annotations

import json
import platform
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from infra.deploy.build import LAMBDA, Platform, build_artifact
from infra.deploy.config import load_deployment
from infra.deploy.template import render_template
from infra.tables import load_template
from plugins.identity.tokens import mint_operator, mint_player
from tests.artifact.conftest import ROOT, Runner, demo_document, key_ring
from tests.artifact.functions import apply_event, call, functions_of
from tests.functional.test_registry import TOY_MODULE

pytestmark = pytest.mark.slow
PYPROJECT = """
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "mgames-toy-flip"
version = "0.3.0"
description = "A coin-flip game for the marketing-games platform"

[project.entry-points."marketing_games.games"]
toy-flip = "toy_flip:plugin"

[tool.setuptools]
packages = ["toy_flip"]
"""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A source tree of the game, and a deploy.yaml naming it beside the wheel."""
    root = tmp_path_factory.mktemp("third-party")
    source = root / "mgames-toy-flip"
    (source / "toy_flip").mkdir(parents=True)
    (source / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (source / "toy_flip" / "__init__.py").write_text(textwrap.dedent(TOY_MODULE), encoding="utf-8")
    deploy = root / "deploy.yaml"
    deploy.write_text(f"games:\n  lucky-wheel: {{}}\n  toy-flip: {{package: {json.dumps(str(source))}, "
                      f"title: Toy flip}}\n", encoding="utf-8")
    return deploy


@pytest.fixture(scope="module")
def template(deployment: Path) -> dict[str, Any]:
    rendered = deployment.with_name("template.yaml")
    rendered.write_text(render_template(deployment), encoding="utf-8")
    return load_template(rendered)


@pytest.fixture(scope="module")
def artifact(deployment: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_artifact(tmp_path_factory.mktemp("toy") / "artifact",
                          platform=Platform(LAMBDA.python, platform.machine()),
                          deployment=load_deployment(deployment), progress=lambda _: None)


def test_the_package_and_its_metadata_are_in_the_artifact(artifact: Path) -> None:
    assert (artifact / "toy_flip" / "__init__.py").is_file()
    [info] = artifact.glob("mgames_toy_flip-0.3.0.dist-info")
    assert "toy-flip = toy_flip:plugin" in (info / "entry_points.txt").read_text(encoding="utf-8")
    assert list(artifact.glob("marketing_games-*.dist-info")), "the platform itself is missing"
    assert not (ROOT / "games" / "toy_flip").exists()  # nothing of it lives in this repository


def test_the_deployed_console_and_function_serve_the_third_party_game(
        runner: Runner, artifact: Path, template: dict[str, Any], tmp_path: Path) -> None:
    functions = functions_of(template)
    [toy] = [name for name, function in functions.items() if function.game == "toy-flip"]
    [console] = [name for name, function in functions.items()
                 if function.handler.startswith("functions.console")]
    now = datetime.now(UTC)
    marketer = mint_operator("mia", "marketer", now=now, campaigns=("toy-launch",),
                             ring=key_ring(template, "MGAMES_CONSOLE_KEYS"))
    player = mint_player("tom", now=now, device_id="phone-7",
                         ring=key_ring(template, "MGAMES_PLAYER_KEYS"))
    doc = demo_document() | {"id": "toy-launch"}
    doc["games"] = {"toy-flip": {"flips_per_day": 1}}

    applied = runner.run(artifact, template, console, [apply_event(marketer, doc)], tmp_path / "console")
    assert applied["responses"][0]["statusCode"] == 201, applied["responses"][0]["body"][:500]

    flips = "/campaigns/toy-launch/flips"
    played = runner.run(artifact, template, toy, [
        call("POST", flips, player, key="toy-flip-000001"),
        call("POST", flips, player, key="toy-flip-000001"),
        call("POST", flips, player, key="toy-flip-000002"),
        call("GET", "/openapi.json", player),
    ], tmp_path / "toy")
    first, replay, spent, schema = played["responses"]
    assert first["statusCode"] == 201, first["body"][:500]
    assert json.loads(first["body"])["side"] in {"heads", "tails"}
    assert (replay["statusCode"], replay["body"]) == (201, first["body"])
    assert replay["headers"]["Idempotent-Replayed"] == "true"
    assert (spent["statusCode"], json.loads(spent["body"])["error"]["code"]) == (403, "NO_CHANCES_LEFT")
    assert json.loads(schema["body"])["info"]["title"] == "Toy flip API"
    assert not [f for f in played["files"] if "/games/" in f], "the toy function imported built-in games"
