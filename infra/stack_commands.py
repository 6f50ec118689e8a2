"""`mgames local` and `mgames token`: the local stack, and credentials to call it with."""

from __future__ import annotations

import argparse
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

from infra.arguments import examples
from infra.failures import UsageError
from infra.local.faults import FAULTS_ENV, MODE_ENV, Faults, configured_faults
from plugins.identity.callers import ROLES

__all__ = ["DEMO", "add_commands"]

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.yaml"


def _stop_on_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop the stack, whatever this process inherited: a process
    started with SIGINT ignored (as some parents leave it) would otherwise never stop on it."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)


def cmd_local(args: argparse.Namespace) -> int:
    from infra.local.stack import LocalStack
    from plugins.registry import games

    try:
        faults = Faults.parse(args.faults) if args.realistic else configured_faults()
    except ValueError as exc:
        raise UsageError(f"--faults: {exc}") from None
    for campaign_file in args.campaign or []:
        if not campaign_file.is_file():
            raise UsageError(f"--campaign {campaign_file}: no such file")
    _stop_on_signals()
    print("starting the local stack ...", flush=True)
    stack = LocalStack(args.host, args.port, args.dynamodb_port, args.campaign or [DEMO],
                       args.jobs_every, args.console_port, faults).start()
    try:  # from here on, Ctrl-C at any moment stops the stack cleanly
        print(f"DynamoDB (moto, {stack.dynamodb.mode})  {stack.dynamodb.endpoint_url}  "
              f"table {stack.tables['GamesTable']}")
        if faults is not None:
            print(f"  realistic mode: {faults}")
        for campaign in stack.applied:
            print(f"campaign {campaign.id!r} v{campaign.version}: games {', '.join(campaign.games)}")
        for name in sorted(games()):
            print(f"  {name:<16} {stack.url}/{name}/   (OpenAPI: {stack.url}/{name}/openapi.json)")
        print(f"console (Chalice)  {stack.console_url}   "
              "(mgames token mia --role marketer | --role staff)")
        print(f"web console        {stack.console_url}/   "
              "(marketers: campaigns, switches, report, config, webhooks, disclosure, member lists)")
        print(f"API reference      {stack.reference_url}/   (Swagger UI: every function and the console)")
        print("mint a player token:  mgames token alice --device phone-1")
        print(f"try:  curl {stack.url}/lucky-wheel/campaigns/demo")
        print(f"H5 pages (sign in, then play):  {stack.url}/")
        print("Ctrl-C stops", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        stack.stop()
    print("stopped")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from infra.local.stack import LOCAL_ENV
    from plugins.clock import utc_now
    from plugins.identity.tokens import mint_operator, mint_player

    if args.role is None and (args.store or args.campaign):
        raise UsageError("--store and --campaign bind an operator: add --role")
    if args.role is not None and (args.tier or args.tag or args.region):
        raise UsageError("--tier, --tag and --region describe a player: drop --role")
    for name in ("MGAMES_PLAYER_KEYS", "MGAMES_CONSOLE_KEYS"):
        if not os.environ.get(name) and not os.environ.get(name + "_ARN"):
            os.environ[name] = LOCAL_ENV[name]
    ttl = timedelta(hours=args.hours)
    if args.role is None:
        print(mint_player(args.name, now=utc_now(), ttl=ttl, device_id=args.device, tier=args.tier,
                          tags=args.tag, region=args.region))
    else:
        print(mint_operator(args.name, args.role, now=utc_now(), ttl=ttl,
                            stores=tuple(args.store), campaigns=tuple(args.campaign)))
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`local` and `token`."""
    local = sub.add_parser(
        "local", help="run DynamoDB, every game and the demo campaign locally",
        description="Serve the local stack: DynamoDB (moto), every game's function URL, the "
                    "console, the API reference and the H5 pages, until Ctrl-C.",
        epilog=examples("mgames local",
                        "mgames local --port 9000 --campaign my-campaign.yaml",
                        "mgames local --realistic --faults seed=7,throttle_rate=0.01"))
    local.add_argument("--host", default="127.0.0.1", help="the address to serve on")
    local.add_argument("--port", type=int, default=8000, help="every game's function URL, under /<game>/")
    local.add_argument("--dynamodb-port", type=int, default=8001, help="the embedded DynamoDB (moto)")
    local.add_argument("--console-port", type=int, default=None,
                       help="the console API (default 8002; 0, any free port, when --port is 0)")
    local.add_argument("--campaign", type=Path, action="append",
                       help="campaign file(s) to apply at start (default: examples/demo.yaml)")
    local.add_argument("--jobs-every", type=float, default=30.0, metavar="SECONDS",
                       help="run the games' scheduled jobs this often (0: never)")
    local.add_argument("--realistic", action="store_true",
                       help="serve DynamoDB as it behaves, not one request at a time: overlapping "
                            f"transactions conflict (default: ${MODE_ENV}=realistic)")
    local.add_argument("--faults", default=os.environ.get(FAULTS_ENV, ""), metavar="SPEC",
                       help="with --realistic, what to inject, e.g. 'seed=7,throttle_rate=0.01,"
                            "item_writes_per_second=500,latency=0.002,hang_rate=0.001,"
                            f"lost_rate=0.001' (default: ${FAULTS_ENV})")
    local.set_defaults(run=cmd_local)

    token = sub.add_parser(
        "token", help="mint a player token, or with --role an operator's console credential "
                      "(local keys unless configured)",
        epilog=examples("mgames token alice --device phone-1",
                        "mgames token bob --tier gold --tag coffee-lover --region shanghai",
                        "mgames token mia --role marketer --campaign demo",
                        "mgames token sam --role staff --store S1 --hours 8"))
    token.add_argument("name", help="the member id, or the operator's name with --role")
    token.add_argument("--device", help="the player's device id")
    token.add_argument("--tier", help="the player's member tier (audiences, a tier's chances)")
    token.add_argument("--tag", action="append", default=[], help="a tag of the player (repeatable)")
    token.add_argument("--region", help="the player's region (audiences)")
    token.add_argument("--hours", type=float, default=2.0, help="lifetime (default 2)")
    token.add_argument("--role", choices=sorted(ROLES),
                       help="an operator: marketer, admin, staff or brand (the order system)")
    token.add_argument("--store", action="append", default=[],
                       help="bind staff to a store (repeatable)")
    token.add_argument("--campaign", action="append", default=[],
                       help="bind a marketer or staff to a campaign (repeatable)")
    token.set_defaults(run=cmd_token)
