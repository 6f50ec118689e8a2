"""`mgames partner upload|settlement`: what a partner does over the console, from a shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from games.partner_coupon.pool import MAX_CODES, codes_digest, parse_codes, upload_pool
from games.partner_coupon.settlement import settlement
from plugins.campaigns.repository import load_current
from plugins.clock import utc_now
from plugins.contracts import StoreOptions

LOCAL = "--endpoint http://127.0.0.1:8001"


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], store: StoreOptions) -> None:
    partner = sub.add_parser(
        "partner", help="a partner's code pools and settlement (the table)",
        epilog=f"examples:\n  mgames partner upload demo cafe coffee-10 codes.csv {LOCAL}\n"
               f"  mgames partner settlement demo cafe {LOCAL}")
    partner_sub = partner.add_subparsers(dest="partner_command", required=True, metavar="ACTION",
                                         help="upload or settlement")
    upload = partner_sub.add_parser(
        "upload", help="add a CSV or JSON file of codes to a pool",
        epilog=f"examples:\n  mgames partner upload demo cafe coffee-10 codes.csv {LOCAL}")
    upload.add_argument("campaign", help="the campaign id")
    upload.add_argument("partner", help="the partner id")
    upload.add_argument("type_id", metavar="type", help="the partner's coupon type id")
    upload.add_argument("file", help="codes: .json (a list or {\"codes\": [...]}), else CSV")
    upload.add_argument("--upload-id", help="idempotency key (default: cli- and the codes' digest, so "
                        "running it again after a failure resumes, and another file is another upload)")
    store(upload)
    upload.set_defaults(run=_upload)
    settle = partner_sub.add_parser(
        "settlement", help="the partner's coupons and cost split",
        epilog=f"examples:\n  mgames partner settlement demo cafe {LOCAL}")
    settle.add_argument("campaign", help="the campaign id")
    settle.add_argument("partner", help="the partner id")
    store(settle)
    settle.set_defaults(run=_settlement)


def _settlement(args: argparse.Namespace) -> int:
    campaign = load_current(args.campaign)
    print(json.dumps(settlement(campaign, args.partner, utc_now()), indent=2, default=str))
    return 0


def _upload(args: argparse.Namespace) -> int:
    """Upload a file of any size: checked whole first, then in uploads of at most MAX_CODES
    codes (`<id>.1`, `<id>.2`, ... when more than one), each reported on stderr as it lands."""
    campaign = load_current(args.campaign)
    path = Path(args.file)
    codes = parse_codes(path.read_text(encoding="utf-8"),
                        "json" if path.suffix.lower() == ".json" else "csv", limit=None)
    upload_id = args.upload_id or f"cli-{codes_digest(codes)[:24]}"
    parts = [codes[start:start + MAX_CODES] for start in range(0, len(codes), MAX_CODES)]
    results = []
    for number, part in enumerate(parts, start=1):
        part_id = upload_id if len(parts) == 1 else f"{upload_id}.{number}"
        results.append(upload_pool(campaign, args.partner, args.type_id, part_id, part, utc_now()))
        print(f"part {number}/{len(parts)}: {len(part)} codes "
              f"{'already loaded' if results[-1]['replayed'] else 'loaded'} ({part_id})", file=sys.stderr)
    print(json.dumps({"upload_id": upload_id, "parts": len(parts), "accepted": len(codes),
                      "pool_size": results[-1]["pool_size"],
                      "replayed": all(r["replayed"] for r in results)}, indent=2, default=str))
    return 0
