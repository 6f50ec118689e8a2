"""Warm draws through the real lucky-wheel handler on the local stack's DynamoDB.

Measures, side by side in one run, the mean milliseconds of one draw (function-URL event,
token check, one TransactWriteItems of ~9 items over HTTP to the atomic moto server) with
stock moto transactions and with the patched ones, as the table grows from plays. Also
reports the DynamoDB calls each warm draw made.

Run: python benchmarks/draws.py [--rounds 60]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
                    "AWS_SECRET_ACCESS_KEY": "bench", "POWERTOOLS_METRICS_DISABLED": "true",
                    "POWERTOOLS_LOG_LEVEL": "ERROR",
                    "MGAMES_PLAYER_KEYS": "bench-player-key-0123456789abcdef0123456789"}.items():
    os.environ.setdefault(name, value)

import boto3  # noqa: E402

from infra.local.dynamodb import (  # noqa: E402
    LocalDynamoDB,
    patch_moto_transactions,
    unpatch_moto_transactions,
)
from infra.local.events import LambdaContext, function_url_event  # noqa: E402
from infra.tables import create_tables  # noqa: E402
from plugins.campaigns.files import read_campaign_file  # noqa: E402
from plugins.campaigns.repository import apply_campaign  # noqa: E402
from plugins.clock import utc_now  # noqa: E402
from plugins.identity.tokens import mint_player  # noqa: E402
from plugins.store import bind_table, dynamodb_client  # noqa: E402
from plugins.web import build_handler  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--sizes", default="0,400,1600", help="draws played before measuring")
    args = parser.parse_args()
    with LocalDynamoDB() as ddb:
        create_tables(boto3.client("dynamodb", endpoint_url=ddb.endpoint_url), {"GamesTable": "bench"})
        bind_table("bench", host=ddb.endpoint_url)
        doc = read_campaign_file(DEMO)
        doc["velocity"] = {"per_device": 10**6, "per_ip": 10**6}
        doc["games"]["lucky-wheel"].update(chances_per_day=None, chances_total=None)
        apply_campaign(doc, now=utc_now())
        handler = build_handler("lucky-wheel")
        token = mint_player("bench", now=utc_now(), ttl=timedelta(hours=1))
        counter = iter(range(10**9))
        calls: list[str] = []
        dynamodb_client().meta.events.register(
            "before-call.dynamodb", lambda model, **_: calls.append(model.name))

        def draw() -> float:
            event = function_url_event(
                "POST", "/campaigns/demo/draws",
                headers={"authorization": f"Bearer {token}", "idempotency-key": f"bench-{next(counter):08d}"})
            start = time.perf_counter()
            reply = handler(event, LambdaContext("lucky-wheel"))
            elapsed = time.perf_counter() - start
            assert reply["statusCode"] == 201, reply
            return elapsed * 1000

        items = 0
        print(f"{'draws played':>12} {'items':>7} {'stock ms':>9} {'patched ms':>11} {'ratio':>6}")
        for size in (int(s) for s in args.sizes.split(",")):
            while items < size:
                draw()
                items += 1
            results = {}
            for mode, switch in (("stock", unpatch_moto_transactions), ("patched", patch_moto_transactions)):
                switch()
                gc.collect()
                draw()
                results[mode] = statistics.mean(draw() for _ in range(args.rounds))
                items += args.rounds + 1
            table_items = boto3.client("dynamodb", endpoint_url=ddb.endpoint_url).describe_table(
                TableName="bench")["Table"]["ItemCount"]
            print(f"{size:>12} {table_items:>7} {results['stock']:>9.1f} {results['patched']:>11.1f} "
                  f"{results['stock'] / results['patched']:>5.1f}x")
        calls.clear()
        draw()
        print(f"DynamoDB calls in one warm draw: {calls}")


if __name__ == "__main__":
    main()
