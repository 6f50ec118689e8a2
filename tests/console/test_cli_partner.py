"""`mgames partner upload` and `mgames partner settlement` against the store: files in parts,
resumed after a crash, replayed, and 10^5 codes in the pool once each."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from games.partner_coupon.items import BUCKETS, CodeItem, code_key
from infra.cli import main as mgames
from plugins.errors import ServiceUnavailableError
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


def pool() -> list[str]:
    """Every code item of the cafe's coffee-10 pool (one Query per bucket)."""
    return [str(item.code) for bucket in range(BUCKETS)
            for item in CodeItem.query(code_key("demo", "cafe", "coffee-10", bucket, 0)[0],
                                       CodeItem.sk.startswith("CODE#"), consistent_read=True)]


def upload(path: Path, options: list[str], *extra: str) -> int:
    return mgames(["partner", "upload", "demo", "cafe", "coffee-10", str(path), *extra, *options])


def test_a_file_over_one_uploads_limit_goes_in_parts_with_progress_and_replays(
        options: list[str], tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("games.partner_coupon.file_upload.PART", 2)  # 5,000 in real uploads
    codes = tmp_path / "big.csv"
    codes.write_text("".join(f"B{i}\n" for i in range(5)))
    assert upload(codes, options, "--upload-id", "big") == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == {"upload_id": "big", "parts": 3, "loaded": 3, "skipped": 0,
                                   "accepted": 5, "pool_size": 5, "replayed": False}
    assert out.err == "codes: 5/5\n"  # the progress bar's last state (stderr is no terminal)
    # the same file again: every part is already there, nothing is sent, a replay
    sent: list[str] = []
    monkeypatch.setattr("games.partner_coupon.file_upload.upload_pool",
                        lambda *a, **k: sent.append(a[3]))
    assert upload(codes, options, "--upload-id", "big") == 0
    assert json.loads(capsys.readouterr().out) == {
        "upload_id": "big", "parts": 3, "loaded": 0, "skipped": 3, "accepted": 5, "pool_size": 5,
        "replayed": True}
    assert sent == []
    # a code twice in the file is refused before any part is uploaded, naming both lines
    codes.write_text("D1\nD2\nD3\nD1\n")
    assert upload(codes, options) == 1
    out = capsys.readouterr()
    assert out.err == "error DUPLICATE_CODES: codes repeated in the file: D1 on lines 1, 4\n"
    assert sent == [] and out.out == ""


class Crash(Exception):
    """The process dies here (as a kill would stop it)."""


def test_a_crashed_upload_resumes_skipping_the_parts_already_in(
        options: list[str], tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from games.partner_coupon import file_upload

    monkeypatch.setattr(file_upload, "PART", 3)
    codes = tmp_path / "codes.csv"
    codes.write_text("code\n" + "".join(f"R{i:03d}\n" for i in range(14)))  # parts of 3, 3, 3, 3, 2
    real, sent = file_upload.upload_pool, []

    def failing_third(*args: Any, **kwargs: Any) -> Any:
        sent.append(args[3])
        if len(sent) == 3:
            raise ServiceUnavailableError("the store cannot be reached; retry later")
        return real(*args, **kwargs)

    monkeypatch.setattr(file_upload, "upload_pool", failing_third)
    assert upload(codes, options) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error SERVICE_UNAVAILABLE: ")
    upload_id = sent[0].removesuffix(".1")
    assert sent == [f"{upload_id}.1", f"{upload_id}.2", f"{upload_id}.3"]
    # WHEN the same command runs again, THEN the parts in are skipped, never sent again
    sent.clear()
    asked: list[str] = []
    real_uploaded = file_upload.uploaded

    def asking(*args: str) -> dict[str, str]:
        asked.append(args[3])
        return real_uploaded(*args)

    def recording(*args: Any, **kwargs: Any) -> Any:
        sent.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(file_upload, "uploaded", asking)
    monkeypatch.setattr(file_upload, "upload_pool", recording)
    assert upload(codes, options) == 0
    summary = json.loads(capsys.readouterr().out)
    assert asked == [upload_id]  # one question to the store
    assert sent == [f"{upload_id}.3", f"{upload_id}.4", f"{upload_id}.5"]
    assert (summary["loaded"], summary["skipped"], summary["pool_size"]) == (3, 2, 14)
    assert sorted(pool()) == [f"R{i:03d}" for i in range(14)]  # every code once


def test_a_crash_inside_a_part_resumes_it_and_every_code_lands_once(
        options: list[str], tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from games.partner_coupon import pool as pool_module

    monkeypatch.setattr(pool_module, "CHUNK", 2)  # a transaction per 2 codes
    codes = tmp_path / "codes.json"
    codes.write_text(json.dumps({"codes": [f"M{i:02d}" for i in range(16)]}))  # 2 per bucket
    real, stored = pool_module._store, []

    def crash_on_the_fourth_write(*args: Any) -> int:
        stored.append(args[5])
        if len(stored) == 4:
            raise Crash
        return real(*args)

    monkeypatch.setattr(pool_module, "_store", crash_on_the_fourth_write)
    with pytest.raises(Crash):
        upload(codes, options)
    assert len(pool()) == 6  # three transactions of two codes went in
    capsys.readouterr()
    monkeypatch.setattr(pool_module, "_store", real)
    assert upload(codes, options) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["accepted"], summary["pool_size"], summary["replayed"]) == (16, 16, False)
    assert sorted(pool()) == [f"M{i:02d}" for i in range(16)]


def test_an_upload_id_used_for_other_codes_is_refused_before_anything_is_sent(
        options: list[str], tmp_path: Path, capsys: Any, scan: Any) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("K1\nK2\n")
    assert upload(codes, options, "--upload-id", "batch-7") == 0
    capsys.readouterr()
    before = scan()
    codes.write_text("K3\nK4\n")
    assert upload(codes, options, "--upload-id", "batch-7") == 2
    out = capsys.readouterr()
    assert out.err.startswith("error IDEMPOTENCY_KEY_REUSED: upload id 'batch-7' was used for other codes")
    assert out.err.count("\n") == 1 and out.out == ""
    assert scan() == before


CODES = 100_000


def stored_items() -> tuple[list[str], int]:
    """The pool's code items and how many uniqueness markers it has, read from the local
    DynamoDB's own state (moto's backend, in this process): reading 10^5 items back through
    the API would cost as much as writing them."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table("mgames-test")
    pools = {code_key("demo", "cafe", "coffee-10", bucket, 0)[0] for bucket in range(BUCKETS)}
    codes, markers = [], 0
    for item in table.all_items():
        pk, sk = item.hash_key.value, item.range_key.value if item.range_key else ""
        if pk in pools and sk.startswith("CODE#"):
            codes.append(item.attrs["code"].value)
        markers += pk.startswith("C#demo#PCX#cafe#coffee-10#")
    return codes, markers


def test_a_hundred_thousand_codes_land_once_each(options: list[str], tmp_path: Path,
                                                 capsys: Any) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code\n" + "".join(f"PC{i:08d}\n" for i in range(CODES)))
    started = time.perf_counter()
    assert upload(codes, options) == 0
    took = time.perf_counter() - started
    summary = json.loads(capsys.readouterr().out)
    assert (summary["accepted"], summary["pool_size"], summary["parts"]) == (CODES, CODES, 20)
    stored, markers = stored_items()
    assert len(stored) == len(set(stored)) == markers == CODES
    assert set(stored) == {f"PC{i:08d}" for i in range(CODES)}
    # the same file again: one Query says every part is in, nothing is sent
    assert upload(codes, options) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["replayed"], again["skipped"], again["loaded"], again["pool_size"]) == (
        True, 20, 0, CODES)
    print(f"\n{CODES} codes uploaded in {took:.1f} s")  # shown with -s (docs/games/partner-coupon.md)
