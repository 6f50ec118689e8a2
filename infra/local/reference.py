"""The browsable API reference of the local stack: Swagger UI for every game function's
document and the console's, its assets served from the `swagger-ui-py` package installed with
the local extras (nothing from a CDN). Each document names the local server it describes, so
"Try it out" calls the stack itself."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Request, Response

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "{url}", dom_id: "#ui", deepLinking: true}});</script>
</body></html>"""
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js")


def assets_dir() -> Path:
    import swagger_ui

    return Path(swagger_ui.__file__).parent / "static"


class Reference:
    """A WSGI app: `/` lists the documents, `/<name>/` browses one, `/<name>/openapi.json` is it."""

    def __init__(self, documents: dict[str, dict[str, Any]], servers: dict[str, str]) -> None:
        self.documents = {name: doc | {"servers": [{"url": servers[name]}]}
                          for name, doc in documents.items()}
        self.assets = assets_dir()

    def answer(self, path: str) -> Response:
        name, _, rest = path.strip("/").partition("/")
        if not name:
            links = "".join(f'<li><a href="/{n}/">{html.escape(n)}</a></li>' for n in sorted(self.documents))
            return Response(f"<!doctype html><title>API reference</title><ul>{links}</ul>",
                            content_type="text/html; charset=utf-8")
        if name == "assets" and rest in ASSETS:
            kind = "text/css" if rest.endswith(".css") else "text/javascript"
            return Response((self.assets / rest).read_bytes(), content_type=kind)
        if name not in self.documents:
            raise NotFound()
        if rest == "openapi.json":
            return Response(json.dumps(self.documents[name], ensure_ascii=False),
                            content_type="application/json")
        return Response(PAGE.format(title=html.escape(f"{name} API"), url=f"/{name}/openapi.json"),
                        content_type="text/html; charset=utf-8")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            response = self.answer(Request(environ).path)
        except NotFound as exc:
            response = exc.get_response()
        return response(environ, start_response)
