"""Partner code files read as streams (games/partner_coupon/codes.py) and checked in one pass
before an upload (file_upload.check_file): the same codes as a whole-text parse, whatever
the block boundaries, and every refusal naming its lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from games.partner_coupon import codes as codes_module
from games.partner_coupon import file_upload
from games.partner_coupon.codes import codes_digest, parse_codes, read_codes
from games.partner_coupon.errors import CodesInvalidError, DuplicateCodesError

DOCUMENTS = [
    '["A1", "B2", "C3"]',
    ' \n[ "A1" ,\n\t"B2"]\n ',
    '[]',
    '{"codes": ["A1", "B2"]}',
    '{"partner": {"id": "cafe", "n": [1, 2.5e3, true, null]}, "codes": ["A1"], "n": 123456789}',
    '{"codes": ["  padded  ", "x\\u0041y"], "note": "a \\"quoted\\" ] , string"}',
]


def whole(text: str) -> list[tuple[int, str]]:
    data = json.loads(text)
    data = data["codes"] if isinstance(data, dict) else data
    return [(number, code.strip()) for number, code in enumerate(data, start=1)]


@pytest.mark.parametrize("block", [1, 2, 3, 7, 1 << 16])
@pytest.mark.parametrize("text", DOCUMENTS)
def test_json_streamed_in_any_blocks_reads_what_json_loads_reads(
        text: str, block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codes_module, "BLOCK", block)
    assert list(read_codes(io.StringIO(text), "json")) == whole(text)


@pytest.mark.parametrize(("text", "reason"), [
    ('["A1",]', "not JSON"),
    ('["A1" "B2"]', "not JSON: expected"),
    ('["A1"] ["B2"]', "not JSON: extra data"),
    ("[", "not JSON"),
    ("codes", "not JSON"),
    ("", "not JSON: Expecting value"),
    ('"A1"', "JSON must be a list of codes"),
    ('{"codes": "A1"}', "JSON must be a list of codes"),
    ('{"other": ["A1"]}', "JSON must be a list of codes"),
    ('["A1", 2]', "entry 2 is not a string"),
])
def test_json_of_another_shape_is_refused(text: str, reason: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codes_module, "BLOCK", 2)
    with pytest.raises(CodesInvalidError, match=reason):
        list(read_codes(io.StringIO(text), "json"))


def test_a_runaway_json_value_is_refused_without_reading_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codes_module, "MAX_TOKEN", 100)
    monkeypatch.setattr(codes_module, "BLOCK", 10)
    stream = io.StringIO('["' + "A" * 10_000)
    with pytest.raises(CodesInvalidError, match="not JSON: Unterminated string"):
        list(read_codes(stream, "json"))
    assert stream.tell() < 200  # it stopped reading soon after the limit


def test_csv_rows_and_the_console_parse_agree() -> None:
    text = "code\nA1\n\n B2 ,extra\n"
    assert list(read_codes(io.StringIO(text), "csv")) == [(2, "A1"), (4, "B2")]
    assert parse_codes(text, "csv") == ["A1", "B2"]
    with pytest.raises(CodesInvalidError, match="not CSV after line 1"):
        list(read_codes(io.StringIO("A1\n" + "B" * 200_000 + "\n"), "csv"))  # over csv's field limit


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_check_file_counts_digests_and_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_upload, "PART", 2)
    # a byte-order mark (Excel's CSV) before the header is no code
    found = file_upload.check_file(write(tmp_path, "a.csv", "code\nA1\nB2\nC3\n", "utf-8-sig"), "csv")
    assert (found.count, found.parts) == (3, [codes_digest(["A1", "B2"]), codes_digest(["C3"])])
    assert found.digest == codes_digest(["A1", "B2", "C3"])
    # the same codes under another name and format: the same upload; other codes: another
    same = file_upload.check_file(write(tmp_path, "b.json", '["A1", "B2", "C3"]'), "json")
    other = file_upload.check_file(write(tmp_path, "a.csv", "A1\nB2\nC4\n"), "csv")
    assert same.digest == found.digest != other.digest


def test_check_file_names_malformed_and_repeated_lines(tmp_path: Path) -> None:
    with pytest.raises(CodesInvalidError, match=r"on line 3, line 5$"):
        file_upload.check_file(write(tmp_path, "c.csv", "A1\nB2\nbad code\nC3\nx#\n"), "csv")
    with pytest.raises(DuplicateCodesError, match=r"in the file: A1 on lines 1, 4; B2 on lines 2, 5$"):
        file_upload.check_file(write(tmp_path, "c.csv", "A1\nB2\nC3\nA1\nB2\n"), "csv")
    bad = "".join(f"bad#{i}\n" for i in range(25))
    with pytest.raises(CodesInvalidError, match=r"on line 1, .*, line 20 and 5 more$"):
        file_upload.check_file(write(tmp_path, "c.csv", bad), "csv")


def test_a_hash_collision_never_refuses_a_good_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_upload, "hash", lambda code: 7, raising=False)  # every code collides
    assert file_upload.check_file(write(tmp_path, "d.csv", "A1\nB2\nC3\n"), "csv").count == 3
    with pytest.raises(DuplicateCodesError, match=r"B2 on lines 2, 3$"):
        file_upload.check_file(write(tmp_path, "d.csv", "A1\nB2\nB2\n"), "csv")
