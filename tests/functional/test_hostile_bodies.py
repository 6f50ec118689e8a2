"""Hostile bodies on every POST route of every game (the console's: tests/console): each gets a 4xx in
the envelope before any write, whatever its content type, encoding, depth, numbers or size.
`text/plain` needs no CORS preflight, so any web page could send these."""

from __future__ import annotations

import re

import pytest

from plugins.registry import GAMES_GROUP, installed
from tests.conftest import Apply, GameClient, Scan

HOSTILE: dict[str, tuple[dict[str, str], str | bytes, int, str]] = {
    "text/plain": ({"content-type": "text/plain"}, '{"channel": "h5"}', 415, "UNSUPPORTED_MEDIA_TYPE"),
    "xml": ({"content-type": "application/xml"}, "<draw/>", 415, "UNSUPPORTED_MEDIA_TYPE"),
    "latin-1 charset": ({"content-type": "application/json; charset=latin-1"}, "{}", 415,
                        "UNSUPPORTED_MEDIA_TYPE"),
    "not utf-8": ({}, b'{"channel": "\xff\xfe"}', 400, "MALFORMED_REQUEST"),
    "deep nesting": ({}, "[" * 5000 + "]" * 5000, 400, "MALFORMED_REQUEST"),
    "nesting under the recursion limit": ({}, "[" * 500 + "]" * 500, 400, "MALFORMED_REQUEST"),
    "5,000 digits": ({}, '{"channel": ' + "9" * 5000 + "}", 400, "MALFORMED_REQUEST"),
    "NaN": ({}, '{"channel": NaN}', 400, "MALFORMED_REQUEST"),
    "too large": ({}, '{"channel": "' + "a" * 20_000 + '"}', 413, "PAYLOAD_TOO_LARGE"),
}


def post_paths(client: GameClient) -> list[str]:
    """Every POST route of the game's OpenAPI document, its path parameters filled in."""
    paths = client.call("GET", "/openapi.json").body["paths"]
    return [re.sub(r"\{campaign_id\}", "demo", re.sub(r"\{\w+\}", "x-1", path))
            for path, operations in paths.items() if "post" in operations]


@pytest.mark.parametrize("game", installed(GAMES_GROUP))
def test_every_post_route_refuses_hostile_bodies(game: str, apply: Apply, scan: Scan) -> None:
    apply()
    client = GameClient(game)
    before = scan()
    paths = post_paths(client)
    assert paths, f"{game} has no POST route"
    for path in paths:
        for name, (headers, body, status, code) in HOSTILE.items():
            for member in (None, "mallory"):
                reply = client.call("POST", path, body=body, member=member, key=f"hostile-{name}",
                                    headers={"content-type": "application/json", **headers})
                assert (reply.status, reply.body["error"]["code"]) == (status, code), (path, name)
    assert scan() == before
