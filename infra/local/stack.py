"""`mgames local`: the embedded DynamoDB, the tables from template.yaml, the demo campaign,
and every game's function URL on one local port."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import boto3
from werkzeug.serving import make_server

from infra.local.dynamodb import LocalDynamoDB
from infra.local.faults import Faults
from infra.local.gateway import FunctionUrlGateway
from infra.local.pages import LocalPages
from infra.tables import create_tables

LOCAL_ENV = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_DEFAULT_REGION": "us-east-1",
    "MGAMES_TABLE": "mgames-local",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "MGAMES_OUTBOUND_LOCAL": "1",  # partners may be fakes on loopback, over http
    "MGAMES_WEBHOOK_SECRETS": "{}",  # webhook secrets by ref (docs/webhooks.md), not Secrets Manager
    # two trust domains, two keys (docs/identity.md): never these outside a local stack
    "MGAMES_PLAYER_KEYS": "local-player-key-0123456789abcdef-not-for-production",
    "MGAMES_CONSOLE_KEYS": "local-console-key-0123456789abcdef-not-for-production",
    "MGAMES_DRAW_SEED_KEY": "local-draw-seed-key-0123456789abcdef-not-for-production",
}


STOP_WAIT = 5.0
"""Seconds `LocalStack.stop` waits for each server to stop."""

@dataclass
class LocalStack:
    """Everything `mgames local` runs, startable from tests too."""

    host: str = "127.0.0.1"
    port: int = 8000
    dynamodb_port: int = 8001
    campaigns: Sequence[Path] = ()
    jobs_every: float = 30.0
    console_port: int | None = None  # 8002, or any free port when `port` is 0
    faults: Faults | None = None
    """None: the atomic local DynamoDB; else the realistic one, with these settings."""
    reference_port: int | None = None  # 8003, or any free port when `port` is 0
    aggregate_every: float = 1.0
    """How often the table's stream is handed to the aggregator (Lambda's batching window)."""

    def start(self) -> LocalStack:
        for name, value in LOCAL_ENV.items():
            os.environ.setdefault(name, value)
        console_port = self.console_port if self.console_port is not None else (
            0 if self.port == 0 else 8002)
        reference_port = self.reference_port if self.reference_port is not None else (
            0 if self.port == 0 else 8003)
        self.dynamodb = LocalDynamoDB(self.host, self.dynamodb_port, self.faults).start()
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = self.dynamodb.endpoint_url
        client = boto3.client("dynamodb", endpoint_url=self.dynamodb.endpoint_url)
        self.tables = create_tables(client)

        from plugins.aggregates import forget_marks
        from plugins.campaigns.files import read_campaign_file
        from plugins.campaigns.repository import apply_campaign
        from plugins.clock import utc_now
        from plugins.registry import games
        from plugins.store import bind_table
        from plugins.web import build_handler

        bind_table(self.tables["GamesTable"], host=self.dynamodb.endpoint_url)
        forget_marks()  # a new table under a name this process may have aggregated before
        self.applied = [
            apply_campaign(read_campaign_file(path), now=utc_now(), applied_by="mgames local")
            for path in self.campaigns
        ]
        gateway = FunctionUrlGateway({name: build_handler(name) for name in games()})
        pages = LocalPages(gateway, games(), [campaign.id for campaign in self.applied])
        self.server = make_server(self.host, self.port, pages, threaded=True)
        self.port = self.server.server_port
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        os.environ["MGAMES_LOCAL_TOKEN_URL"] = f"{self.url}/local/token"  # the web console's sign-in
        self._start_console(console_port)
        self._start_reference(reference_port)
        self._stopping = threading.Event()
        if self.jobs_every > 0:
            threading.Thread(target=self._run_jobs, name="jobs", daemon=True).start()
        if self.aggregate_every > 0:
            threading.Thread(target=self._run_aggregator, name="aggregator", daemon=True).start()
        return self

    def _start_console(self, port: int) -> None:
        """The console API on chalice's own local server (what `chalice local` runs)."""
        from chalice.config import Config
        from chalice.local import LocalChalice, LocalDevServer, create_local_server

        from functions.console.app import app

        config = Config.create(chalice_app=app, app_name=app.app_name, stage="local")
        # create_local_server makes the app keep its request per thread, once per process
        # (a second call would make the class its own base).
        self.console = (LocalDevServer(app, config, self.host, port)
                        if isinstance(app, LocalChalice)
                        else create_local_server(app, config, self.host, port))
        self.console_port = self.console.server.server_address[1]
        threading.Thread(target=self.console.server.serve_forever, name="console",
                         daemon=True).start()

    def _start_reference(self, port: int) -> None:
        """The browsable API reference of every function and the console (infra/local/reference.py)."""
        from infra.local.reference import Reference
        from infra.openapi import documents

        found = documents()
        servers = {name: self.console_url if name == "console" else f"{self.url}/{name}" for name in found}
        self.reference = make_server(self.host, port, Reference(found, servers), threaded=True)
        threading.Thread(target=self.reference.serve_forever, name="reference", daemon=True).start()

    @property
    def reference_url(self) -> str:
        return f"http://{self.host}:{self.reference.server_port}"

    def _run_jobs(self) -> None:
        """The worker's schedule, locally: every game's jobs every `jobs_every` seconds."""
        from plugins.clock import utc_now
        from plugins.jobs import run_jobs

        while not self._stopping.wait(self.jobs_every):
            handled = run_jobs(utc_now())
            if any(handled.values()):
                print(f"jobs: {handled}", flush=True)

    def _run_aggregator(self) -> None:
        """The stream's event source mapping, locally: the aggregator every `aggregate_every` s."""
        from infra.local.streams import StreamDrain

        drain = StreamDrain(self.tables["GamesTable"])
        while not self._stopping.wait(self.aggregate_every):
            drain.drain()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def console_url(self) -> str:
        return f"http://{self.host}:{self.console_port}"

    def stop(self) -> None:
        """Stop every server, waiting at most `STOP_WAIT` seconds for each: a server whose loop
        a client's open connection still holds (a browser's keep-alive) is closed anyway, its
        daemon thread going with the process, so Ctrl-C always ends `mgames local`."""
        self._stopping.set()
        for halt in (self.console.shutdown, self.reference.shutdown, self.server.shutdown,
                     self.dynamodb.stop):
            halting = threading.Thread(target=halt, daemon=True)
            halting.start()
            halting.join(STOP_WAIT)
        self.reference.server_close()
        self.console.server.server_close()
        self.server.server_close()
