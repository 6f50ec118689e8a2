"""The built artifact works where it runs: every function of template.yaml, imported and
invoked from its artifact alone, in an interpreter of the runtime's Python version.

`sam build` builds the artifacts as the README's deploy path does (for arm64). This machine
is x86_64, so the same build is made for x86_64 too and the two are shown to hold the same
files and distributions, differing only in the architecture of compiled extensions; the
x86_64 one is then run in `python3.12 -I -S` whose path holds only the artifact and boto3
(what the Lambda runtime adds), against the local DynamoDB (which also serves Secrets
Manager): each game answers its campaign and performs a real action, the console answers a
report and keeps a partner's webhook secret (created, then rotated), the worker runs every
game's jobs. The AWS calls each function made are checked against its IAM policy in the
template.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import ANY
from zoneinfo import ZoneInfo

import boto3
import pytest

from infra.deploy.build import LAMBDA, RUNTIME_PROVIDED
from infra.deploy.config import load_deployment
from infra.local.events import function_url_event
from plugins.identity.tokens import mint_operator, mint_player
from plugins.registry import ISSUERS_GROUP, sources
from tests.artifact.conftest import ROOT, TABLE, TEMPLATE, Runner, demo_document, key_ring
from tests.artifact.functions import (
    PARTNER_KEY,
    console_events,
    functions_of,
    game_checks,
    granted_actions,
    stream_events,
    worker_events,
)

pytestmark = pytest.mark.slow
SO_ARCH = re.compile(r"(aarch64|x86_64)")


@pytest.fixture(scope="module")
def sam_build(tmp_path_factory: pytest.TempPathFactory, sam_cli: Path) -> Path:
    """`sam build`, as the deploy path runs it (samconfig.toml: build in source)."""
    out = tmp_path_factory.mktemp("sam") / "build"
    sam = sam_cli
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0", "SAM_CLI_CONTAINER_CONNECTION_TIMEOUT": "1"}
    done = subprocess.run([str(sam), "build", "--build-dir", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Build Succeeded" in done.stdout
    return out


def _tree(root: Path) -> set[str]:
    return {SO_ARCH.sub("ARCH", str(p.relative_to(root))) for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_sam_builds_every_function_with_dependencies_and_metadata(sam_build: Path,
                                                                  host_artifact: Path) -> None:
    built = {name: sam_build / name for name in functions_of(TEMPLATE)}
    assert built and all(path.is_dir() for path in built.values()), sorted(os.listdir(sam_build))
    expected = _tree(host_artifact)
    for name, path in built.items():
        files = _tree(path)
        assert files == expected, f"{name}: {sorted(files ^ expected)[:20]}"
        dists = {p.name for p in path.glob("*.dist-info")}
        assert any(d.startswith("marketing_games-") for d in dists), f"{name}: no project metadata"
        assert not {d.split("-")[0].lower().replace("_", "-") for d in dists} & RUNTIME_PROVIDED
        for top in ("tests", "docs", "benchmarks", "examples"):
            assert not (path / top).exists(), f"{name} ships {top}/"
        for so in path.rglob("*.so"):
            assert so.read_bytes()[:4] == b"\x7fELF" and _elf_machine(so) == LAMBDA.machine, so
        assert list(path.rglob(f"*.cpython-{LAMBDA.python.replace('.', '')}.pyc")), f"{name}: no bytecode"


def _elf_machine(path: Path) -> str:
    machine = int.from_bytes(path.read_bytes()[18:20], "little")
    return {0xB7: "aarch64", 0x3E: "x86_64"}.get(machine, hex(machine))


@pytest.fixture(scope="module")
def demo(stack: dict[str, str]) -> dict[str, str]:
    """The demo campaign applied (bookings taken all day), the cafe's codes uploaded, points for
    alice to exchange, tokens."""
    from plugins.campaigns.repository import apply_campaign
    from plugins.store import PointsItem, bind_table, keys

    bind_table(TABLE, host=stack["endpoint"])
    now = datetime.now(UTC)
    doc = demo_document()
    campaign = apply_campaign(doc, now=now)
    from games.partner_coupon.pool import upload_pool

    upload_pool(campaign, "cafe", "cafe-latte", "artifact-codes", [f"LATTE-{i:04d}" for i in range(20)], now)
    PointsItem(keys.member("alice"), keys.POINTS_BALANCE, points=1000).save()  # the exchange spends them
    boto3.client("secretsmanager", endpoint_url=stack["endpoint"]).put_secret_value(  # the partner's API key
        SecretId=stack["PartnerKeysSecret"], SecretString=json.dumps(dict([PARTNER_KEY])))
    players, console = key_ring(TEMPLATE, "MGAMES_PLAYER_KEYS"), key_ring(TEMPLATE, "MGAMES_CONSOLE_KEYS")
    return {"player": mint_player("alice", now=now, device_id="phone-1", ring=players),
            "brand": mint_operator("order-system", "brand", now=now, ring=console),
            "marketer": mint_operator("mia", "marketer", now=now, ring=console,
                                      campaigns=("demo", "artifact-2")),
            "today": now.astimezone(ZoneInfo(doc["timezone"])).date().isoformat()}


@pytest.fixture(scope="module")
def invoked(runner: Runner, host_artifact: Path, demo: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every function of the template invoked once from the artifact: its answers and calls."""
    checks = game_checks(demo["player"], demo["brand"], demo["today"])
    results = {}
    functions = functions_of(TEMPLATE)
    # the stream's consumers last: they are handed what the others wrote
    for name, function in sorted(functions.items(), key=lambda named: named[1].kind == "stream"):
        game = function.game
        if game:
            events = checks[game].events
        elif function.kind == "api":
            events = console_events(demo["marketer"], {**demo_document(), "id": "artifact-2"})
        elif function.kind == "stream":
            events = stream_events(TABLE)
        else:
            events = worker_events()
        results[name] = runner.run(host_artifact, TEMPLATE, name, events, tmp_path_factory.mktemp(name))
        results[name]["game"] = game
        results[name]["handler"] = function.handler
    return results


