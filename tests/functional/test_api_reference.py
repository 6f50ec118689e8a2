"""The local stack's API reference: Swagger UI for every function and the console, its assets
from the installed package (no CDN), each document naming the local server it describes; and
the console's own document served by the console."""

from __future__ import annotations

import json
import re
import urllib.request

from infra.local.stack import LocalStack
from plugins.registry import games
from tests.functional.test_local_stack import stack  # noqa: F401  (the stack on free ports)


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()


def test_the_reference_lists_every_function_and_the_console(stack: LocalStack) -> None:  # noqa: F811
    status, kind, page = get(f"{stack.reference_url}/")
    assert status == 200 and kind.startswith("text/html")
    assert set(re.findall(r'href="/([^/"]+)/"', page)) == {*games(), "console"}


def test_each_page_loads_its_assets_from_the_stack_not_a_cdn(stack: LocalStack) -> None:  # noqa: F811
    for name in [*games(), "console"]:
        _, _, page = get(f"{stack.reference_url}/{name}/")
        assert "http://" not in page and "https://" not in page
        for asset in re.findall(r'(?:src|href)="(/assets/[^"]+)"', page):
            status, _, body = get(stack.reference_url + asset)
            assert status == 200 and len(body) > 10_000, asset


def test_each_document_names_the_server_it_describes(stack: LocalStack) -> None:  # noqa: F811
    _, _, text = get(f"{stack.reference_url}/lucky-wheel/openapi.json")
    assert json.loads(text)["servers"] == [{"url": f"{stack.url}/lucky-wheel"}]
    _, _, text = get(f"{stack.reference_url}/console/openapi.json")
    assert json.loads(text)["servers"] == [{"url": stack.console_url}]


def test_the_console_serves_its_openapi_document(stack: LocalStack) -> None:  # noqa: F811
    status, kind, text = get(f"{stack.console_url}/openapi.json")
    doc = json.loads(text)
    assert (status, doc["openapi"]) == (200, "3.1.0") and kind.startswith("application/json")
    assert "/campaigns/{campaign_id}/report" in doc["paths"]
