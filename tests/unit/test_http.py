"""One mapping from exceptions to answers for every HTTP surface (function URLs, console)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from plugins.errors import (
    ConflictError,
    MalformedRequestError,
    NoChancesLeftError,
    PayloadTooLargeError,
    TokenInvalidError,
    UnsupportedMediaTypeError,
)
from plugins.http import MAX_DEPTH, answer_for, bearer_token, checked_json


class Body(BaseModel):
    amount: int
    day: str


def _validation_error() -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        Body.model_validate({"amount": "many"})
    return raised.value


def test_a_game_error_keeps_its_status_code_and_retry_after() -> None:
    refused = answer_for(NoChancesLeftError("no chances left today"))
    assert (refused.status, refused.headers) == (403, {})
    assert json.loads(refused.body) == {"error": {"code": "NO_CHANCES_LEFT",
                                                  "message": "no chances left today"}}
    busy = answer_for(ConflictError("busy"))
    assert (busy.status, busy.headers) == (409, {"Retry-After": "1"})


def test_a_body_off_its_schema_is_400_naming_every_field() -> None:
    answer = answer_for(_validation_error())
    error = json.loads(answer.body)["error"]
    assert (answer.status, error["code"]) == (400, "MALFORMED_REQUEST")
    assert error["message"].startswith("amount: ") and "; day: Field required" in error["message"]


def test_anything_else_is_500_without_internals() -> None:
    answer = answer_for(KeyError("secret internals"))
    error = json.loads(answer.body)["error"]
    assert (answer.status, error["code"]) == (500, "INTERNAL_ERROR")
    assert "secret" not in answer.body and "KeyError" not in answer.body


def test_chinese_text_stays_readable_in_the_body() -> None:
    assert "今日次数已用完" in answer_for(NoChancesLeftError("今日次数已用完")).body


@pytest.mark.parametrize(("header", "token"), [(None, None), ("", None), ("Bearer abc.def", "abc.def"),
                                               ("bearer  abc.def ", "abc.def")])
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize("header", ["Basic dXNlcg==", "Bearer", "Bearer   ", "abc.def"])
def test_anything_but_a_bearer_token_is_invalid(header: str) -> None:
    with pytest.raises(TokenInvalidError):
        bearer_token(header)


@pytest.mark.parametrize("content_type", ["application/json", "Application/JSON; charset=UTF-8",
                                          'application/json;charset="utf-8"'])
def test_checked_json_takes_json_in_utf8(content_type: str) -> None:
    assert checked_json(content_type, '{"名": [1, 2.5, "x"]}'.encode(), 100) == {"名": [1, 2.5, "x"]}


def test_checked_json_bounds_depth_numbers_and_size_exactly() -> None:
    deepest = ("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode()
    assert checked_json("application/json", deepest, 1000) is not None
    with pytest.raises(MalformedRequestError, match="nests deeper"):
        checked_json("application/json", b"[" + deepest + b"]", 1000)
    assert checked_json("application/json", b"9" * 40, 1000) == int("9" * 40)
    with pytest.raises(MalformedRequestError, match="number longer"):
        checked_json("application/json", b"9" * 41, 1000)
    with pytest.raises(MalformedRequestError, match="number longer"):
        checked_json("application/json", b"0." + b"1" * 40, 1000)
    assert checked_json("application/json", b"[1]", 3) == [1]
    with pytest.raises(PayloadTooLargeError):
        checked_json("application/json", b"[10]", 3)


def test_checked_json_refuses_other_media_before_reading() -> None:
    assert checked_json(None, b"", 10) is None
    for content_type in (None, "text/plain", "application/json; charset=gbk", "multipart/form-data"):
        with pytest.raises(UnsupportedMediaTypeError):
            checked_json(content_type, b"{}", 10)
    with pytest.raises(MalformedRequestError, match="Infinity is not JSON"):
        checked_json("application/json", b"[Infinity]", 100)