def test_every_deployed_game_serves_its_campaign_and_a_real_action(invoked: dict[str, dict[str, Any]],
                                                                   demo: dict[str, str]) -> None:
    served = {r["game"]: r for r in invoked.values() if r["game"]}
    assert set(served) == {g.name for g in load_deployment().games}
    checks = game_checks(demo["player"], demo["brand"], demo["today"])
    for game, result in served.items():
        statuses = [r["statusCode"] for r in result["responses"]]
        assert statuses == checks[game].statuses, (game, [r["body"][:300] for r in result["responses"]])
        assert json.loads(result["responses"][0]["body"])["campaign_id"] == "demo"


def reward_types(section: Any) -> set[str]:
    """The issuers a game section's rewards name, wherever they sit in it."""
    if isinstance(section, list):
        return set().union(*map(reward_types, section)) if section else set()
    if not isinstance(section, dict):
        return set()
    own = {section["reward"]["type"]} if isinstance(section.get("reward"), dict) else set()
    return own.union(*map(reward_types, section.values()))


def test_a_game_function_imports_only_its_own_game_and_its_rewards_issuers(
        invoked: dict[str, dict[str, Any]]) -> None:
    """The demo's exchange sells a partner's coupon: its function loads the partner-coupon
    issuer's package, and no other game's."""
    games, modules = demo_document()["games"], sources(ISSUERS_GROUP)
    for result in invoked.values():
        if result["game"]:
            loaded = {f.split("/games/")[1] for f in result["files"] if "/games/" in f}
            packages = {path.split("/")[0] for path in loaded if "/" in path}
            issuers = {modules[t].split(".")[1] for t in reward_types(games.get(result["game"]))
                       if modules[t].startswith("games.")}
            assert packages == {result["game"].replace("-", "_")} | issuers, (result["game"], sorted(loaded))
    assert "partner-coupon" in reward_types(games["points-exchange"])


def test_console_answers_a_report_and_applies_a_campaign(invoked: dict[str, dict[str, Any]]) -> None:
    [console] = [r for r in invoked.values() if r["handler"] == "functions.console.app.app"]
    report, applied, report_page, web_console = console["responses"][:4]
    assert report["statusCode"] == 200, report["body"][:500]
    assert json.loads(report["body"])["campaign_id"] == "demo"
    assert applied["statusCode"] == 201, applied["body"][:500]
    # the pages carry their scripts inline, read from the artifact's own package data
    for page, marker in ((report_page, 'id="report-charts"'), (web_console, 'id="console-settings"')):
        assert page["statusCode"] == 200, page["body"][:500]
        assert page["headers"]["Content-Type"].startswith("text/html") and marker in page["body"]
        assert len(page["body"]) > 100_000 and not re.search(r"<script[^>]*\ssrc=", page["body"])


def test_console_keeps_and_rotates_a_partners_webhook_secret_in_secrets_manager(
        invoked: dict[str, dict[str, Any]], stack: dict[str, str]) -> None:
    [console] = [r for r in invoked.values() if r["handler"] == "functions.console.app.app"]
    written, rotated = (json.loads(answer["body"]) for answer in console["responses"][4:])
    assert [a["statusCode"] for a in console["responses"][4:]] == [200, 200], console["responses"][4:]
    assert written["secret"].startswith("whsec_") and rotated["secret"] not in ("", written["secret"])
    kept = boto3.client("secretsmanager", endpoint_url=stack["endpoint"]).get_secret_value(
        SecretId=f"mgames/webhooks/parties/{PARTNER_KEY[0]}/demo")
    assert kept["VersionId"] == rotated["secret_version"]
    assert {k: v for k, v in json.loads(kept["SecretString"]).items() if k != "previous_until"} == {
        "current": rotated["secret"], "previous": written["secret"], "request": ANY}


