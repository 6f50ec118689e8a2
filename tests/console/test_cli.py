"""`mgames report`, `mgames enable` and `mgames disable` against the store."""

from __future__ import annotations

import json
from typing import Any

from infra.cli import main as mgames
from plugins.campaigns.repository import load_current


def test_disable_enable_and_report(apply: Any, local_dynamodb: Any, capsys: Any,
                                   monkeypatch: Any) -> None:
    apply()
    monkeypatch.setenv("MGAMES_TABLE", "mgames-test")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", local_dynamodb.endpoint_url)
    options = ["--endpoint", local_dynamodb.endpoint_url, "--table", "mgames-test"]
    assert mgames(["disable", "demo", "lucky-wheel", *options]) == 0
    assert "disabled in demo version 2" in capsys.readouterr().out
    assert load_current("demo").games["lucky-wheel"].enabled is False
    assert mgames(["enable", "demo", "lucky-wheel", *options]) == 0
    assert load_current("demo").games["lucky-wheel"].enabled is True
    assert mgames(["disable", "demo", "pinball", *options]) == 1
    assert "GAME_NOT_ENABLED" in capsys.readouterr().err
    assert mgames(["report", "demo", *options]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["config_version"] == 3 and report["participants"] == 0
    assert mgames(["report", "nope", *options]) == 1
