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
    assert mgames(["disable", "demo", *options]) == 0
    assert "campaign demo disabled: version 4" in capsys.readouterr().out
    assert load_current("demo").config.enabled is False
    assert mgames(["enable", "demo", *options]) == 0
    assert load_current("demo").config.enabled is True
    assert mgames(["disable", "demo", "pinball", *options]) == 1
    assert "GAME_NOT_ENABLED" in capsys.readouterr().err
    assert mgames(["report", "demo", *options]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["config_version"] == 5 and report["funnel"]["players"] == 0
    assert mgames(["report", "demo", "--csv", *options]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "day,visitors,players,plays,winners,cost,coupons_redeemed,sales_driven,fraud_blocks",
        "total,0,0,0,0,0.00,0,0.00,0"]
    assert mgames(["report", "nope", *options]) == 1


def test_a_table_that_cannot_be_reached_is_a_message_not_a_traceback(capsys: Any,
                                                                     monkeypatch: Any) -> None:
    monkeypatch.setenv("MGAMES_DYNAMODB_MAX_ATTEMPTS", "1")
    # a wrong --endpoint: nothing listens on port 9
    assert mgames(["report", "demo", "--endpoint", "http://127.0.0.1:9", "--table", "t"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error SERVICE_UNAVAILABLE: ")
    assert "the table 't' at http://127.0.0.1:9; for the local stack run `mgames local`" in err
    # a forgotten --endpoint, and no AWS credentials
    for name in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert mgames(["report", "demo", "--table", "t"]) == 2
    err = capsys.readouterr().err
    assert "credentials" in err and "the table 't' at AWS" in err and "Traceback" not in err


def test_report_as_one_html_page(apply: Any, local_dynamodb: Any, capsys: Any, monkeypatch: Any,
                                 tmp_path: Any) -> None:
    apply()
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", local_dynamodb.endpoint_url)
    page = tmp_path / "demo-report.html"
    options = ["--endpoint", local_dynamodb.endpoint_url, "--table", "mgames-test"]
    assert mgames(["report", "demo", "--html", str(page), *options]) == 0
    assert f"to {page}" in capsys.readouterr().out
    written = page.read_text(encoding="utf-8")
    assert "<title>活动报表 · demo</title>" in written and 'id="report-charts"' in written
    assert "Chart.js v4" in written  # the chart script inline: the file opens offline
