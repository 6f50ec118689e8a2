"""`mgames partner upload|settlement`: what a partner does over the console, from a shell."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from games.partner_coupon.pool import parse_codes, upload_pool
from games.partner_coupon.settlement import settlement
from plugins.campaigns.repository import load_current
from plugins.clock import utc_now
from plugins.contracts import StoreOptions


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], store: StoreOptions) -> None:
    partner = sub.add_parser("partner", help="a partner's code pools and settlement (the table)")
    partner_sub = partner.add_subparsers(dest="partner_command", required=True)
    upload = partner_sub.add_parser("upload", help="add a CSV or JSON file of codes to a pool")
    upload.add_argument("campaign", help="the campaign id")
    upload.add_argument("partner", help="the partner id")
    upload.add_argument("type_id", metavar="type", help="the partner's coupon type id")
    upload.add_argument("file", help="codes: .json (a list or {\"codes\": [...]}), else CSV")
    upload.add_argument("--upload-id", help="idempotency key (default: cli-<file name>)")
    store(upload)
    upload.set_defaults(run=_upload)
    settle = partner_sub.add_parser("settlement", help="the partner's coupons and cost split")
    settle.add_argument("campaign", help="the campaign id")
    settle.add_argument("partner", help="the partner id")
    store(settle)
    settle.set_defaults(run=_settlement)


def _settlement(args: argparse.Namespace) -> int:
    campaign = load_current(args.campaign)
    print(json.dumps(settlement(campaign, args.partner, utc_now()), indent=2, default=str))
    return 0


def _upload(args: argparse.Namespace) -> int:
    campaign = load_current(args.campaign)
    path = Path(args.file)
    text = path.read_text(encoding="utf-8")
    codes = parse_codes(text, "json") if path.suffix.lower() == ".json" else parse_codes(text, "csv")
    upload_id = args.upload_id or f"cli-{path.name}"[:64]
    result = upload_pool(campaign, args.partner, args.type_id, upload_id, codes, utc_now())
    print(json.dumps(result, indent=2, default=str))
    return 0
