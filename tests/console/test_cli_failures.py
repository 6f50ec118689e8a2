"""Every `mgames` command, given each failure that can befall it, says so in one line on
stderr and exits 2 (usage, input) or 1 (refused, failed): never a traceback
(infra/failures.py)."""

from __future__ import annotations

import argparse
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main as mgames
from infra.cli import parser
from tests.conftest import Apply, GameClient, demo_doc
from tests.console.test_cli_help import commands
from tests.console.test_partners import PARTNERS

STORE_COMMANDS: dict[str, list[str]] = {
    "mgames apply": ["apply", "{campaign}"],
    "mgames blacklist": ["blacklist", "add", "member", "mallory"],
    "mgames jobs": ["jobs"],
    "mgames coupons": ["coupons", "alice"],
    "mgames report": ["report", "demo"],
    "mgames enable": ["enable", "demo", "lucky-wheel"],
    "mgames disable": ["disable", "demo", "lucky-wheel"],
    "mgames partner upload": ["partner", "upload", "demo", "cafe", "coffee-10", "{codes}"],
    "mgames partner settlement": ["partner", "settlement", "demo", "cafe"],
    "mgames segment": ["segment", "demo", "vip", "{codes}"],
    "mgames webhooks list": ["webhooks", "list", "demo"],
    "mgames webhooks replay": ["webhooks", "replay", "demo"],
    "mgames verify-draw": ["verify-draw", "demo", "{draw}"],
}
"""Every command that uses the table, with arguments it would succeed with."""

BAD_FILES: dict[str, tuple[list[str], int, str]] = {
    "apply, missing": (["apply", "{missing}"], 2, "error CONFIG_INVALID: {missing}: No such file"),
    "apply, a directory": (["apply", "{tmp}"], 2, "error CONFIG_INVALID: {tmp}: Is a directory"),
    "apply, not YAML": (["apply", "{not_yaml}"], 2, "error CONFIG_INVALID: {not_yaml}: not valid YAML"),
    "apply, not a campaign": (["apply", "{codes}"], 2, "error CONFIG_INVALID: {codes}: a campaign file"),
    "validate, missing": (["validate", "{missing}"], 2, "error CONFIG_INVALID: {missing}: No such file"),
    "validate, not UTF-8": (["validate", "{binary}"], 2, "error CONFIG_INVALID: {binary}: not UTF-8"),
    "upload, missing": (["partner", "upload", "demo", "cafe", "coffee-10", "{missing}"], 2,
                        "error: {missing}: No such file or directory"),
    "upload, a directory": (["partner", "upload", "demo", "cafe", "coffee-10", "{tmp}"], 2,
                            "error: {tmp}: Is a directory"),
    "upload, not UTF-8": (["partner", "upload", "demo", "cafe", "coffee-10", "{binary}"], 2,
                          "error CODES_INVALID: campaign.bin is not UTF-8 text"),
    "upload, CSV as JSON": (["partner", "upload", "demo", "cafe", "coffee-10", "{codes}",
                             "--format", "json"], 2, "error CODES_INVALID: not JSON"),
    "upload, JSON of numbers": (["partner", "upload", "demo", "cafe", "coffee-10", "{numbers}"], 2,
                                "error CODES_INVALID: JSON must be a list of codes"),
    "upload, a malformed code": (["partner", "upload", "demo", "cafe", "coffee-10", "{not_yaml}"],
                                 2, "error CODES_INVALID: malformed codes"),
    "upload, empty": (["partner", "upload", "demo", "cafe", "coffee-10", "{empty}"], 2,
                      "error CODES_INVALID: empty.csv holds no code"),
    "segment, missing": (["segment", "demo", "vip", "{missing}"], 2,
                         "error: {missing}: No such file or directory"),
    "segment, not a name": (["segment", "demo", "VIP list", "{codes}"], 2,
                            "error: 'VIP list' is not a segment name: lower-case letters, digits and '-'"),
    "segment, not UTF-8": (["segment", "demo", "vip", "{binary}"], 2, "error: {binary}: not UTF-8 text"),
    "segment, not member ids": (["segment", "demo", "vip", "{not_yaml}"], 2,
                                "error: {not_yaml}: 'id: [oops' is not a member id"),
    "local, missing campaign": (["local", "--campaign", "{missing}"], 2,
                                "error: --campaign {missing}: no such file"),
}

