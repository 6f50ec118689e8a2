"""Flash sale: a rush on one hot stock, through the real handlers, on the realistic local DynamoDB.

For 1, 4, 16 and 64 stock shards, side by side in one run: 10^4 bookings of one day's stock
(and 10^4 draws of a wheel whose one prize every draw wants) from 64 threads, on the
realistic mode with a per-item write-rate limit (a hot partition). Reports the throughput
(requests answered per second, every player ending with a definitive answer), the
conflicts and throttles DynamoDB served, and the 409/5xx answers players retried with the
same key after a short jittered pause. Asserts zero oversell: what was awarded plus what is
left equals the stock, and awarded = min(stock, demand) (nobody was refused while stock lasted).

Run: python benchmarks/flash_sale.py [--requests 10000] [--threads 64] [--stock 8000]
                                     [--item-writes 200] [--shards 1,4,16,64]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from infra.local.stack import LOCAL_ENV

os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "CRITICAL")  # a 5xx is counted, not logged
for name, value in LOCAL_ENV.items():
    os.environ.setdefault(name, value)

import boto3  # noqa: E402
import yaml  # noqa: E402

from infra.local.dynamodb import LocalDynamoDB  # noqa: E402
from infra.local.events import LambdaContext, function_url_event  # noqa: E402
from infra.local.faults import Faults  # noqa: E402
from infra.progress import progress  # noqa: E402
from infra.tables import create_tables  # noqa: E402
from plugins.campaigns.repository import apply_campaign  # noqa: E402
from plugins.identity.tokens import mint_player  # noqa: E402
from plugins.runtime import runtime  # noqa: E402
from plugins.store import AllowanceItem, bind_table, keys  # noqa: E402
from plugins.web import build_handler  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.yaml"
NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai: the booking window is open
DAY = "2026-11-23"
PERSISTENCE = 50


def campaign(game: str, stock: int, shards: int) -> dict[str, Any]:
    """The demo with only `game`, its hot stock `stock` over `shards`, no velocity limits."""
    doc = json.loads(json.dumps(yaml.safe_load(DEMO.read_text()), default=str))
    doc["velocity"] = {"per_device": 10**6, "per_ip": 10**6}
    section = doc["games"][game]
    if game == "booking":
        section.update(day_quantity=stock, total_quantity=None, shards=shards,
                       booking={"days_ahead": 2, "from_hour": 9, "until_hour": 21})
    else:
        grand = next(p for p in section["prizes"] if p["id"] == "grand")
        grand.update(weight=1, stock=stock, shards=shards, cost="0.00", per_user_cap=None)
        section["prizes"] = [grand] + [p for p in section["prizes"] if p["id"] == section["fallback"]]
        section.update(chances_per_day=None, chances_total=None)
    doc["games"] = {game: section}
    return doc


def stock_keys(game: str, shards: int) -> list[tuple[str, str]]:
    if game == "booking":
        from games.booking.items import stock_key

        return [stock_key("demo", DAY, s) for s in range(shards)]
    from plugins.prize_pool.allowances import stock_name

    return [(keys.allowance("demo", stock_name("wheel", "grand"), s), keys.ALLOWANCE_SK)
            for s in range(shards)]


Outcome = tuple[int, str | None, bool, Counter[str]]
"""(status, error code, whether the player got the stock, the answers he retried by status)"""


def player(game: str, handler: Any, i: int) -> Callable[[], Outcome]:
    """One player's request (status, error code, whether he got the stock), sent again with
    the same key while answered 409 or 5xx."""
    token = mint_player(f"fs-{i}", now=datetime.now(UTC), ttl=timedelta(hours=2))
    booking = json.dumps({"day": DAY, "store_id": "sh-jingan"})
    path, body = (("/campaigns/demo/bookings", booking) if game == "booking"
                  else ("/campaigns/demo/draws", None))
    headers = {"authorization": f"Bearer {token}", "idempotency-key": f"flash-{i:07d}",
               "content-type": "application/json"}
    ip = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"  # one IP each: its velocity item is its own

    def send() -> Outcome:
        retried: Counter[str] = Counter()
        for _ in range(PERSISTENCE):
            out = handler(function_url_event("POST", path, headers=headers, body=body, source_ip=ip),
                          LambdaContext(function_name=game))
            reply = json.loads(out.get("body") or "null")
            status, code = out["statusCode"], (reply or {}).get("error", {}).get("code")
            if status < 500 and code != "CONFLICT":
                break
            retried[str(status)] += 1
            time.sleep(random.uniform(0.01, 0.05))
        got = status == 201 and (game == "booking" or reply["prize"]["id"] == "grand")
        return status, code, got, retried

    return send


def run(ddb: LocalDynamoDB, game: str, shards: int, args: argparse.Namespace) -> dict[str, Any]:
    ddb.reset()
    create_tables(boto3.client("dynamodb", endpoint_url=ddb.endpoint_url), {"GamesTable": "flash"})
    bind_table("flash", host=ddb.endpoint_url)
    runtime.configs.clear()
    apply_campaign(campaign(game, args.stock, shards), now=NOW)
    handler = build_handler(game)
    players = [player(game, handler, i) for i in range(args.requests)]
    served_before = Counter(ddb.stats)
    started = time.perf_counter()
    with progress(f"{game}, {shards} shards", args.requests) as advance, \
            ThreadPoolExecutor(max_workers=args.threads) as pool:
        results = []
        for outcome in pool.map(lambda send: send(), players):
            results.append(outcome)
            advance(1)
    elapsed = time.perf_counter() - started
    served = Counter(ddb.stats) - served_before
    awarded = sum(1 for _, _, got, _ in results if got)
    left = sum(int(item.remaining) for item in AllowanceItem.batch_get(stock_keys(game, shards),
                                                                       consistent_read=True))
    retried: Counter[str] = Counter()
    for outcome in results:
        retried.update(outcome[3])
    answers = Counter((status, code) for status, code, _, _ in results)
    # zero oversell, and nobody refused while stock lasted
    assert awarded + left == args.stock and left >= 0, (awarded, left)
    assert awarded == min(args.stock, args.requests), (awarded, answers)
    return {"shards": shards, "per_s": args.requests / elapsed, "seconds": elapsed,
            "awarded": awarded, "left": left, "conflicts": served["conflicts"],
            "throttled": served["throttled"], "409": retried["409"],
            "5xx": sum(n for status, n in retried.items() if status.startswith("5")),
            "answers": dict(answers)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--stock", type=int, default=8_000)
    parser.add_argument("--item-writes", type=float, default=200.0,
                        help="per item, writes per second before throttling (transactional count 2)")
    parser.add_argument("--shards", default="1,4,16,64")
    parser.add_argument("--games", default="booking,lucky-wheel")
    args = parser.parse_args()
    runtime.clock = lambda: NOW
    faults = Faults(item_writes_per_second=args.item_writes)
    print(f"{args.requests} requests from {args.threads} threads, stock {args.stock}, realistic "
          f"mode: {faults}")
    with LocalDynamoDB(faults=faults) as ddb:
        for game in args.games.split(","):
            print(f"\n{game}")
            print(f"{'shards':>6} {'req/s':>7} {'seconds':>8} {'awarded':>8} {'left':>5} "
                  f"{'conflicts':>10} {'throttled':>10} {'409 retried':>12} {'5xx retried':>12}")
            for shards in (int(s) for s in args.shards.split(",")):
                r = run(ddb, game, shards, args)
                print(f"{r['shards']:>6} {r['per_s']:>7.1f} {r['seconds']:>8.1f} {r['awarded']:>8} "
                      f"{r['left']:>5} {r['conflicts']:>10} {r['throttled']:>10} {r['409']:>12} "
                      f"{r['5xx']:>12}", flush=True)
    print("\nzero oversell: awarded + left == stock, awarded == min(stock, requests), every run")


if __name__ == "__main__":
    main()
