"""A client generated from a function's OpenAPI document by openapi-python-client (generated
offline into a temporary folder) calls the real handler: a player's action with its defaults
(no body, only the required Idempotency-Key), a replay, and a refusal, each parsed into the
document's own types without crashing."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from plugins.registry import get_game
from plugins.web.app import document_text
from tests.conftest import GameClient, token

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The lucky wheel's client package, generated from its document and imported."""
    doc = tmp_path / "lucky-wheel.json"
    doc.write_text(document_text(get_game("lucky-wheel")), encoding="utf-8")
    env = os.environ | {"PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(GENERATOR), "generate", "--path", str(doc), "--meta", "none",
                    "--output-path", str(tmp_path / "wheel_client")],
                   check=True, capture_output=True, timeout=300, cwd=tmp_path, env=env)
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module("wheel_client")


def transport(game: GameClient) -> httpx.MockTransport:
    """httpx requests answered by the game's handler (through `GameClient.call`, so every answer
    is checked against the document too)."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = request.content.decode() or None
        reply = game.call(request.method, request.url.raw_path.decode(), body=body,
                          headers={name: value for name, value in request.headers.items()})
        return httpx.Response(reply.status, headers=reply.headers,
                              content=json.dumps(reply.body).encode())

    return httpx.MockTransport(answer)


def test_a_generated_client_plays_with_its_defaults(wheel: GameClient, generated: Any) -> None:
    # GIVEN the client generated from the wheel's document, with a player's token
    draws = importlib.import_module("wheel_client.api.default.post_action_campaigns_campaign_id_draws_post")
    client = generated.AuthenticatedClient(base_url="http://wheel.local", token=token("alice", "phone-1"),
                                           httpx_args={"transport": transport(wheel)})

    # WHEN it draws with nothing but what the document requires
    first = draws.sync_detailed("demo", client=client, idempotency_key="generated-0001")
    again = draws.sync_detailed("demo", client=client, idempotency_key="generated-0001")

    # THEN the answers parse into the document's types: a draw, the same one on a replay
    assert first.status_code == 201 and type(first.parsed).__name__ == "DrawView"
    assert again.parsed.draw_id == first.parsed.draw_id
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_generated_client_parses_a_refusal(wheel: GameClient, generated: Any) -> None:
    draws = importlib.import_module("wheel_client.api.default.post_action_campaigns_campaign_id_draws_post")
    anonymous = generated.Client(base_url="http://wheel.local", httpx_args={"transport": transport(wheel)})

    refused = draws.sync_detailed("demo", client=anonymous, idempotency_key="generated-0002")

    assert refused.status_code == 401
    assert refused.parsed.error.code == "TOKEN_MISSING"
