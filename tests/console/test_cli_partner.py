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
    assert first["upload_id"].startswith("cli-")  # named by its codes, not by its file's name
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes), *options]) == 0
    assert json.loads(capsys.readouterr().out)["replayed"] is True
    # another file under the same name is another upload, not taken for a replay
    codes.write_text("code\nC6\nC7\n")
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes), *options]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["replayed"], second["pool_size"]) == (False, 5)
    more = tmp_path / "more.json"
    more.write_text(json.dumps(["C4", "C1"]))
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(more),
                   "--upload-id", "batch-2", *options]) == 1
    refused = capsys.readouterr().err
    assert "DUPLICATE_CODES" in refused and "part " not in refused
    more.write_text(json.dumps({"codes": ["C4", "C5"]}))
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(more),
                   "--upload-id", "batch-2", *options]) == 0
    assert json.loads(capsys.readouterr().out)["pool_size"] == 7


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


def test_a_file_over_one_uploads_limit_goes_in_parts_with_progress_and_resumes(
        options: list[str], tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("games.partner_coupon.cli.MAX_CODES", 2)  # 5,000 in real uploads
    codes = tmp_path / "big.csv"
    codes.write_text("".join(f"B{i}\n" for i in range(5)))
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes),
                   "--upload-id", "big", *options]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == {"upload_id": "big", "parts": 3, "accepted": 5,
                                         "pool_size": 5, "replayed": False}
    assert out.err.splitlines() == ["part 1/3: 2 codes loaded (big.1)", "part 2/3: 2 codes loaded (big.2)",
                                    "part 3/3: 1 codes loaded (big.3)"]
    # run again (as after a failure): every part is answered, nothing loaded twice
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes),
                   "--upload-id", "big", *options]) == 0
    again = capsys.readouterr()
    assert json.loads(again.out)["replayed"] is True and json.loads(again.out)["pool_size"] == 5
    assert all("already loaded" in line for line in again.err.splitlines())
    # a code twice in the file is refused before any part is uploaded
    codes.write_text("D1\nD2\nD3\nD1\n")
    assert mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(codes), *options]) == 1
    refused = capsys.readouterr().err
    assert "DUPLICATE_CODES" in refused and "part " not in refused
