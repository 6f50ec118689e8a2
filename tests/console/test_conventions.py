"""The console's answers follow the H5 conventions of the game functions: an `X-Request-Id`
on every answer (in the envelope too), messages in Chinese on request, and CORS for its own
web pages exposing the headers a page reads."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.conventions import ACCEPTED_HEADERS, EXPOSED_HEADERS
from plugins.messages import ZH
from tests.console.conftest import Console, auth


def test_every_console_answer_carries_a_request_id(console: Console, apply: Any) -> None:
    apply()
    ok = console.call("GET", "/campaigns/demo/versions")
    refused = console.call("GET", "/campaigns/demo/versions", headers={})
    assert (ok.status_code, refused.status_code) == (200, 401)
    ids = [ok.headers["X-Request-Id"], refused.headers["X-Request-Id"]]
    assert all(ids) and ids[0] != ids[1]
    assert refused.data["error"]["request_id"] == ids[1]


@pytest.mark.parametrize(("header", "message"), [
    ("zh-CN", ZH["FORBIDDEN"]), ("zh-Hans;q=0.8, en;q=0.7", ZH["FORBIDDEN"]),
    ("en", "this call is for the marketer role"), (None, "this call is for the marketer role"),
])
def test_console_errors_follow_accept_language(console: Console, header: str | None,
                                               message: str) -> None:
    sent = auth("staff") | ({} if header is None else {"accept-language": header})
    reply = console.call("GET", "/campaigns/demo/report", headers=sent)
    assert (reply.status_code, reply.data["error"]["code"]) == (403, "FORBIDDEN")
    assert reply.data["error"]["message"] == message


def test_console_answers_carry_cors_for_its_pages(console: Console, apply: Any) -> None:
    apply()
    for reply in (console.call("GET", "/campaigns/demo/versions"),
                  console.call("GET", "/campaigns/demo/versions", headers={})):
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        exposed = {h.strip().lower() for h in reply.headers["Access-Control-Expose-Headers"].split(",")}
        assert exposed == {h.lower() for h in EXPOSED_HEADERS}
        allowed = {h.strip().lower() for h in reply.headers["Access-Control-Allow-Headers"].split(",")}
        assert {h.lower() for h in ACCEPTED_HEADERS} <= allowed


def test_the_console_origin_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.console.web import cors

    monkeypatch.setenv("MGAMES_CONSOLE_ORIGIN", "https://console.example.com")
    assert cors().get_access_control_headers()["Access-Control-Allow-Origin"] == \
        "https://console.example.com"



def test_a_console_log_line_carries_the_request_id(console: Console, apply: Any) -> None:
    from plugins.console.web import logger

    apply()
    choices: list[dict[str, str] | None] = [None, {}]  # a success, a refusal
    for headers in choices:
        reply = console.call("GET", "/campaigns/demo/versions", headers=headers)
        assert logger.get_correlation_id() == reply.headers["X-Request-Id"]
