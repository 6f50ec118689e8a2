"""One mapping from exceptions to answers for every HTTP surface (function URLs, console)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from plugins.errors import ConflictError, NoChancesLeftError, TokenInvalidError
from plugins.http import answer_for, bearer_token


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
