"""The campaign report: aggregates vs the scan it replaced, side by side in one run.

Two campaigns in one table, `--actions` player actions each (10^5 by default: 10^4 members,
spread over 7 days, about a third of them winning a coupon), written as the games write
them (action records carrying their tally, coupons), then handed through the table's stream
to the aggregator as Lambda would. Reports, for the first campaign:

- the report as it is now (`campaign_report`: one Query of its figures), timed;
- the report as it was (two filtered Scans of the whole table, actions and coupons), timed,
  given up after `--scan-seconds` (moto's Scan lists the whole table again for every page,
  so it grows with the square of the table: at 10^5 actions a campaign it runs for hours);
- the aggregator's throughput, and the figures both ways (they must agree).

Run: python benchmarks/report.py [--actions 100000] [--members 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from infra.local.stack import LOCAL_ENV

os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "CRITICAL")
for name, value in LOCAL_ENV.items():
    os.environ.setdefault(name, value)

import boto3  # noqa: E402
import yaml  # noqa: E402

from infra.local.dynamodb import LocalDynamoDB  # noqa: E402
from infra.local.streams import StreamDrain  # noqa: E402
from infra.tables import create_tables  # noqa: E402
from plugins.campaigns.repository import apply_campaign  # noqa: E402
from plugins.console.report import campaign_report  # noqa: E402
from plugins.errors import ServiceUnavailableError  # noqa: E402
from plugins.store import ActionItem, CouponItem, Tally, bind_table, keys  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.yaml"
START = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
PRIZES = {"coupon-50": 500, "coffee": 600}


def campaign(campaign_id: str) -> dict[str, Any]:
    doc = json.loads(json.dumps(yaml.safe_load(DEMO.read_text()), default=str))
    doc["id"] = campaign_id
    return doc


def write(campaign_id: str, actions: int, members: int, rng: random.Random) -> Counter[str]:
    """`actions` draws of the wheel by `members` members over 7 days, as the wheel writes them:
    an action record with its tally, and a coupon for a win. The truth, counted on the way."""
    truth: Counter[str] = Counter()
    with ActionItem.batch_write() as batch:
        for n in range(actions):
            member = f"{campaign_id}-m{rng.randrange(members):06d}"
            at = START + timedelta(seconds=rng.randrange(7 * 86400))
            tally = Tally(channel="h5")
            prize = rng.choice([*PRIZES, None, None, None, None])
            result: dict[str, Any] = {"prize": {"id": prize or "thanks"}, "fallback": False}
            if prize is not None:
                tally.count(f"prize:{prize}")
                tally.once("winners", member)
                tally.count("cost:prizes", PRIZES[prize])
                tally.count("coupons_issued")
                coupon_id = f"c{campaign_id}{n:08d}"
                batch.save(CouponItem(keys.member(member), keys.coupon(coupon_id), coupon_id=coupon_id,
                                      member_id=member, campaign_id=campaign_id, type_id=prize,
                                      origin="award", issued_at=at, valid_from=at,
                                      valid_until=at + timedelta(days=30), terms={}))
                truth["coupons"] += 1
                truth["cost"] += PRIZES[prize]
            batch.save(ActionItem(keys.member(member), keys.action(campaign_id, "lucky-wheel", f"k{n:08d}"),
                                  game="lucky-wheel", campaign_id=campaign_id, created_at=at,
                                  config_version=1, request_hash="-",
                                  result=result | {"audit": {"tally": tally.as_json()}}))
            truth["plays"] += 1
    return truth


def scanned(campaign_id: str, give_up: float) -> dict[str, int] | str:
    """What the report used to do: filtered Scans of the whole table; why not, once `give_up`
    seconds have passed or a page outlasts the client's timeouts."""
    try:
        return _scan(campaign_id, give_up)
    except ServiceUnavailableError as exc:
        return f"failed: {exc}"


def _scan(campaign_id: str, give_up: float) -> dict[str, int] | str:
    every_game = keys.action_prefix(campaign_id, "").removesuffix("#")
    began, found = time.perf_counter(), {"plays": 0, "coupons": 0}
    players: set[str] = set()
    for name, scan in (("plays", ActionItem.scan(ActionItem.sk.startswith(every_game)
                                                 & (ActionItem.campaign_id == campaign_id))),
                       ("coupons", CouponItem.scan(CouponItem.sk.startswith(keys.COUPON_PREFIX)
                                                   & (CouponItem.campaign_id == campaign_id)))):
        for item in scan:
            found[name] += 1
            if name == "plays":
                players.add(str(item.pk))
            if time.perf_counter() - began > give_up:
                return f"given up after {give_up:.0f} s"
    return found | {"players": len(players)}


def timed(call: Any, repeat: int) -> tuple[float, Any]:
    """The median seconds of `repeat` calls, and the last answer."""
    seconds, answer = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        answer = call()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=100_000, help="actions per campaign")
    parser.add_argument("--members", type=int, default=10_000, help="members per campaign")
    parser.add_argument("--repeat", type=int, default=5, help="reports timed (median)")
    parser.add_argument("--scan-seconds", type=float, default=600, help="when the scan is given up")
    args = parser.parse_args()
    rng = random.Random(7)
    with LocalDynamoDB() as ddb:
        create_tables(boto3.client("dynamodb", endpoint_url=ddb.endpoint_url), {"GamesTable": "report"})
        bind_table("report", host=ddb.endpoint_url)
        for campaign_id in ("demo", "other"):
            apply_campaign(campaign(campaign_id), now=START)
        drain, handed, aggregating = StreamDrain("report"), 0, 0.0
        truths = {}
        for campaign_id in ("demo", "other"):
            began = time.perf_counter()
            truths[campaign_id] = write(campaign_id, args.actions, args.members, rng)
            print(f"{campaign_id}: {args.actions} actions written in {time.perf_counter() - began:.0f} s",
                  flush=True)
            began = time.perf_counter()
            handed += drain.drain()
            aggregating += time.perf_counter() - began
        print(f"aggregator: {handed} stream records in {aggregating:.0f} s "
              f"({handed / aggregating:.0f} records/s)", flush=True)
        now = START + timedelta(days=7)
        report_s, report = timed(lambda: campaign_report("demo", now), args.repeat)
        truth = truths["demo"]
        assert report["plays"] == {"lucky-wheel": truth["plays"]}
        assert report["funnel"]["coupons_issued"] == truth["coupons"]
        print(f"\nreport of one campaign, {args.actions} actions in it and {args.actions} in another:")
        print(f"  aggregates (now): {report_s * 1000:8.1f} ms  ({report['items_read']} items read; "
              f"{truth['plays']} plays, {report['funnel']['players']} players, "
              f"{truth['coupons']} coupons, cost {report['cost']['total']})", flush=True)
        scan_s, scan = timed(lambda: scanned("demo", args.scan_seconds), 1)
    if isinstance(scan, str):
        print(f"  scans (before):   {scan} ({scan_s:.0f} s)")
        return
    assert scan["plays"] == truth["plays"] and scan["players"] == report["funnel"]["players"]
    assert scan["coupons"] == truth["coupons"]
    print(f"  scans (before):   {scan_s * 1000:8.1f} ms  (the same figures)")
    print(f"  ratio:            {scan_s / report_s:8.0f}x faster")


if __name__ == "__main__":
    main()
