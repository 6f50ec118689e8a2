"""The marketers' web console: one HTML page at the console's root (`GET /`), its script
(`sdk/src/console/app.ts`, bundled into `assets/console.js`) inline, so the console function
serves it from its own artifact and nothing is fetched elsewhere. The page is public and
holds nothing personal; everything it shows comes from the console's routes, called with
the marketer's credential the page signs in with (docs/console.md, "The web console").

`MGAMES_LOCAL_TOKEN_URL` (set by `mgames local` only) tells the page where the local stack
mints a marketer's credential, so local sign-in is one click; no deployed console has it.
"""

from __future__ import annotations

import json
import os

from chalice import Blueprint, Response

from plugins.console.bundles import bundle, inline_script, script_json
from plugins.console.contract import documented
from plugins.console.web import Call, console_view

__all__ = ["console_page", "site"]

site = Blueprint(__name__)
LOCAL_TOKEN_URL = "MGAMES_LOCAL_TOKEN_URL"


def console_page() -> str:
    """The web console's page: a shell, its settings and its script."""
    local = os.environ.get(LOCAL_TOKEN_URL)
    settings = json.dumps({"localTokenUrl": local} if local else {})
    return ('<!doctype html>\n<html lang="zh-CN">\n<head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,"><title>营销活动控制台</title></head>\n'
            f'<body><div id="app"></div>\n{script_json("console-settings", settings)}\n'
            f"{inline_script(bundle('console.js'))}\n</body>\n</html>\n")


@site.route("/", methods=["GET"])
@documented("public", "The marketers' web console (one HTML page)", media="text/html")
@console_view(site, None)
def web_console(call: Call) -> Response:
    return Response(body=console_page(), status_code=200,
                    headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"})
