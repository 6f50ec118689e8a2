"""`mgames partner upload` and `mgames partner settlement` against the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main as mgames
from tests.conftest import demo_doc
from tests.console.test_partners import PARTNERS, claim


@pytest.fixture
def options(apply: Any, local_dynamodb: Any, monkeypatch: Any) -> list[str]:
    doc = demo_doc()
    doc["games"] = {"partner-coupon": {"partners": PARTNERS}}
    apply(doc)
    monkeypatch.setenv("MGAMES_TABLE", "mgames-test")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", local_dynamodb.endpoint_url)
    return ["--endpoint", local_dynamodb.endpoint_url, "--table", "mgames-test"]


def test_partner_upload_is_idempotent_and_names_duplicates(options: list[str], tmp_path: Path,
                                                           capsys: Any) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code\nC1\nC2\nC3\n")
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes), *options]) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["accepted"], first["pool_size"], first["replayed"]) == (3, 3, False)
    assert first["upload_id"] == "cli-codes.csv"
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes), *options]) == 0
    assert json.loads(capsys.readouterr().out)["replayed"] is True
    more = tmp_path / "more.json"
    more.write_text(json.dumps(["C4", "C1"]))
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(more),
                   "--upload-id", "batch-2", *options]) == 1
    assert "DUPLICATE_CODES" in capsys.readouterr().err
    more.write_text(json.dumps({"codes": ["C4", "C5"]}))
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(more),
                   "--upload-id", "batch-2", *options]) == 0
    assert json.loads(capsys.readouterr().out)["pool_size"] == 5


def test_partner_settlement(options: list[str], tmp_path: Path, capsys: Any) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("C1\nC2\n")
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes), *options]) == 0
    capsys.readouterr()
    claim("alice", "coffee-10")
    assert mgames(["partner", "settlement", "demo", "cafe", *options]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["partner"], report["issued"], report["open"]) == ("cafe", 1, 1)
    assert report["cost_issued"] == {"total": "4.00", "brand": "1.00", "partner": "3.00"}
    assert mgames(["partner", "settlement", "demo", "nobody", *options]) == 1
    assert "PARTNER_NOT_FOUND" in capsys.readouterr().err
