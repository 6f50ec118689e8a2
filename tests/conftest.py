"""Shared fixtures: a local DynamoDB per mode and session (atomic, or realistic: see
infra/local/realistic.py), a fresh table per test, a client that calls the real handlers with
real function-URL events, and rushes of concurrent players."""

from __future__ import annotations

import functools
import json
import os
import random
import runpy
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

for _name, _value in {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "MGAMES_PLAYER_KEYS": '{"current": "p2", "p1": "test-player-key-1-0123456789abcdef",'
                          ' "p2": "test-player-key-2-0123456789abcdef"}',
    "MGAMES_CONSOLE_KEYS": "test-console-key-0123456789abcdef0123",
    "MGAMES_DRAW_SEED_KEY": "test-draw-seed-key-0123456789abcdef0123",
    "MGAMES_TABLE": "mgames-test",
    "MGAMES_OUTBOUND_LOCAL": "1",  # fake partners on 127.0.0.1 (tests/unit/test_outbound.py: off)
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}.items():
    os.environ.setdefault(_name, _value)

import boto3  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from filelock import FileLock  # noqa: E402

from infra.local.dynamodb import LocalDynamoDB  # noqa: E402
from infra.local.events import LambdaContext, function_url_event  # noqa: E402
from infra.local.faults import FAULTS_ENV, Faults, configured_faults  # noqa: E402
from infra.local.streams import StreamDrain  # noqa: E402
from infra.tables import create_tables  # noqa: E402
from plugins.aggregates import forget_marks  # noqa: E402
from plugins.campaigns.compliance import locked_problems  # noqa: E402
from plugins.campaigns.model import parse_campaign  # noqa: E402
from plugins.campaigns.repository import apply_campaign, load_current  # noqa: E402
from plugins.clock import utc_now  # noqa: E402
from plugins.contracts import Campaign  # noqa: E402
from plugins.errors import CampaignNotFoundError  # noqa: E402
from plugins.identity.keys import KeyRing  # noqa: E402
from plugins.identity.tokens import mint_operator, mint_player  # noqa: E402
from plugins.runtime import runtime  # noqa: E402
from plugins.store import bind_table  # noqa: E402
from tests.contract import assert_conforms  # noqa: E402

T = TypeVar("T")
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
Items = dict[tuple[str, str], dict[str, Any]]
Scan = Callable[[], Items]
"""The `scan` fixture: every item of the table, keyed by (pk, sk)."""


class Apply(Protocol):
    """The `apply` fixture: apply a campaign document (the demo by default) at the clock's now."""

    def __call__(self, doc: dict[str, Any] | None = None) -> Campaign: ...


ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


SAM_CLI_VERSION = "1.170.0"


@pytest.fixture(scope="session")
def sam_cli() -> Path:
    """The AWS SAM CLI: `sam` on PATH, else installed once into its own environment under
    .aws-sam/tools (its pins cannot share the development environment)."""
    import shutil
    import subprocess

    found = shutil.which("sam")
    if found:
        return Path(found)
    venv = ROOT / ".aws-sam" / "tools" / f"sam-{SAM_CLI_VERSION}"
    sam = venv / "bin" / "sam"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(venv.parent / f"{venv.name}.lock"):  # test workers ask at once
        if not sam.exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                            f"aws-sam-cli=={SAM_CLI_VERSION}"], check=True, timeout=1200)
    return sam


@pytest.fixture(scope="session")
def atomic_dynamodb() -> Iterator[LocalDynamoDB]:
    with LocalDynamoDB() as ddb:
        yield ddb


@pytest.fixture(scope="session")
def realistic_dynamodb() -> Iterator[LocalDynamoDB]:
    """The realistic mode, with the faults `MGAMES_LOCAL_FAULTS` names (none by default)."""
    with LocalDynamoDB(faults=Faults.parse(os.environ.get(FAULTS_ENV, ""))) as ddb:
        yield ddb


