"""RSS of a warm game function over 10^5 requests for distinct unknown campaign ids.

Issue 9: every unknown campaign id used to be cached for ever with its exception and
traceback (about 27 KB each), so a few thousand requests grew a warm function by tens of MB.
The negative cache is now bounded (`ConfigCache.MAX_MISSES`, times only). This drives the
real lucky-wheel handler (`functions/game.py`, imported as Lambda's init does) with
function-URL events `GET /campaigns/<new id>` carrying a player token, each answered 404
CAMPAIGN_NOT_FOUND after one `GetItem`. The DynamoDB endpoint runs in a child process (one
that holds no item: see `serve_dynamodb`), so this process's RSS is the function's alone.
After `--warmup` requests (past `MAX_MISSES`, so the negative cache is full) it reads VmRSS
every `--every` requests and exits 1 if the last reading is more than `--tolerance` above
the one after warm-up.

Run: python benchmarks/unknown_campaigns.py [--requests 100000] [--warmup 5000]
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import runpy
import sys
import threading
import time
from datetime import timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
                    "AWS_SECRET_ACCESS_KEY": "bench", "POWERTOOLS_METRICS_DISABLED": "true",
                    "POWERTOOLS_LOG_LEVEL": "ERROR", "MGAMES_TABLE": "bench",
                    "MGAMES_GAME": "lucky-wheel",
                    "MGAMES_PLAYER_KEYS": "bench-player-key-0123456789abcdef0123456789"}.items():
    os.environ.setdefault(name, value)


def serve_dynamodb(pipe: Connection) -> None:
    """The child process: a DynamoDB endpoint holding no item at all. Every call the function
    makes here is a `GetItem` of an unknown campaign's `CFG#CURRENT`, and DynamoDB's answer to
    that is `{}`; answering it in microseconds (moto takes ~20 ms) lets 10^5 requests run in
    minutes. Everything on the function's side (botocore, PynamoDB, the handler) is real."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class NoItems(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as botocore's pool expects
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            operation = self.headers["x-amz-target"].rsplit(".", 1)[-1]
            assert operation == "GetItem", operation
            self.send_response(200)
            self.send_header("content-type", "application/x-amz-json-1.0")
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NoItems)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pipe.send(f"http://127.0.0.1:{server.server_address[1]}")
    pipe.recv()
    server.shutdown()


def rss_mb() -> float:
    """This process's resident set size now (Linux: VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--warmup", type=int, default=5_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--tolerance", type=float, default=0.05)
    args = parser.parse_args()
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve_dynamodb, args=(child,))
    server.start()
    try:
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = parent.recv()
        return measure(args)
    finally:
        parent.send("stop")
        server.join(10)


def measure(args: Any) -> int:
    from infra.local.events import LambdaContext, function_url_event
    from plugins.campaigns.repository import ConfigCache
    from plugins.clock import utc_now
    from plugins.identity.tokens import mint_player

    handler = runpy.run_module("functions.game")["handler"]
    token = mint_player("bench", now=utc_now(), ttl=timedelta(hours=3))
    headers = {"authorization": f"Bearer {token}"}
    context = LambdaContext("lucky-wheel")

    def call(n: int) -> None:
        reply = handler(function_url_event("GET", f"/campaigns/unknown-{n:07d}", headers=headers), context)
        assert reply["statusCode"] == 404 and "CAMPAIGN_NOT_FOUND" in reply["body"], reply

    print(f"negative cache bound: {ConfigCache.MAX_MISSES} ids; warm-up {args.warmup} requests")
    for n in range(args.warmup):
        call(n)
    gc.collect()
    base, started = rss_mb(), time.perf_counter()
    print(f"{'requests':>9} {'RSS MB':>8} {'vs warm':>8} {'req/s':>7}")
    print(f"{args.warmup:>9} {base:>8.1f} {0:>7.1%}")
    for n in range(args.warmup, args.warmup + args.requests):
        call(n)
        if (n + 1 - args.warmup) % args.every == 0:
            now = rss_mb()
            rate = (n + 1 - args.warmup) / (time.perf_counter() - started)
            print(f"{n + 1:>9} {now:>8.1f} {now / base - 1:>7.1%} {rate:>7.0f}")
    growth = rss_mb() / base - 1
    verdict = "flat" if growth <= args.tolerance else "GROWING"
    print(f"{args.requests} distinct unknown ids after warm-up: RSS {growth:+.1%} ({verdict}, "
          f"limit {args.tolerance:.0%})")
    return 0 if growth <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
