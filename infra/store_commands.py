"""The `mgames` commands that read or write the games table: campaigns, the blacklist, a
member's coupons, the kill switch and the scheduled jobs (the report: infra/report.py)."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from infra.arguments import LOCAL_ENDPOINT, examples, store_options
from infra.failures import UsageError

__all__ = ["add_commands"]

LOCAL = f"--endpoint {LOCAL_ENDPOINT}"


def _picked_up() -> str:
    return f"functions pick it up within {os.environ.get('MGAMES_CONFIG_TTL_SECONDS', '5')} s"


def cmd_apply(args: argparse.Namespace) -> int:
    from plugins.campaigns.files import read_campaign_file
    from plugins.campaigns.repository import apply_campaign
    from plugins.clock import utc_now

    campaign = apply_campaign(read_campaign_file(args.file), now=utc_now(), applied_by=args.by)
    print(f"applied {campaign.id} version {campaign.version}; {_picked_up()}")
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
    state = "enabled" if enabled else "disabled"
    what = f"{args.game} {state} in {campaign.id}" if args.game else f"campaign {campaign.id} {state}:"
    print(f"{what} version {campaign.version}; {_picked_up()}")
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    from plugins.clock import utc_now
    from plugins.jobs import run_jobs

    handled = run_jobs(utc_now())
    for label, count in handled.items():
        print(f"{label}: {'FAILED (see log)' if count < 0 else count}")
    print(f"{len(handled)} job(s) ran")
    return 1 if any(count < 0 for count in handled.values()) else 0


def cmd_segment(args: argparse.Namespace) -> int:
    from infra.progress import progress
    from plugins.campaigns.repository import load_current
    from plugins.segments import add_members, not_a_member_id
    from plugins.types import SLUG

    if not re.fullmatch(SLUG, args.segment):
        raise UsageError(f"{args.segment!r} is not a segment name: lower-case letters, digits and '-'")
    load_current(args.campaign)  # CAMPAIGN_NOT_FOUND before any write
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise UsageError(f"{args.file}: not UTF-8 text") from None
    members = [m for m in (line.split(",")[0].strip() for line in lines) if m and m != "member_id"]
    bad = not_a_member_id(members)
    if bad is not None:
        raise UsageError(f"{args.file}: {bad!r} is not a member id")
    with progress(f"segment {args.segment}", len(members)) as advance:
        done = add_members(args.campaign, args.segment, members, advance)
    print(f"{done} members in segment {args.segment} of {args.campaign}")
    return 0


def cmd_verify_draw(args: argparse.Namespace) -> int:
    from infra.local.stack import LOCAL_ENV
    from plugins.clock import utc_now
    from plugins.draws import verify_draw
    from plugins.prize_pool.seeds import MASTER_KEY

    if args.endpoint and not os.environ.get(MASTER_KEY) and not os.environ.get(MASTER_KEY + "_ARN"):
        os.environ[MASTER_KEY] = LOCAL_ENV[MASTER_KEY]  # a local stack's seeds
    found = verify_draw(args.campaign, args.draw_id, utc_now())
    draw = found["draw"]
    print(f"draw {draw['draw_id']} of {args.campaign} ({draw['game']}, pool {draw['pool_id']}, "
          f"config version {draw['config_version']}, tier {draw['tier'] or '-'})")
    print(f"  member {draw['member_id']}  key {draw['key']}  day {draw['day']}")
    print(f"  commitment {found['commitment']}\n  seed       {found['seed']}")
    print(f"  number     {draw['number']}\n  ticket {draw['ticket']}  drawn {draw['drawn']}  "
          f"awarded {draw['awarded']}" + (f" (fallback: {draw['fallback_reason']})"
                                          if draw["fallback_reason"] else ""))
    for reason in found["reasons"]:
        print(f"  {reason['code']}: {reason['message']}")
    print("MATCHES" if found["matches"] else "DOES NOT MATCH")
    return 0 if found["matches"] else 1


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`apply`, `blacklist`, `jobs`, `coupons`, `segment`, `verify-draw`, `enable` and `disable`."""
    apply = sub.add_parser("apply", help="store a new version of a campaign",
                           epilog=examples(f"mgames apply examples/demo.yaml {LOCAL}",
                                           "mgames apply spring.yaml --table mgames-prod --by mia"))
    apply.add_argument("file", type=Path, help="the campaign YAML file")
    apply.add_argument("--by", default=os.environ.get("USER"), help="who applies it (default: $USER)")
    store_options(apply)
    apply.set_defaults(run=cmd_apply)

    black = sub.add_parser("blacklist", help="add or remove a member, device or IP",
                           epilog=examples(f"mgames blacklist add member alice --reason 'bot farm' {LOCAL}",
                                           f"mgames blacklist remove ip 203.0.113.7 {LOCAL}"))
    black.add_argument("action", choices=["add", "remove"], help="put on or take off the list")
    black.add_argument("kind", choices=["member", "device", "ip"], help="what the value is")
    black.add_argument("value", help="the member id, device id or IP address")
    black.add_argument("--reason", help="why, kept with the entry")
    store_options(black)
    black.set_defaults(run=cmd_blacklist)

    jobs = sub.add_parser("jobs", help="run every game's scheduled jobs once (as the worker does)",
                          epilog=examples(f"mgames jobs {LOCAL}"))
    store_options(jobs)
    jobs.set_defaults(run=cmd_jobs)

    coupons = sub.add_parser("coupons", help="a member's coupons and their states; --redeem one",
                             epilog=examples(f"mgames coupons alice {LOCAL}",
                                             f"mgames coupons alice --redeem CPN-ID {LOCAL}"))
    coupons.add_argument("member", help="the member id")
    coupons.add_argument("--redeem", metavar="COUPON_ID", help="verify this coupon at the counter")
    store_options(coupons)
    coupons.set_defaults(run=cmd_coupons)

    segment = sub.add_parser("segment", help="put members in a list an audience names (one id a line)",
                             epilog=examples(f"mgames segment demo vip vip-members.csv {LOCAL}"))
    segment.add_argument("campaign", help="the campaign id")
    segment.add_argument("segment", help="the list's name, as the campaign's audience names it")
    segment.add_argument("file", type=Path, help="member ids, one a line (a CSV's first column; "
                                                 "a `member_id` header is skipped)")
    store_options(segment)
    segment.set_defaults(run=cmd_segment)

    verify = sub.add_parser("verify-draw", help="re-derive a draw whose day is over from its record, "
                                               "seed, commitment and config version",
                            epilog=examples(f"mgames verify-draw demo 20261204093015a1b2c3d4e5f6 {LOCAL}"))
    verify.add_argument("campaign", help="the campaign id")
    verify.add_argument("draw_id", help="the draw id, as the draw answered it")
    store_options(verify)
    verify.set_defaults(run=cmd_verify_draw)

    for name, what in (("enable", "switch a game of a campaign, or the whole campaign, on"),
                       ("disable", "the kill switch: a game of a campaign, or the whole campaign, off")):
        switch = sub.add_parser(name, help=what + " (a new config version)",
                                epilog=examples(f"mgames {name} demo lucky-wheel {LOCAL}",
                                                f"mgames {name} demo {LOCAL}"))
        switch.add_argument("campaign", help="the campaign id")
        switch.add_argument("game", nargs="?", help="the game's name, e.g. lucky-wheel (none: the campaign)")
        switch.add_argument("--by", default=os.environ.get("USER"), help="who switches it (default: $USER)")
        store_options(switch)
        switch.set_defaults(run=cmd_switch)