@pytest.fixture(scope="session")
def local_dynamodb(request: pytest.FixtureRequest) -> LocalDynamoDB:
    """The session's local DynamoDB: atomic, or realistic when `MGAMES_LOCAL_DYNAMODB` says so.
    moto's state is process-wide: every mode's server sees the same tables."""
    mode = "realistic" if configured_faults() else "atomic"
    ddb: LocalDynamoDB = request.getfixturevalue(f"{mode}_dynamodb")
    return ddb


@pytest.fixture
def dynamodb_mode(local_dynamodb: LocalDynamoDB) -> str:
    """The mode this test's table is served in: the session's, unless the test parametrizes
    it (`BOTH_MODES`)."""
    return local_dynamodb.mode


BOTH_MODES = pytest.mark.parametrize("dynamodb_mode", ["atomic", "realistic"])


@pytest.fixture
def dynamodb(request: pytest.FixtureRequest, dynamodb_mode: str) -> LocalDynamoDB:
    """The local DynamoDB serving this test's table, in its `dynamodb_mode`."""
    ddb: LocalDynamoDB = request.getfixturevalue(f"{dynamodb_mode}_dynamodb")
    return ddb


@pytest.fixture
def table(dynamodb: LocalDynamoDB) -> Iterator[str]:
    """An empty games table on the test's local DynamoDB; models bound to it."""
    dynamodb.reset()
    client = boto3.client("dynamodb", endpoint_url=dynamodb.endpoint_url)
    create_tables(client, {"GamesTable": "mgames-test"})
    bind_table("mgames-test", host=dynamodb.endpoint_url)
    runtime.configs.clear()
    forget_marks()  # the aggregator's memory of the emptied table
    yield "mgames-test"
    runtime.configs.clear()


@pytest.fixture
def aggregate(table: str) -> Callable[[], int]:
    """Run the aggregator over what the table's stream holds so far, as Lambda would have
    by the time a report is read; the number of records it was handed."""
    return StreamDrain(table).drain


@pytest.fixture
def faulty(table: str) -> Iterator[Callable[[Faults], LocalDynamoDB]]:
    """`faulty(faults)`: the test's table served by a realistic local DynamoDB injecting
    `faults` (moto's state is shared, so the table is the same), models bound to it."""
    started: list[LocalDynamoDB] = []

    def _serve(faults: Faults) -> LocalDynamoDB:
        started.append(ddb := LocalDynamoDB(faults=faults).start())
        bind_table(table, host=ddb.endpoint_url)
        return ddb

    yield _serve
    for ddb in started:
        ddb.stop()


@pytest.fixture
def scan(dynamodb: LocalDynamoDB, table: str) -> Scan:
    """Every item of the table, keyed by (pk, sk): to prove what a request wrote."""
    client = boto3.client("dynamodb", endpoint_url=dynamodb.endpoint_url)

    def _scan() -> Items:
        items: Items = {}
        for page in client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
            for item in page["Items"]:
                items[(item["pk"]["S"], item["sk"]["S"])] = item
        return items

    return _scan


@pytest.fixture
def dynamodb_calls() -> Iterator[list[str]]:
    """The DynamoDB operations the models send, in order (cleared by the test as it likes)."""
    from plugins.store import dynamodb_client

    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    events = dynamodb_client().meta.events
    events.register("before-call.dynamodb", record)
    yield calls
    events.unregister("before-call.dynamodb", record)


THREADS = 64


@pytest.fixture
def tight_switching() -> Iterator[None]:
    """Switch threads as often as possible so races surface (the rush tests use it)."""
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(saved)


