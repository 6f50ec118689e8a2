"""The console API (Chalice, on API Gateway): marketers, store staff and partners.

The platform's routes live in `plugins.console` blueprints; each installed game adds its own
(its `console` blueprint: partner coupons' partner routes, booking's staff verification).
Every view answers errors with the shared envelope (see `plugins.console.web`), including a
body of the wrong content type: every route accepts any, so that Chalice's own 415 (in its
own body format) never answers first. Every route answers CORS for the console's own web
pages (`plugins.console.web.cors`).
"""

from __future__ import annotations

import json
from functools import cache

from chalice import Chalice, Response

from plugins.console import campaigns, staff
from plugins.console.forecasts import forecasts
from plugins.console.openapi import console_document
from plugins.console.segments import segments
from plugins.console.site import site
from plugins.console.web import Call, console_view, cors
from plugins.console.webhooks import webhooks
from plugins.registry import contribution, games

app = Chalice(app_name="marketing-games-console")
app.api.cors = cors()  # every route registered below answers CORS for the console's pages
app.register_blueprint(campaigns, url_prefix="/campaigns")
app.register_blueprint(forecasts, url_prefix="/campaigns")
app.register_blueprint(webhooks, url_prefix="/campaigns")
app.register_blueprint(segments, url_prefix="/campaigns")
app.register_blueprint(staff)
app.register_blueprint(site)  # the web console's page, at the root
for plugin in games().values():
    blueprint = contribution(plugin, "console")
    if blueprint is not None:
        app.register_blueprint(blueprint)
API_VERSION = "1.0.0"


@cache
def document_text() -> str:
    """The console's OpenAPI document, built once per process from the routes' contracts."""
    return json.dumps(console_document(app.routes, API_VERSION), ensure_ascii=False)


@app.route("/openapi.json", methods=["GET"])
@console_view(app, None)
def openapi(call: Call) -> Response:
    """The console's OpenAPI 3.1 document (plugins/console/openapi.py), with a request id like
    every answer."""
    return Response(body=document_text(), status_code=200, headers={"Content-Type": "application/json"})


for methods in app.routes.values():
    for route in methods.values():
        route.content_types = ["*/*"]