def test_worker_runs_every_games_jobs(invoked: dict[str, dict[str, Any]]) -> None:
    from plugins.jobs import PLATFORM_JOBS
    from plugins.registry import games

    [worker] = [r for r in invoked.values() if r["handler"] == "functions.worker.handler"]
    handled = worker["responses"][0]["handled"]
    expected = {f"{name}:{job.__name__}" for name, plugin in games().items() for job in plugin.jobs}
    expected |= set(PLATFORM_JOBS)
    assert expected and set(handled) == expected
    assert all(count >= 0 for count in handled.values()), handled


def test_the_aggregator_counts_what_the_functions_did(invoked: dict[str, dict[str, Any]]) -> None:
    from plugins.aggregates import read_figures
    from plugins.store import ActionItem

    [aggregator] = [r for r in invoked.values() if r["handler"] == "functions.aggregator.handler"]
    assert aggregator["responses"] and all(
        answer == {"batchItemFailures": []} for answer in aggregator["responses"])
    plays = [a for a in ActionItem.scan(ActionItem.sk.startswith("ACT#demo#"))]
    assert plays and read_figures("demo").campaign()["plays"] == len(plays)


# Grants the artifact test's calls do not exercise, by game (or console, worker), and why.
NOT_EXERCISED: dict[str, dict[str, str]] = {
    "check-in": {"dynamodb:BatchGetItem": "a member's quotas left (antifraud.rules.quota_left), and "
                                          "budget shards read when a counted budget runs low"},
    "booking": {"dynamodb:BatchGetItem": "a cancel reads the booking and its action in one batch",
                "dynamodb:DeleteItem": "cancel and pick-up drop the booking's expiry entry"},
    "event-gifts": {"dynamodb:BatchGetItem": "a rule's stock or budget shards read when they run low "
                                             "(plugins.allowance)",
                    "dynamodb:Query": "a pushed coupon's anti-harassment cap recounts the member's open "
                                      "coupons when it bites"},
    "console": {"dynamodb:UpdateItem": "staff verify a booking or redeem a coupon",
                "dynamodb:DeleteItem": "a verified booking's expiry entry is dropped"},
    "aggregator": {"sqs:SendMessage": "Lambda itself, with the function's role, sends a record "
                                      "it gave up on to the dead-letter queue",
                   "dynamodb:ConditionCheckItem": "a webhook event is queued only if not delivered "
                                                  "already (tests/functional/test_webhooks.py)"},
    "worker": {"dynamodb:BatchGetItem": "sweeps read what is due in batches (e.g. red-packet funds)",
               "dynamodb:UpdateItem": "expired bookings, packets and outbox entries are settled",
               "dynamodb:DeleteItem": "settled entries leave their due-lists",
               "secretsmanager:GetSecretValue": "a webhook delivery is signed with its endpoint's "
                                                "secrets (tests/functional/test_webhooks.py)"},
}


def test_iam_grants_exactly_what_the_functions_call(invoked: dict[str, dict[str, Any]]) -> None:
    problems = []
    for name, result in invoked.items():
        granted, used = granted_actions(TEMPLATE, name), set(result["calls"])
        if used - granted:
            problems.append(f"{name} calls {sorted(used - granted)} without a grant")
        kind = result["game"] or result["handler"].split(".")[1]  # console, worker, aggregator
        if granted - used - set(NOT_EXERCISED.get(kind, {})):
            problems.append(f"{name} is granted {sorted(granted - used)} it never calls")
    assert not problems, "\n".join(problems)


def test_the_artifact_test_fails_without_the_projects_metadata(runner: Runner, host_artifact: Path,
                                                               tmp_path: Path) -> None:
    """What the development venv hid: without its dist-info the project's games are not found."""
    broken = tmp_path / "artifact"
    shutil.copytree(host_artifact, broken)
    for metadata in broken.glob("marketing_games-*.dist-info"):
        shutil.rmtree(metadata)
    [wheel] = [name for name, function in functions_of(TEMPLATE).items()
               if function.game == "lucky-wheel"]
    result = runner.invoke(broken, TEMPLATE, wheel, worker_events(), tmp_path)
    assert result["error"] is not None and "lucky-wheel" in result["error"]


def test_a_game_function_answers_the_disclosure_of_every_game_from_the_artifact(
        runner: Runner, host_artifact: Path, demo: dict[str, str], tmp_path: Path) -> None:
    """The one route that loads every game's section on a game function (the players' pages
    read the disclosure there, docs/compliance.md): the artifact's entry points find them all.
    Its own run, so the play path above still loads only its own game."""
    [wallet] = [name for name, function in functions_of(TEMPLATE).items() if function.game == "wallet"]
    result = runner.run(host_artifact, TEMPLATE, wallet,
                        [function_url_event("GET", "/campaigns/demo/disclosure")], tmp_path)
    [answer] = result["responses"]
    assert answer["statusCode"] == 200, answer["body"][:500]
    body = json.loads(answer["body"])
    assert {p["game"] for p in body["prize_pools"]} == {"lucky-wheel", "check-in", "assist",
                                                          "points-exchange", "event-gifts"}
    assert body["commitments"] and len(body["commitments"][0]["commitment"]) == 64
