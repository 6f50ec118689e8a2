"""Hostile bodies on the console get the envelope's 4xx before any write, as on the games."""

from __future__ import annotations

from tests.conftest import Scan
from tests.console.conftest import Console, auth, code_of
from tests.functional.test_hostile_bodies import HOSTILE


def test_the_console_refuses_hostile_bodies(console: Console, scan: Scan) -> None:
    before = scan()
    for name, (headers, body, status, code) in HOSTILE.items():
        if name == "too large":  # the console takes partners' code uploads: up to 4 MiB
            body = '{"id": "' + "a" * (5 * 1024 * 1024) + '"}'
        reply = console.call("POST", "/campaigns", body=body,
                             headers={"content-type": "application/json", **headers,
                                      **auth("marketer")})
        assert (reply.status_code, code_of(reply)) == (status, code), name
    assert scan() == before
