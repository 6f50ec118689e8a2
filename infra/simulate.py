"""`mgames simulate`: a seeded Monte Carlo forecast of a campaign file before launch, through
the real rules (plugins/forecast, docs/simulate.md). Reads no table: nothing is written."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from infra.arguments import examples
from infra.progress import progress
from plugins.campaigns.files import read_campaign_file
from plugins.campaigns.model import parse_campaign
from plugins.errors import ConfigInvalidError
from plugins.forecast import ForecastInvalidError, Traffic, forecast, parse_plays
from plugins.forecast.render import render

__all__ = ["add_commands"]

EXAMPLE = "mgames simulate examples/demo.yaml --players 1000 --days 7"
OPTIONS = {"players": "players", "days": "days", "runs": "runs", "seed": "seed", "start": "start",
           "active": "active", "plays": "plays", "game_plays": "plays", "helpers": "helpers",
           "grabs": "grabs", "orders": "orders", "order_amount": "order-amount", "tiers": "tiers",
           "registrations": "registrations", "share_opens": "share-opens"}


def _date(text: str) -> date:
    return date.fromisoformat(text)


_date.__name__ = "date"  # argparse names the type in its message: "invalid date value"


def _fail(message: str) -> NoReturn:
    print(f"mgames simulate: error: {' '.join(message.split())}", file=sys.stderr)  # one line
    raise SystemExit(2)


def _profile(args: argparse.Namespace) -> dict[str, Any]:
    raw: dict[str, Any] = {name: getattr(args, name) for name in
                           ("players", "days", "runs", "seed", "start", "active", "helpers",
                            "grabs", "orders", "order_amount", "registrations", "share_opens")
                           if getattr(args, name) is not None}
    if args.plays is not None:
        try:
            default, games = parse_plays(args.plays)
        except ValueError as exc:
            _fail(f"--plays: {exc}")
        if default is not None:
            raw["plays"] = default
        raw["game_plays"] = games
    if args.tiers is not None:
        try:
            alone, raw["tiers"] = parse_plays(args.tiers, "share", "TIER=SHARE")
        except ValueError as exc:
            _fail(f"--tiers: {exc}")
        if alone is not None:
            _fail(f"--tiers: {alone:g} names no tier: TIER=SHARE,...")
    return raw


def _options(message: str) -> str:
    """A profile problem (`field: reason`) named by its command-line option."""
    problems = []
    for problem in message.split("; "):
        field, sep, reason = problem.partition(": ")
        option = OPTIONS.get(field.split(".")[0])
        problems.append(f"--{option}: {reason}" if sep and option else problem)
    return "; ".join(problems)


def cmd_simulate(args: argparse.Namespace) -> int:
    try:
        campaign = parse_campaign(read_campaign_file(args.file))
    except ConfigInvalidError as exc:  # a file it cannot read names itself in the message
        problems = exc.details.get("errors")
        _fail(f"{args.file} is not a valid campaign: {'; '.join(problems)}" if problems
              else exc.message)
    try:
        traffic = Traffic.parse(_profile(args))
        with progress("runs", traffic.runs) as advance:
            result = forecast(campaign, traffic, advance)
    except ForecastInvalidError as exc:
        _fail(_options(exc.message))
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `mgames simulate` to the main parser."""
    simulate = sub.add_parser(
        "simulate", help="forecast a campaign file before launch: cost per day, run-out days, "
        "effective odds, awards per player (Monte Carlo through the real rules)",
        description=f"{__doc__}\n\nEvery figure of the traffic profile is an assumption: the "
                    "forecast prints it back.", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=examples(EXAMPLE, f"{EXAMPLE} --runs 500 --seed 7 --active 0.5 "
                                 "--plays 2,lucky-wheel=3 --json"))
    simulate.error = _fail  # type: ignore[method-assign]  # one line, exit 2, for bad arguments
    simulate.add_argument("file", type=Path,
                          help="the campaign YAML file, as mgames validate reads it "
                               "(e.g. examples/demo.yaml)")
    simulate.add_argument("--players", type=int, required=True,
                          help="members who may play, e.g. --players 1000")
    simulate.add_argument("--days", type=int, required=True,
                          help="days to simulate from the start, e.g. --days 7")
    simulate.add_argument("--runs", type=int, help="Monte Carlo runs (default 200), e.g. --runs 500")
    simulate.add_argument("--seed", type=int, help="the same seed, the same forecast (default 0), "
                                                   "e.g. --seed 7")
    simulate.add_argument("--start", type=_date,
                          help="first day simulated (default: the campaign's first day), "
                               "e.g. --start 2026-11-11")
    simulate.add_argument("--active", type=float,
                          help="share of players active on a day (default 0.3), e.g. --active 0.5")
    simulate.add_argument("--plays", metavar="N|GAME=N,...",
                          help="plays each active player attempts per day in each game (default 2), "
                               "or per game, e.g. --plays 2,lucky-wheel=3,assist=1")
    simulate.add_argument("--helpers", type=float,
                          help="friends who help each assist task, mean (default 2), e.g. --helpers 3")
    simulate.add_argument("--grabs", type=float,
                          help="friends who grab each red packet, mean (default 3), e.g. --grabs 4")
    simulate.add_argument("--orders", type=float,
                          help="orders reported per active player per day for red packets (default "
                               "0), e.g. --orders 0.1")
    simulate.add_argument("--order-amount", type=str, dest="order_amount",
                          help="each order's amount in yuan (default 199.00), e.g. --order-amount 299")
    simulate.add_argument("--registrations", type=float,
                          help="the share of players who register on their first active day, for the "
                               "registration rules (default 0), e.g. --registrations 0.2")
    simulate.add_argument("--share-opens", type=float, dest="share_opens",
                          help="new friends opening an active player's share link per day, for the "
                               "share task (default 0), e.g. --share-opens 0.5")
    simulate.add_argument("--tiers", metavar="TIER=SHARE,...",
                          help="the share of members in each tier, who play with its own chances "
                               "and odds (default: none), e.g. --tiers gold=0.1,silver=0.3")
    simulate.add_argument("--json", action="store_true",
                          help="print the forecast as JSON (docs/simulate.md#output), e.g. --json")
    simulate.set_defaults(run=cmd_simulate)
