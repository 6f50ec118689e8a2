"""`mgames webhooks list|replay`: a campaign's webhook deliveries, and sending again the
dead-lettered ones (or any named ones) from a fresh first attempt (docs/webhooks.md)."""

from __future__ import annotations

import argparse

from infra.arguments import LOCAL_ENDPOINT, examples, store_options

__all__ = ["add_commands"]

LOCAL = f"--endpoint {LOCAL_ENDPOINT}"
STATES = ("pending", "delivered", "dead")


def cmd_list(args: argparse.Namespace) -> int:
    from plugins.campaigns.repository import load_current
    from plugins.webhooks import every_delivery

    load_current(args.campaign)  # CAMPAIGN_NOT_FOUND, not an empty list
    count = 0
    for d in every_delivery(args.campaign, args.state):
        count += 1
        print(f"{d['id']}  {d['state']:<9} {d['event']:<16} {d['endpoint']:<16} attempts {d['attempts']:>2}"
              f"  {d['created_at']}  {d['last_error'] or ''}".rstrip())
    print(f"{count} deliver{'y' if count == 1 else 'ies'} in {args.campaign}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from plugins.campaigns.repository import load_current
    from plugins.webhooks import replay

    load_current(args.campaign)
    queued = replay(args.campaign, args.id or ())
    for delivery in queued:
        print(f"queued {delivery}")
    print(f"{len(queued)} deliver{'y' if len(queued) == 1 else 'ies'} queued again (at most 100 a "
          "call: run it again for more); the worker sends them on its next run (mgames jobs)")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`webhooks list` and `webhooks replay`."""
    hooks = sub.add_parser("webhooks", help="a campaign's webhook deliveries: list, replay",
                           epilog=examples(f"mgames webhooks list demo --state dead {LOCAL}",
                                           f"mgames webhooks replay demo {LOCAL}"))
    action = hooks.add_subparsers(dest="action", required=True, metavar="ACTION",
                                  help="what to do (each has --help)")
    listing = action.add_parser("list", help="the campaign's deliveries, oldest first",
                                epilog=examples(f"mgames webhooks list demo {LOCAL}"))
    listing.add_argument("campaign", help="the campaign id")
    listing.add_argument("--state", choices=STATES, help="only deliveries in this state")
    store_options(listing)
    listing.set_defaults(run=cmd_list)
    again = action.add_parser("replay", help="send dead-lettered deliveries (or those named) again",
                              epilog=examples(f"mgames webhooks replay demo {LOCAL}",
                                              f"mgames webhooks replay demo --id msg_0123 {LOCAL}"))
    again.add_argument("campaign", help="the campaign id")
    again.add_argument("--id", action="append", metavar="DELIVERY_ID",
                       help="a delivery to send again, delivered or dead (repeatable; default: "
                            "every dead one)")
    store_options(again)
    again.set_defaults(run=cmd_replay)
