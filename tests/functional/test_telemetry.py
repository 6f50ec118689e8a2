"""Structured JSON logs carry the request's correlation id; metrics count plays, awards,
rejections and blocks by rule (CloudWatch EMF on stdout)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from plugins.antifraud import blacklist
from plugins.web import logger
from tests.conftest import NOW, GameClient


def emitted(out: str) -> list[dict[str, Any]]:
    lines = []
    for line in out.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


@pytest.fixture
def telemetry(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    level = logger.log_level
    logger.setLevel("INFO")
    buffer = io.StringIO()
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)  # Powertools logs to a stream (stdout)
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)
    logger.setLevel(level)


def metric_names(records: list[dict[str, Any]]) -> list[tuple[str, dict[str, str]]]:
    found = []
    for record in records:
        meta = record.get("_aws")
        if not meta:
            continue
        dims = {d: record[d] for group in meta["CloudWatchMetrics"][0]["Dimensions"] for d in group}
        found += [(m["Name"], dims) for m in meta["CloudWatchMetrics"][0]["Metrics"]]
    return found


def test_a_draw_logs_with_correlation_id_and_counts_a_play(wheel: GameClient, telemetry: io.StringIO,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    reply = wheel.call("POST", "/campaigns/demo/draws", member="tina", key="tel-000001")
    records = emitted(capsys.readouterr().out) + emitted(telemetry.getvalue())
    draw_logs = [r for r in records if r.get("message") == "draw"]
    assert len(draw_logs) == 1
    assert draw_logs[0]["correlation_id"]
    assert draw_logs[0]["draw_id"] == reply.body["draw_id"]
    names = metric_names(records)
    assert any(name == "Plays" and dims.get("game") == "lucky-wheel" for name, dims in names)


def test_a_fraud_block_is_counted_by_rule(
    wheel: GameClient, telemetry: io.StringIO, capsys: pytest.CaptureFixture[str],
) -> None:
    blacklist("member", "mallory", reason="test", now=NOW)
    capsys.readouterr()
    reply = wheel.call("POST", "/campaigns/demo/draws", member="mallory", key="tel-000002")
    assert reply.code == "FRAUD_BLOCKED"
    names = metric_names(emitted(capsys.readouterr().out))
    assert any(name == "Blocks" and dims.get("rule") == "blacklist"
               and dims.get("game") == "lucky-wheel" for name, dims in names)
    assert any(name == "Rejections" for name, _ in names)
