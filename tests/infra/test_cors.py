"""CORS is configured once, in template.yaml: the function URLs allow the headers a page sends
and expose the headers it reads; the local gateway answers exactly what the template says;
the console API's preflight and its app agree on the same headers."""

from __future__ import annotations

from typing import Any

from werkzeug.test import Client

from infra.local.gateway import Cors, FunctionUrlGateway, template_cors
from infra.tables import load_template
from plugins.conventions import ACCEPTED_HEADERS, EXPOSED_HEADERS


def names(value: str) -> set[str]:
    return {part.strip().lower() for part in value.strip("'").split(",")}


def test_the_function_urls_expose_and_allow_the_conventions_headers() -> None:
    cors = template_cors()
    assert names(cors.headers["Access-Control-Expose-Headers"]) == {h.lower() for h in EXPOSED_HEADERS}
    assert names(cors.headers["Access-Control-Allow-Headers"]) == {h.lower() for h in ACCEPTED_HEADERS}


def test_the_local_gateway_answers_the_templates_cors_exactly_once() -> None:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "body": "{}", "headers": {"X-Request-Id": context.aws_request_id}}

    client = Client(FunctionUrlGateway({"g": handler}))
    expected = template_cors().answer("https://h5.example.com")
    for method in ("GET", "OPTIONS"):
        reply = client.open("/g/x", method=method, headers={"Origin": "https://h5.example.com"})
        for name, value in expected.items():
            assert reply.headers.getlist(name) == [value], (method, name)
    first, second = (client.get("/g/x").headers["X-Request-Id"] for _ in range(2))
    assert first != second  # a generated request id per call, as Lambda gives


def test_listed_origins_are_echoed_and_others_get_no_cors() -> None:
    cors = Cors(("https://a.example.com", "https://b.example.com"), {"Access-Control-Max-Age": "300"})
    assert cors.answer("https://b.example.com")["Access-Control-Allow-Origin"] == "https://b.example.com"
    assert cors.answer("https://evil.example.com") == {}
    assert Cors(("*",), {}).answer(None) == {"Access-Control-Allow-Origin": "*"}


def test_the_console_api_preflight_allows_what_its_app_allows() -> None:
    template = load_template()
    api = template["Resources"]["ConsoleApi"]["Properties"]["Cors"]
    assert {h.lower() for h in ACCEPTED_HEADERS} <= names(api["AllowHeaders"])
    assert api["AllowOrigin"] == {"Fn::Sub": "'${ConsoleOrigin}'"}
    env = template["Resources"]["ConsoleFunction"]["Properties"]["Environment"]["Variables"]
    assert env["MGAMES_CONSOLE_ORIGIN"] == {"Ref": "ConsoleOrigin"}
