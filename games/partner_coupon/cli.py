"""`mgames partner upload|settlement`: what a partner does over the console, from a shell."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from games.partner_coupon.codes import FORMATS, MAX_CODE_LENGTH, MAX_CODES
from games.partner_coupon.file_upload import check_file, upload_file
from games.partner_coupon.settlement import settlement
from plugins.campaigns.repository import load_current
from plugins.clock import utc_now
from plugins.contracts import StoreOptions

LOCAL = "--endpoint http://127.0.0.1:8001"
UPLOAD = f"""Add a file of codes to the pool of one of the partner's coupon types.

The file may be of any size: it is read twice as a stream, never whole. First it is checked
(codes of 1-{MAX_CODE_LENGTH} of A-Z a-z 0-9 _ . : / + = -, none repeated in the file); then
it goes in parts of {MAX_CODES:,} codes, a progress bar on stderr. The upload is named by its
content: the same file again answers "replayed": true and writes nothing; a file cut short
by a crash or Ctrl-C resumes where it stopped when the same command runs again.
The summary is JSON on stdout (docs/games/partner-coupon.md, "Uploading codes")."""


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], store: StoreOptions) -> None:
    partner = sub.add_parser(
        "partner", help="a partner's code pools and settlement (the table)",
        epilog=f"examples:\n  mgames partner upload demo cafe coffee-10 codes.csv {LOCAL}\n"
               f"  mgames partner settlement demo cafe {LOCAL}")
    partner_sub = partner.add_subparsers(dest="partner_command", required=True, metavar="ACTION",
                                         help="upload or settlement")
    upload = partner_sub.add_parser(
        "upload", help="add a CSV or JSON file of codes to a pool", description=UPLOAD,
        epilog=f"examples:\n  mgames partner upload demo cafe coffee-10 codes.csv {LOCAL}\n"
               f"  mgames partner upload demo cafe coffee-10 export.txt --format json {LOCAL}")
    upload.add_argument("campaign", help="the campaign id")
    upload.add_argument("partner", help="the partner id")
    upload.add_argument("type_id", metavar="type", help="the partner's coupon type id")
    upload.add_argument("file", type=Path,
                        help='codes: CSV (first column, optional "code" header) or JSON '
                             '(a list or {"codes": [...]}), UTF-8')
    upload.add_argument("--format", choices=FORMATS,
                        help="the file's format (default: json for a .json file, else csv)")
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
    from infra.progress import progress

    campaign = load_current(args.campaign)
    path: Path = args.file
    fmt = args.format or ("json" if path.suffix.lower() == ".json" else "csv")
    found = check_file(path, fmt)
    with progress("codes", found.count) as advance:
        summary = upload_file(campaign, args.partner, args.type_id, found, args.upload_id,
                              utc_now(), advance)
    print(json.dumps(summary, indent=2))
    return 0
