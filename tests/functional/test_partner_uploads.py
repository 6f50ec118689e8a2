"""Partner code pools: parsing (duplicates named by line) and uploads, idempotent on the
upload id through the action record `plugins.actions.perform` keeps."""

from __future__ import annotations

from typing import Any

import pytest

from games.partner_coupon import parse_codes, pool, upload_pool
from games.partner_coupon.errors import (
    CodesInvalidError,
    CouponTypeNotFoundError,
    DuplicateCodesError,
    PartnerNotFoundError,
)
from games.partner_coupon.items import upload_key
from plugins.errors import ConflictError
from plugins.runtime import runtime
from plugins.store import ActionItem
from tests.conftest import NOW, Apply, Scan
from tests.functional.test_partner_coupon import codes, load, pc_doc


@pytest.fixture(autouse=True)
def partners(apply: Apply) -> None:
    apply(pc_doc())


def test_parse_codes_csv_and_json_name_duplicate_lines() -> None:
    assert parse_codes("code\nA1\n\nB2,extra\n", "csv") == ["A1", "B2"]
    assert parse_codes('{"codes": ["A1", "B2"]}', "json") == ["A1", "B2"]
    with pytest.raises(DuplicateCodesError, match=r"A1 on lines 2, 4"):
        parse_codes("code\nA1\nB2\nA1\n", "csv")
    with pytest.raises(DuplicateCodesError, match=r"X on lines 1, 3"):
        parse_codes('["X", "Y", "X"]', "json")
    with pytest.raises(CodesInvalidError, match="line 2"):
        parse_codes("A1\nbad code#\n", "csv")
    with pytest.raises(CodesInvalidError):
        parse_codes("not json", "json")
    with pytest.raises(CodesInvalidError):
        parse_codes("code\n", "csv")


def test_upload_is_idempotent_and_refuses_stored_codes(scan: Scan) -> None:
    first = load(20)
    assert (first["accepted"], first["pool_size"], first["replayed"]) == (20, 20, False)
    before = scan()
    again = load(20)
    assert again == first | {"replayed": True}
    assert scan() == before  # a repeat writes nothing
    campaign = runtime.configs.get("demo")
    with pytest.raises(DuplicateCodesError, match="CAFE00003 on lines 2"):
        upload_pool(campaign, "cafe", "coffee-10", "up-2", ["NEW1", "CAFE00003"], NOW)
    with pytest.raises(PartnerNotFoundError):
        upload_pool(campaign, "nobody", "coffee-10", "up-3", ["NEW1"], NOW)
    with pytest.raises(CouponTypeNotFoundError):
        upload_pool(campaign, "cafe", "tea", "up-4", ["NEW1"], NOW)
    with pytest.raises(DuplicateCodesError, match="CAFE00000 on lines 1"):
        load(5, "up-5")  # the same codes under a new upload id
    assert scan() == before  # refusals write nothing


def test_an_upload_is_an_action_record_and_a_repeat_costs_one_read(dynamodb_calls: list[str]) -> None:
    dynamodb_calls.clear()
    first = load(5)
    assert dynamodb_calls[-1] == "TransactWriteItems"  # the record, through perform
    record = ActionItem.get(*upload_key("demo", "cafe", "coffee-10", "up-1"), consistent_read=True)
    assert (record.game, record.campaign_id) == ("partner-coupon", "demo")
    assert record.result["pool_size"] == first["pool_size"] == 5
    dynamodb_calls.clear()
    assert load(5) == first | {"replayed": True}
    assert dynamodb_calls == ["GetItem"]


def test_upload_resumes_codes_its_own_id_stored() -> None:
    campaign = runtime.configs.get("demo")
    upload_pool(campaign, "cafe", "coffee-10", "up-a", codes(3), NOW)
    # the upload record lost (a crash after the codes, before the answer): the retry resumes
    ActionItem(*upload_key("demo", "cafe", "coffee-10", "up-a")).delete()
    again = upload_pool(campaign, "cafe", "coffee-10", "up-a", codes(5), NOW)
    assert (again["accepted"], again["pool_size"]) == (5, 5)


@pytest.mark.parametrize(("other", "refusal"), [
    ("up-b", "another run of upload 'up-b' stored these codes meanwhile: run the same command again"),
    ("up-c", "codes uploaded meanwhile by another upload: CAFE00000 on lines 1"),
])
def test_codes_stored_after_the_check_are_named_for_who_stored_them(
        other: str, refusal: str, monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = runtime.configs.get("demo")
    upload_pool(campaign, "cafe", "coffee-10", other, codes(1), NOW)  # CAFE00000, marked by `other`
    ActionItem(*upload_key("demo", "cafe", "coffee-10", other)).delete()  # a run still going
    # GIVEN the pre-check ran before that write (two runs at once): it saw no marker
    real = pool._stored
    calls: list[int] = []

    def stale_first(*args: Any) -> dict[str, str]:
        calls.append(1)
        return {} if len(calls) == 1 else real(*args)

    monkeypatch.setattr(pool, "_stored", stale_first)
    # WHEN an upload under "up-b" writes the same code, THEN its marker's condition fails and
    # the refusal says whether this very upload (another run of it) or another one stored it
    error = ConflictError if other == "up-b" else DuplicateCodesError
    with pytest.raises(error, match=refusal):
        upload_pool(campaign, "cafe", "coffee-10", "up-b", codes(3), NOW)
