"""`mgames`: the one command line of the platform (local stack, tokens, campaign config)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from infra.deploy.cli import add_commands as add_deploy_commands
from infra.local.faults import FAULTS_ENV, MODE_ENV, Faults, configured_faults
from infra.report import add_report_command
from infra.simulate import add_commands as add_simulate_commands
from infra.validate import DRAWS, cmd_validate, draw_count
from plugins.errors import GameError, ServiceUnavailableError
from plugins.identity.callers import ROLES
from plugins.registry import contribution, games

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.yaml"


def store_options(command: argparse.ArgumentParser) -> None:
    """`--endpoint` and `--table` for a command that uses the table: the CLI binds it first."""
    command.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"),
                         help="DynamoDB endpoint, e.g. http://127.0.0.1:8001 for mgames local")
    command.add_argument("--table", default=os.environ.get("MGAMES_TABLE", "mgames-local"),
                         help="the games table")
    command.set_defaults(uses_store=True)


def _bind_store(endpoint: str | None, table: str) -> None:
    """Point the store at `endpoint` (a local stack) with dummy credentials if none are set."""
    if endpoint:
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from plugins.store import bind_table

    bind_table(table)


def cmd_local(args: argparse.Namespace) -> int:
    from infra.local.stack import LocalStack

    print("starting the local stack ...", flush=True)
    try:
        faults = Faults.parse(args.faults) if args.realistic else configured_faults()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stack = LocalStack(args.host, args.port, args.dynamodb_port, args.campaign or [DEMO],
                       args.jobs_every, args.console_port, faults).start()
    print(f"DynamoDB (moto, {stack.dynamodb.mode})  {stack.dynamodb.endpoint_url}  "
          f"table {stack.tables['GamesTable']}")
    if faults is not None:
        print(f"  realistic mode: {faults}")
    for campaign in stack.applied:
        print(f"campaign {campaign.id!r} v{campaign.version}: games {', '.join(campaign.games)}")
    from plugins.registry import games

    for name in sorted(games()):
        print(f"  {name:<14} {stack.url}/{name}/   (OpenAPI: {stack.url}/{name}/openapi.json)")
    print(f"console (Chalice)  {stack.console_url}   "
          "(mgames token mia --role marketer | --role staff)")
    print(f"web console        {stack.console_url}/   (marketers: campaigns, switches, report, config)")
    print(f"API reference      {stack.reference_url}/   (Swagger UI: every function and the console)")
    print("mint a player token:  mgames token alice --device phone-1")
    print(f"try:  curl {stack.url}/lucky-wheel/campaigns/demo")
    print(f"H5 pages (sign in, then play):  {stack.url}/")
    print("Ctrl-C stops", flush=True)
    try:
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

    for name in ("MGAMES_PLAYER_KEYS", "MGAMES_CONSOLE_KEYS"):
        if not os.environ.get(name) and not os.environ.get(name + "_ARN"):
            os.environ[name] = LOCAL_ENV[name]
    ttl = timedelta(hours=args.hours)
    if args.role is None:
        if args.store or args.campaign:
            raise SystemExit("mgames token: --store and --campaign bind an operator: add --role")
        print(mint_player(args.name, now=utc_now(), ttl=ttl, device_id=args.device))
    else:
        print(mint_operator(args.name, args.role, now=utc_now(), ttl=ttl,
                            stores=tuple(args.store), campaigns=tuple(args.campaign)))
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    from plugins.campaigns.files import read_campaign_file
    from plugins.campaigns.repository import apply_campaign
    from plugins.clock import utc_now

    campaign = apply_campaign(read_campaign_file(args.file), now=utc_now(), applied_by=args.by)
    print(f"applied {campaign.id} version {campaign.version}; functions pick it up within "
          f"{os.environ.get('MGAMES_CONFIG_TTL_SECONDS', '5')} s")
    return 0


def cmd_blacklist(args: argparse.Namespace) -> int:
    from plugins.antifraud import blacklist
    from plugins.clock import utc_now

    blacklist(args.kind, args.value, reason=args.reason, now=utc_now(), add=args.action == "add")
    print(f"{args.kind} {args.value} {'added to' if args.action == 'add' else 'removed from'} "
          "the blacklist")
    return 0


def cmd_coupons(args: argparse.Namespace) -> int:
    from plugins.clock import utc_now
    from plugins.issuance.coupon import coupon_state, member_coupons, redeem_coupon

    now = utc_now()
    if args.redeem:
        coupon = redeem_coupon(args.member, args.redeem, now)
        print(f"redeemed {coupon.coupon_id} ({coupon.terms['title']}) at {coupon.redeemed_at}")
        return 0
    coupons = member_coupons(args.member)
    for c in coupons:
        print(f"{c.coupon_id}  {coupon_state(c, now):<9} {c.terms['title']:<32} "
              f"until {c.valid_until:%Y-%m-%d %H:%M} UTC  campaign {c.campaign_id} via {c.channel}")
    print(f"{len(coupons)} coupon(s) for {args.member}")
    return 0


def cmd_switch(args: argparse.Namespace) -> int:
    from plugins.clock import utc_now
    from plugins.console.operations import set_game_enabled

    enabled = args.command == "enable"
    campaign = set_game_enabled(args.campaign, args.game, enabled, now=utc_now(), by=args.by)
    print(f"{args.game} {'enabled' if enabled else 'disabled'} in {campaign.id} version "
          f"{campaign.version}; functions pick it up within "
          f"{os.environ.get('MGAMES_CONFIG_TTL_SECONDS', '5')} s")
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    from plugins.clock import utc_now
    from plugins.jobs import run_jobs

    handled = run_jobs(utc_now())
    for label, count in handled.items():
        print(f"{label}: {'FAILED (see log)' if count < 0 else count}")
    print(f"{len(handled)} job(s) ran")
    return 1 if any(count < 0 for count in handled.values()) else 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="mgames", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)

    local = sub.add_parser("local", help="run DynamoDB, every game and the demo campaign locally")
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

    token = sub.add_parser("token", help="mint a player token, or with --role an operator's "
                                         "console credential (local keys unless configured)")
    token.add_argument("name", help="the member id, or the operator's name with --role")
    token.add_argument("--device", help="the player's device id")
    token.add_argument("--hours", type=float, default=2.0, help="lifetime (default 2)")
    token.add_argument("--role", choices=sorted(ROLES),
                       help="an operator: marketer, admin, staff or brand (the order system)")
    token.add_argument("--store", action="append", default=[],
                       help="bind staff to a store (repeatable)")
    token.add_argument("--campaign", action="append", default=[],
                       help="bind a marketer or staff to a campaign (repeatable)")
    token.set_defaults(run=cmd_token)

    validate = sub.add_parser("validate", help="check campaign files, naming field and reason")
    validate.add_argument("files", nargs="+", type=Path, help="campaign YAML files")
    validate.add_argument("--draws", type=draw_count, default=DRAWS,
                          help=f"show odds after per-member caps over this many draws of a member "
                               f"(default {DRAWS})")
    validate.set_defaults(run=cmd_validate)

    apply = sub.add_parser("apply", help="store a new version of a campaign")
    apply.add_argument("file", type=Path, help="the campaign YAML file")
    apply.add_argument("--by", default=os.environ.get("USER"), help="who applies it")
    store_options(apply)
    apply.set_defaults(run=cmd_apply)

    black = sub.add_parser("blacklist", help="add or remove a member, device or IP")
    black.add_argument("action", choices=["add", "remove"], help="put on or take off the list")
    black.add_argument("kind", choices=["member", "device", "ip"], help="what the value is")
    black.add_argument("value", help="the member id, device id or IP address")
    black.add_argument("--reason", help="why, kept with the entry")
    store_options(black)
    black.set_defaults(run=cmd_blacklist)

    jobs = sub.add_parser("jobs", help="run every game's scheduled jobs once (as the worker does)")
    store_options(jobs)
    jobs.set_defaults(run=cmd_jobs)

    coupons = sub.add_parser("coupons", help="a member's coupons and their states; --redeem one")
    coupons.add_argument("member", help="the member id")
    coupons.add_argument("--redeem", metavar="COUPON_ID", help="verify this coupon at the counter")
    store_options(coupons)
    coupons.set_defaults(run=cmd_coupons)

    add_report_command(sub, store_options)

    for name, what in (("enable", "switch a game of a campaign on"),
                       ("disable", "the kill switch: switch a game of a campaign off")):
        switch = sub.add_parser(name, help=what + " (a new config version)")
        switch.add_argument("campaign", help="the campaign id")
        switch.add_argument("game", help="the game's name, e.g. lucky-wheel")
        switch.add_argument("--by", default=os.environ.get("USER"), help="who switches it")
        store_options(switch)
        switch.set_defaults(run=cmd_switch)
    add_deploy_commands(sub)
    add_simulate_commands(sub)
    for plugin in games().values():
        add_commands = contribution(plugin, "commands")
        if add_commands is not None:
            add_commands(sub, store_options)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    from botocore.exceptions import BotoCoreError
    from pynamodb.exceptions import PynamoDBException

    args = parser().parse_args(argv)
    try:
        if getattr(args, "uses_store", False):
            _bind_store(args.endpoint, args.table)
        return int(args.run(args))
    except GameError as exc:
        print(f"error {exc.code}: {exc.message}", file=sys.stderr)
        if isinstance(exc, ServiceUnavailableError) and getattr(args, "uses_store", False):
            print(_where(args), file=sys.stderr)
        return 1
    except (PynamoDBException, BotoCoreError) as exc:  # no table there: say where, not a traceback
        print(f"error: {getattr(exc, 'cause', None) or exc}\n{_where(args)}", file=sys.stderr)
        return 2


def _where(args: argparse.Namespace) -> str:
    return (f"  the table {args.table!r} at {args.endpoint or 'AWS'}; for the local stack run "
            "`mgames local`, then pass --endpoint http://127.0.0.1:8001")


if __name__ == "__main__":
    sys.exit(main())
