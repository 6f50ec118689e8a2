"""The games' H5 pages on the local stack: each game's built page at `/<game>/page/`, a
landing page at `/` linking them for every applied campaign, and a local-only token route.

`POST /local/token {"member_id": ...}` mints a player token with the local key ring, so a
page can be played without a brand's login server; `{"operator": ..., "role": "marketer"}` a
marketer's console credential for the applied campaigns, which the web console (on its own
port, hence CORS here) signs in with. It exists only here: no deployed function has it.
Everything else goes on to the function-URL gateway.
"""

from __future__ import annotations

import html
import json
import mimetypes
import re
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

PAGES = Path(__file__).resolve().parents[2] / "sdk" / "dist" / "pages"
"""Where `npm run build` in sdk/ puts each game's page (scripts/setup runs it)."""
LANDING = Path(__file__).with_name("landing.html")
TIER = re.compile(r"[a-z0-9-]{1,32}")


class LocalPages:
    """A WSGI app serving the pages, the landing page and the token route before `app`."""

    def __init__(self, app: Any, games: Iterable[str], campaigns: Iterable[str],
                 pages: Path = PAGES) -> None:
        self.app, self.games, self.campaigns, self.pages = app, sorted(games), list(campaigns), pages

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.serve(request)
        if response is None:
            return self.app(environ, start_response)
        return response(environ, start_response)

    def serve(self, request: Request) -> Response | None:
        """The answer of a page request, or None for the games' own routes."""
        path = request.path
        wants = request.accept_mimetypes.best_match(["application/json", "text/html"])
        if path == "/" and wants == "text/html":  # a browser; API clients keep the JSON index
            return Response(self.landing(), content_type="text/html; charset=utf-8")
        if path == "/local/token" and request.method in ("POST", "OPTIONS"):
            answer = mint(request, self.campaigns) if request.method == "POST" else Response(status=204)
            answer.headers.update({"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST",
                                   "Access-Control-Allow-Headers": "Content-Type"})
            return answer
        game, _, rest = path.lstrip("/").partition("/")
        if game in self.games and (rest == "page" or rest.startswith("page/")):
            return self.file(game, rest.removeprefix("page").lstrip("/") or "index.html")
        return None

    def file(self, game: str, name: str) -> Response:
        root = (self.pages / game).resolve()
        found = (root / name).resolve()
        if not found.is_relative_to(root) or not found.is_file():
            hint = "" if root.is_dir() else " (build the pages: scripts/setup)"
            return Response(f"no page file {name!r} for {game}{hint}", 404, content_type="text/plain")
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return Response(found.read_bytes(), content_type=kind, headers={"Cache-Control": "no-store"})

    def landing(self) -> str:
        links = "".join(
            f'<li><a href="/{html.escape(game)}/page/?campaign={html.escape(campaign)}">'
            f"{html.escape(game)}</a> <span class=muted>{html.escape(campaign)}</span></li>"
            for campaign in self.campaigns for game in self.games if (self.pages / game).is_dir())
        return LANDING.read_text().replace("<!--games-->", links or "<li>no page built: scripts/setup</li>")


def mint(request: Request, campaigns: list[str]) -> Response:
    """A player token for the member (and device, and tier) the body names, or a marketer's credential
    for `campaigns`: local play and local console only."""
    from plugins.clock import utc_now
    from plugins.identity.tokens import mint_operator, mint_player

    body = request.get_json(silent=True) or {}
    operator = str(body.get("operator") or "").strip()
    if operator and body.get("role") == "marketer" and len(operator) <= 64:
        token = mint_operator(operator, "marketer", now=utc_now(), ttl=timedelta(hours=8),
                              campaigns=tuple(campaigns))
        return Response(json.dumps({"token": token, "operator": operator}), 201,
                        content_type="application/json")
    member = str(body.get("member_id") or "").strip()
    if not member or len(member) > 64:
        error = {"error": {"code": "MALFORMED_REQUEST", "message": "member_id: 1 to 64 characters"}}
        return Response(json.dumps(error), 400, content_type="application/json")
    tier = body.get("tier")
    if tier is not None and not (isinstance(tier, str) and TIER.fullmatch(tier)):
        error = {"error": {"code": "MALFORMED_REQUEST", "message": "tier: 1 to 32 of a-z, 0-9 and -"}}
        return Response(json.dumps(error), 400, content_type="application/json")
    device = str(body.get("device_id") or f"browser-{member}")[:64]
    token = mint_player(member, now=utc_now(), ttl=timedelta(hours=2), device_id=device, tier=tier)
    return Response(json.dumps({"token": token, "member_id": member}), 201, content_type="application/json")
