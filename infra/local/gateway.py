"""The local function-URL gateway: `http://HOST:PORT/<game>/<path>` becomes a real
function-URL event for that game's real handler, and its answer becomes the HTTP response.

Neither SAM CLI nor Chalice serves function URLs locally, so this is ours. CORS is added
here once, as the function URL's own CORS config would in AWS, and read from that very config
in template.yaml (`template_cors`): the local stack cannot allow or expose what AWS would not.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

from infra.local.events import LambdaContext, function_url_event
from infra.tables import load_template

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass(frozen=True)
class Cors:
    """A function URL's CORS: the origins it allows, and the other headers it answers."""

    origins: tuple[str, ...]
    headers: dict[str, str]

    def answer(self, origin: str | None) -> dict[str, str]:
        """The CORS headers for a request from `origin`: none for an origin not allowed; an
        allowed one echoed (`*` when every origin is)."""
        if "*" in self.origins:
            return {"Access-Control-Allow-Origin": "*", **self.headers}
        if origin in self.origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin", **self.headers}
        return {}


def template_cors(template: dict[str, Any] | None = None) -> Cors:
    """The CORS of the template's game function URLs (every game has the same config, from
    one snippet), their origins being the `AllowedOrigins` parameter's default."""
    template = template if template is not None else load_template()
    configs = [resource["Properties"]["FunctionUrlConfig"]["Cors"]
               for resource in template["Resources"].values()
               if "Cors" in resource.get("Properties", {}).get("FunctionUrlConfig", {})]
    if not configs or any(config != configs[0] for config in configs):
        raise ValueError("the template's function URLs must share one CORS config")
    cors = configs[0]
    origins = cors["AllowOrigins"]
    if isinstance(origins, dict):  # {"Ref": "AllowedOrigins"}
        origins = template["Parameters"][origins["Ref"]]["Default"].split(",")
    return Cors(tuple(o.strip() for o in origins), {
        "Access-Control-Allow-Headers": ", ".join(h.lower() for h in cors["AllowHeaders"]),
        "Access-Control-Expose-Headers": ", ".join(cors["ExposeHeaders"]),
        "Access-Control-Allow-Methods": ", ".join(cors["AllowMethods"]),
        "Access-Control-Max-Age": str(cors["MaxAge"]),
    })


class FunctionUrlGateway:
    """A WSGI app routing the first path segment to a handler, like one URL per function."""

    def __init__(self, handlers: dict[str, Handler]) -> None:
        self.handlers = handlers
        self.cors = template_cors()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        response.headers.update(self.cors.answer(request.headers.get("Origin")))
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
        result = handler(event, LambdaContext(function_name=game))  # a new aws_request_id each
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