REFUSED: dict[str, tuple[list[str], int, str]] = {
    "report": (["report", "nope"], 1, "error CAMPAIGN_NOT_FOUND: "),
    "enable": (["enable", "demo", "pinball"], 1, "error GAME_NOT_ENABLED: "),
    "disable": (["disable", "nope", "lucky-wheel"], 1, "error CAMPAIGN_NOT_FOUND: "),
    "coupons": (["coupons", "alice", "--redeem", "nope"], 1, "error COUPON_NOT_FOUND: "),
    "settlement": (["partner", "settlement", "demo", "nobody"], 1, "error PARTNER_NOT_FOUND: "),
    "upload": (["partner", "upload", "demo", "cafe", "tea", "{codes}"], 1,
               "error COUPON_TYPE_NOT_FOUND: "),
    "upload, codes in the pool": (["partner", "upload", "demo", "cafe", "coffee-10", "{again}"], 1,
                                  "error DUPLICATE_CODES: codes already in the pool: F2 on lines 2"),
    "apply, an invalid campaign": (["apply", "{invalid}"], 2, "error CONFIG_INVALID: timezone"),
    "segment": (["segment", "nope", "vip", "{codes}"], 1, "error CAMPAIGN_NOT_FOUND: "),
}

USAGE: dict[str, list[str]] = {
    "no command": [],
    "an unknown command": ["launch"],
    "token": ["token"],
    "token, --store without --role": ["token", "sam", "--store", "S1"],
    "validate": ["validate"],
    "apply": ["apply"],
    "blacklist": ["blacklist", "add", "planet", "x"],
    "coupons": ["coupons"],
    "report": ["report"],
    "enable": ["enable"],
    "local": ["local", "--port", "eighty"],
    "local --faults": ["local", "--realistic", "--faults", "warp=9"],
    "partner": ["partner"],
    "upload": ["partner", "upload", "demo", "cafe"],
    "upload --format": ["partner", "upload", "demo", "cafe", "coffee-10", "c.csv", "--format", "xml"],
    "settlement": ["partner", "settlement", "demo"],
    "template": ["template", "--force"],
    "segment": ["segment", "demo"],
}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What `--endpoint` sets in the environment is undone after each test."""
    for name in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    written = {"codes": "code\nF1\nF2\n", "again": "code\nF2\nF9\n", "not_yaml": "id: [oops\n",
               "numbers": "[1, 2]", "empty": "code\n"}
    names = {"codes": "codes.csv", "again": "again.csv", "not_yaml": "bad.yaml",
             "numbers": "numbers.json", "empty": "empty.csv"}
    found = {key: str(tmp_path / names[key]) for key in written}
    for key, text in written.items():
        Path(found[key]).write_text(text)
    (tmp_path / "campaign.bin").write_bytes(b"\xff\xfe\x00id: demo\n")
    invalid = demo_doc()
    invalid["timezone"] = "Nowhere/Town"
    (tmp_path / "invalid.yaml").write_text(json.dumps(invalid))
    campaign = demo_doc()  # the stored campaign again: a started campaign keeps its prizes
    campaign["games"] = campaign["games"] | {"partner-coupon": {"partners": PARTNERS}}
    (tmp_path / "campaign.yaml").write_text(json.dumps(campaign))
    return found | {"draw": "20261123040000" + "0" * 12,  # `stored` puts a real draw's id here
                    "binary": str(tmp_path / "campaign.bin"), "missing": str(tmp_path / "nope.yaml"),
                    "tmp": str(tmp_path), "invalid": str(tmp_path / "invalid.yaml"),
                    "campaign": str(tmp_path / "campaign.yaml")}


def run(argv: list[str], files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = mgames([word.format(**files) for word in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def stored(apply: Apply, local_dynamodb: Any, monkeypatch: pytest.MonkeyPatch,
           files: dict[str, str]) -> list[str]:
    """The demo campaign with the partners and a wheel draw (its day long over by the real
    clock, `files["draw"]`); the options reaching its table."""
    doc = demo_doc()
    doc["games"] = doc["games"] | {"partner-coupon": {"partners": PARTNERS}}
    apply(doc)
    drawn = GameClient("lucky-wheel").call("POST", "/campaigns/demo/draws", member="verifier",
                                           key="cli-verify-0001")
    assert drawn.status == 201, drawn
    files["draw"] = str(drawn.body["draw_id"])
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", local_dynamodb.endpoint_url)
    monkeypatch.setenv("MGAMES_TABLE", "mgames-test")
    return ["--endpoint", local_dynamodb.endpoint_url, "--table", "mgames-test"]


def test_the_matrix_covers_every_command_that_uses_the_table() -> None:
    using = {path for path, p in commands(parser())
             if p.get_default("uses_store") and not any(
                 isinstance(a, argparse._SubParsersAction) for a in p._actions)}
    assert using == set(STORE_COMMANDS)


@pytest.mark.parametrize("path", sorted(STORE_COMMANDS))
def test_a_command_succeeds_with_its_arguments(path: str, stored: list[str], files: dict[str, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The arguments of the matrix are right: the failures below come from the failure alone."""
    assert run([*STORE_COMMANDS[path], *stored], files, capsys)[0] == 0