def rush(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run every call at once, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


PERSISTENCE = 30
"""How many times a player in a crowd sends a request again that was answered 409 CONFLICT."""


class Crowd:
    """Rushes of players on the test's local DynamoDB. A player answered 409 `CONFLICT` sends
    the same request again, as its `Retry-After` invites (after a short jittered pause, not
    the second it says), so every player ends with a definitive answer in either mode."""

    def __init__(self, ddb: LocalDynamoDB) -> None:
        self.ddb = ddb

    def __call__(self, calls: Sequence[Callable[[], Reply]]) -> list[Reply]:
        return rush([partial(self._persist, call) for call in calls])

    @staticmethod
    def _persist(call: Callable[[], Reply]) -> Reply:
        reply = call()
        for _ in range(PERSISTENCE):
            if reply.code != "CONFLICT":
                break
            time.sleep(random.uniform(0.005, 0.05))
            reply = call()
        return reply

    def assert_contended(self) -> None:
        """In the realistic mode, that the rush made transactions conflict (else it proved
        nothing the atomic mode does not)."""
        if self.ddb.mode == "realistic":
            assert self.ddb.stats["conflicts"] > 0, dict(self.ddb.stats)


@pytest.fixture
def crowd(request: pytest.FixtureRequest, dynamodb: LocalDynamoDB) -> Crowd:
    """A `Crowd` on the test's DynamoDB; with threads switching as often as possible in the
    atomic mode (the realistic one makes requests overlap by itself, and is slowed to a crawl
    by switching)."""
    if dynamodb.mode == "atomic":
        request.getfixturevalue("tight_switching")
    return Crowd(dynamodb)


RNG_SEED = 20261123


@pytest.fixture(autouse=True)
def seeded_rng() -> Iterator[random.Random]:
    """Every test's handlers draw from a `random.Random` seeded afresh, not the system CSPRNG:
    prize draws, red-packet splits, assist cuts and cards, shard picks all repeat run to run
    (and whatever order or worker runs the test). A test may still set its own source; the
    original is restored afterwards."""
    saved = runtime.rng
    runtime.rng = random.Random(RNG_SEED)
    yield runtime.rng
    runtime.rng = saved


@pytest.fixture
def clock() -> Iterator[list[datetime]]:
    """A settable clock: `clock[0] = ...` moves time for the handlers."""
    now = [NOW]
    saved = runtime.clock
    runtime.clock = lambda: now[0]
    yield now
    runtime.clock = saved


def demo_doc(**changes: Any) -> dict[str, Any]:
    """examples/demo.yaml as a document, with top-level fields changed as given."""
    doc = yaml.safe_load((ROOT / "examples" / "demo.yaml").read_text())
    doc = json.loads(json.dumps(doc, default=lambda v: v.isoformat()))
    doc.update(changes)
    return doc


def wheel_doc(**changes: Any) -> dict[str, Any]:
    """The demo with only its lucky wheel and a budget of 5,000.00: the wheel's own tests do
    budget arithmetic on exactly these prizes (their worst case costs 4,297.00), and change
    them, so the gold tier's odds on them are left out."""
    doc = demo_doc(budget="5000.00")
    doc["games"] = {"lucky-wheel": doc["games"]["lucky-wheel"]}
    del doc["games"]["lucky-wheel"]["odds_by_tier"]
    doc.update(changes)
    return doc


def won_coupon(apply: Apply, prize_id: str = "coffee", usage: dict[str, Any] | None = None,
               doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """Apply the demo (or `doc`) with only `prize_id` to win (with `usage` as its coupon's
    scope), and let alice's first draw win it: the reward she got."""
    doc = doc or demo_doc()
    for prize in doc["games"]["lucky-wheel"]["prizes"]:
        prize["weight"] = 1 if prize["id"] == prize_id else 0
        if prize["id"] == prize_id and usage:
            prize["reward"]["usage"] = usage
    apply(doc)
    won = GameClient("lucky-wheel").call("POST", "/campaigns/demo/draws", member="alice",
                                         key="coupon-0001")
    assert won.status == 201, won
    return dict(won.body["reward"])


@pytest.fixture
def apply(table: str, clock: list[datetime]) -> Apply:
    """Store a version as the test's setup, the way a marketer prepares a campaign: at the
    clock's time, or, if that version changes what a started campaign has published, just
    before the current version's start, so a setup may change prizes; the lock on a started
    campaign's prizes is tested on its own (tests/functional/test_compliance.py)."""

    def _apply(doc: dict[str, Any] | None = None) -> Campaign:
        doc = doc or demo_doc()
        now = clock[0]
        try:
            current = load_current(str(doc["id"]))
        except CampaignNotFoundError:
            current = None
        if current is not None and locked_problems(current, parse_campaign(doc), now):
            now = current.config.aware(current.config.starts_at) - timedelta(seconds=1)
        campaign = apply_campaign(doc, now=now)
        runtime.configs.clear()
        return campaign

    return _apply


FORGED = KeyRing.parse("forged-" + "x" * 40)
"""A ring of the right key id and the wrong secret: what a forger signs with."""


def token(member: str, device: str | None = None, *, age: timedelta = timedelta(0),
          **claims: Any) -> str:
    """A player token minted `age` ago by the real clock (PyJWT checks it against that clock),
    for two hours; `ring=FORGED` forges it, `registered_at=` adds the registration time."""
    return mint_player(member, now=utc_now() - age, ttl=timedelta(hours=2), device_id=device,
                       **claims)


DEMO_STORES = ("sh-01", "sh-jingan", "sh-xuhui")
"""The pick-up stores of the test and demo campaigns: where test staff serve by default."""


def operator_token(name: str, role: str, **bound: Any) -> str:
    """An operator's console credential; `stores=` and `campaigns=` bind it, by default a
    marketer to the demo campaign and staff to the demo stores."""
    if role == "marketer":
        bound.setdefault("campaigns", ("demo",))
    if role == "staff":
        bound.setdefault("stores", DEMO_STORES)
    return mint_operator(name, role, now=utc_now(), ttl=timedelta(hours=2), **bound)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


class GameClient:
    """Calls a game's real handler with function-URL events, like the HTTPS endpoint would."""

    def __init__(self, game: str) -> None:
        from plugins.web import build_handler

        self.game = game
        self.handler = build_handler(game)
        self.checked = True
        """Every answer is checked against the function's OpenAPI document (tests/contract.py)."""

    def call(self, method: str, path: str, *, body: Any = None, member: str | None = None,
             device: str | None = None, key: str | None = None, ip: str = "10.0.0.1",
             headers: dict[str, str] | None = None) -> Reply:
        sent = dict(headers or {})
        if member is not None:
            sent["authorization"] = f"Bearer {token(member, device)}"
        if key is not None:
            sent["idempotency-key"] = key
        raw = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        if raw is not None:
            sent.setdefault("content-type", "application/json")
        path, _, query = path.partition("?")
        event = function_url_event(method, path, query=query, headers=sent, body=raw, source_ip=ip)
        out = self.handler(event, LambdaContext(function_name=self.game))
        text = out.get("body") or ""
        reply = Reply(out["statusCode"], json.loads(text) if text else None, out.get("headers", {}))
        if self.checked:
            assert_conforms(self.document, method, path, reply.status, reply.body, reply.headers)
        return reply

    @property
    def document(self) -> dict[str, Any]:
        """The function's own OpenAPI document: every answer is checked against it."""
        from plugins.registry import get_game
        from plugins.web.app import document_text

        return _parsed(document_text(get_game(self.game)))


@functools.cache
def _parsed(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(text)
    return parsed


@pytest.fixture
def game_function(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Handler]:
    """`functions/game.py` imported afresh as the function serving a game: Lambda's init."""

    def _load(game: str) -> Handler:
        monkeypatch.setenv("MGAMES_GAME", game)
        handler: Handler = runpy.run_module("functions.game")["handler"]
        return handler

    return _load


@pytest.fixture
def wheel(apply: Apply) -> GameClient:
    apply()
    return GameClient("lucky-wheel")
