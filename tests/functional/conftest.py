"""Fixtures of the functional tests: plug-in packages installed for one test only, and fake
partner endpoints on 127.0.0.1."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from infra.local.dynamodb import LocalDynamoDB
from plugins import registry
from plugins.registry import GAMES_GROUP
from plugins.store import bind_table


@pytest.fixture
def cli_store(table: str, local_dynamodb: LocalDynamoDB, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """What an in-process `mgames` command changes (endpoint variable, model binding), undone."""
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")  # restored after
    yield local_dynamodb.endpoint_url
    monkeypatch.undo()
    bind_table(table, host=local_dynamodb.endpoint_url)


def install(root: Path, dist: str, module: str, source: str, games: str) -> None:
    """Lay out `module` and a `<dist>-0.1.dist-info` declaring `games` entry points in `root`,
    as `pip install` would in site-packages."""
    package = root / module
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(source))
    info = root / f"{dist}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[{GAMES_GROUP}]\n{games}\n")


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Undo the test's environment and sys.path first, then forget what was discovered, so
    the next test sees the installed plug-ins only."""
    before = set(sys.modules)
    registry.reset()
    yield monkeypatch
    monkeypatch.undo()
    for name in set(sys.modules) - before:
        if name.split(".")[0].endswith("_pkg"):
            del sys.modules[name]
    importlib.invalidate_caches()
    registry.reset()


@pytest.fixture
def plugin_dir(clean_registry: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    clean_registry.syspath_prepend(str(tmp_path))
    return tmp_path


class FakePartner:
    """Answers POSTs by a script of behaviours ("fail", "slow", "hang" until `released`, "ok";
    then "ok" forever); the same idempotency key always gets the same code."""

    def __init__(self, script: list[str]) -> None:
        self.script, self.calls = list(script), Counter[str]()
        self.codes: dict[str, str] = {}
        self.lock = threading.Lock()
        self.released = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                key = self.headers["idempotency-key"]
                assert key == body["idempotency_key"]
                with fake.lock:
                    fake.calls[key] += 1
                    step = fake.script.pop(0) if fake.script else "ok"
                    code = fake.codes.setdefault(key, f"RT-{len(fake.codes):04d}")
                if step == "fail":
                    self.send_response(503)
                    self.end_headers()
                    return
                if step == "slow":
                    time.sleep(1.5)
                if step == "hang":
                    fake.released.wait()
                payload = json.dumps({"code": code}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/codes"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def partner() -> Iterator[Callable[[list[str]], FakePartner]]:
    made: list[FakePartner] = []

    def start(script: list[str]) -> FakePartner:
        made.append(FakePartner(script))
        return made[-1]

    yield start
    for fake in made:
        fake.released.set()
        fake.server.shutdown()
        fake.server.server_close()


def conflict_once(monkeypatch: pytest.MonkeyPatch, model: type[Any]) -> None:
    """`model.update` refused once as DynamoDB refuses a single write on an item a transaction
    holds (another worker finishing it), then as usual."""
    from plugins.errors import ConflictError

    update, conflicts = model.update, [ConflictError("another write held this item meanwhile")]

    def held_once(item: Any, *args: Any, **kwargs: Any) -> Any:
        if conflicts:
            raise conflicts.pop()
        return update(item, *args, **kwargs)

    monkeypatch.setattr(model, "update", held_once)