@pytest.mark.parametrize("path", sorted(STORE_COMMANDS))
def test_an_endpoint_nothing_listens_on_is_one_line_and_status_1(
        path: str, files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    status, err = run([*STORE_COMMANDS[path], "--endpoint", endpoint, "--table", "t"], files, capsys)
    assert status == 1
    assert one_line(err) == (
        "error SERVICE_UNAVAILABLE: the store cannot be reached; retry later (the table 't' at "
        f"{endpoint}; for the local stack run `mgames local`, then pass --endpoint "
        "http://127.0.0.1:8001)")


@pytest.mark.parametrize("path", sorted(STORE_COMMANDS))
def test_no_endpoint_and_no_credentials_is_one_line_and_status_2(
        path: str, files: dict[str, str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    status, err = run([*STORE_COMMANDS[path], "--table", "t"], files, capsys)
    assert status == 2
    assert one_line(err) == (
        "error: Unable to locate credentials (the table 't' at AWS; for the local stack run "
        "`mgames local`, then pass --endpoint http://127.0.0.1:8001)")


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_one_line_and_status_2(case: str, stored: list[str], files: dict[str, str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    argv, expected, start = BAD_FILES[case]
    options = stored if argv[0] in {"apply", "partner"} else []
    status, err = run([*argv, *options], files, capsys)
    assert (status, one_line(err)[:len(start.format(**files))]) == (expected, start.format(**files))


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_request_is_one_line_and_its_status(
        case: str, stored: list[str], files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["partner", "upload", "demo", "cafe", "coffee-10", "{codes}", *stored],
               files, capsys)[0] == 0
    argv, expected, start = REFUSED[case]
    status, err = run([*argv, *stored], files, capsys)
    assert (status, one_line(err)[:len(start)]) == (expected, start)


def test_a_table_that_does_not_exist_is_one_line_and_status_2(
        stored: list[str], files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(["report", "demo", "--endpoint", stored[1], "--table", "nope"], files, capsys)
    assert status == 2
    assert one_line(err) == (f"error: no such table (the table 'nope' at {stored[1]}; for the local "
                             "stack run `mgames local`, then pass --endpoint http://127.0.0.1:8001)")


@pytest.mark.parametrize("case", sorted(USAGE))
def test_a_usage_error_is_one_line_and_status_2(case: str, files: dict[str, str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(USAGE[case], files, capsys)
    assert status == 2
    line = one_line(err)
    assert line.startswith(("mgames", "error: ")) and "error" in line
