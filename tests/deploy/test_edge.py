"""One base URL: GamesEdge (CloudFront) serves every game under /<game>/ and the console at the
root; its routing function, run here under Node.js as CloudFront would run it, strips the
game's prefix and passes the player's address, which a function believes only with the edge's
proof."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from infra.local.events import function_url_event
from plugins.web.edge import client_ip
from tests.deploy.conftest import TEMPLATE
from tests.deploy.test_template import GAME_FUNCTIONS

RESOURCES = TEMPLATE["Resources"]
DISTRIBUTION = RESOURCES["GamesEdge"]["Properties"]["DistributionConfig"]
ROUTING = {"Fn::GetAtt": ["EdgeRouting", "FunctionMetadata.FunctionARN"]}
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def test_every_game_is_under_its_own_path_and_the_console_at_the_root() -> None:
    games = {RESOURCES[fn]["Properties"]["Environment"]["Variables"]["MGAMES_GAME"]: fn
             for fn in GAME_FUNCTIONS}
    origins = {origin["Id"]: origin for origin in DISTRIBUTION["Origins"]}
    assert set(origins) == {"console", *games}
    for game, function in games.items():
        origin = origins[game]
        assert origin["DomainName"] == {"Fn::Select": [2, {"Fn::Split": [
            "/", {"Fn::GetAtt": [f"{function}Url", "FunctionUrl"]}]}]}
        assert origin["OriginCustomHeaders"] == [{"HeaderName": "X-Mgames-Edge", "HeaderValue": {
            "Fn::Sub": "{{resolve:secretsmanager:${EdgeSecret}}}"}}]
    behaviors = {b["PathPattern"]: b for b in DISTRIBUTION["CacheBehaviors"]}
    assert set(behaviors) == {f"/{game}/*" for game in games}
    for game in games:
        behavior = behaviors[f"/{game}/*"]
        assert behavior["TargetOriginId"] == game
        assert behavior["FunctionAssociations"] == [{"EventType": "viewer-request", "FunctionARN": ROUTING}]
    default = DISTRIBUTION["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "console" and "FunctionAssociations" not in default
    assert origins["console"]["OriginPath"] == {"Fn::Sub": "/${Stage}"}
    for behavior in [default, *behaviors.values()]:  # nothing cached, every method, https only
        assert behavior["CachePolicyId"] == CACHING_DISABLED
        assert behavior["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST  # the URL's own Host
        assert {"GET", "POST", "OPTIONS"} <= set(behavior["AllowedMethods"])
        assert behavior["ViewerProtocolPolicy"] == "https-only"
    assert TEMPLATE["Outputs"]["GamesBaseUrl"]["Value"] == {"Fn::Sub": "https://${GamesEdge.DomainName}"}


def run_routing(uri: str, headers: dict[str, Any]) -> dict[str, Any]:
    """EdgeRouting's code from the template, run by Node.js on a CloudFront viewer-request event."""
    code = RESOURCES["EdgeRouting"]["Properties"]["FunctionCode"]
    event = {"viewer": {"ip": "203.0.113.9"},
             "request": {"method": "POST", "uri": uri, "querystring": {}, "headers": headers}}
    script = f"{code}\nprocess.stdout.write(JSON.stringify(handler({json.dumps(event)})));"
    node = shutil.which("node")
    assert node, "Node.js runs the edge's routing function in this test"
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    request: dict[str, Any] = json.loads(out.stdout)
    return request


def test_the_routing_function_strips_the_game_and_passes_the_players_address() -> None:
    forged = {"x-mgames-viewer-ip": {"value": "10.0.0.1"}}  # a player's own claim is replaced
    request = run_routing("/lucky-wheel/campaigns/demo/draws", forged)
    assert request["uri"] == "/campaigns/demo/draws"
    assert request["headers"]["x-mgames-viewer-ip"] == {"value": "203.0.113.9"}
    assert run_routing("/lucky-wheel/", {})["uri"] == "/"
    assert run_routing("/lucky-wheel", {})["uri"] == "/"


def event(**headers: str) -> Any:
    from aws_lambda_powertools.utilities.data_classes import LambdaFunctionUrlEvent

    return LambdaFunctionUrlEvent(function_url_event("POST", "/campaigns/demo/draws", headers=headers,
                                                     source_ip="130.176.0.1"))


@pytest.fixture
def behind_the_edge(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    monkeypatch.setenv("MGAMES_EDGE_SECRET_ARN", "arn:edge")

    def read_secret(arn: str) -> str:
        reads.append(arn)
        return "edge-secret-0123456789"

    monkeypatch.setattr("plugins.secret_store.read_secret", read_secret)
    return reads


def test_a_function_believes_the_edges_address_only_with_its_proof(behind_the_edge: list[str]) -> None:
    assert client_ip(event(**{"x-mgames-edge": "edge-secret-0123456789",
                              "x-mgames-viewer-ip": "203.0.113.9"})) == "203.0.113.9"
    # a direct call to the function URL claiming an address, with no or a wrong proof
    assert client_ip(event(**{"x-mgames-viewer-ip": "203.0.113.9"})) == "130.176.0.1"
    guessed = event(**{"x-mgames-edge": "guess", "x-mgames-viewer-ip": "203.0.113.9"})
    assert client_ip(guessed) == "130.176.0.1"
    assert behind_the_edge == ["arn:edge", "arn:edge"]  # read only when the edge is claimed


def test_without_an_edge_the_headers_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MGAMES_EDGE_SECRET_ARN", raising=False)
    claimed = event(**{"x-mgames-edge": "anything", "x-mgames-viewer-ip": "203.0.113.9"})
    assert client_ip(claimed) == "130.176.0.1"
