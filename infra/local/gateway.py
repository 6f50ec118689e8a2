"""The local function-URL gateway: `http://HOST:PORT/<game>/<path>` becomes a real
function-URL event for that game's real handler, and its answer becomes the HTTP response.

Neither SAM CLI nor Chalice serves function URLs locally, so this is ours. CORS is added
here once, as the function URL's own CORS config would in AWS.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from infra.local.events import LambdaContext, function_url_event

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "authorization, content-type, idempotency-key",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Max-Age": "300",
}


class FunctionUrlGateway:
    """A WSGI app routing the first path segment to a handler, like one URL per function."""

    def __init__(self, handlers: dict[str, Handler]) -> None:
        self.handlers = handlers

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        response.headers.update(CORS)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        game, _, rest = request.path.lstrip("/").partition("/")
        if not game:
            index = {name: f"{request.host_url}{name}/" for name in sorted(self.handlers)}
            return Response(json.dumps({"games": index}), 200, content_type="application/json")
        handler = self.handlers.get(game)
        if handler is None:
            body = {"error": {"code": "ROUTE_NOT_FOUND", "message": f"no game {game!r} here"}}
            return Response(json.dumps(body), 404, content_type="application/json")
        if request.method == "OPTIONS":
            return Response(status=204)
        event = function_url_event(
            request.method, "/" + rest, query=request.query_string.decode("latin-1"),
            headers=dict(request.headers.items()), body=request.get_data() or None,
            source_ip=request.remote_addr or "127.0.0.1", domain=request.host,
        )
        result = handler(event, LambdaContext(function_name=game))
        return to_response(result)


def to_response(result: dict[str, Any]) -> Response:
    """A function-URL handler's result as an HTTP response."""
    body = result.get("body") or ""
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(raw, status=result.get("statusCode", 200))
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = value
    for cookie in result.get("cookies") or ():
        response.headers.add("Set-Cookie", cookie)
    return response
