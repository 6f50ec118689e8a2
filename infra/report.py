"""`mgames report CAMPAIGN`: the campaign's figures as JSON, CSV or a page with charts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from infra.arguments import LOCAL_ENDPOINT, examples
from plugins.contracts import StoreOptions

__all__ = ["add_report_command"]


def add_report_command(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       store_options: StoreOptions) -> None:
    report = sub.add_parser(
        "report", help="a campaign's figures, as the aggregator keeps them",
        epilog=examples(f"mgames report demo --endpoint {LOCAL_ENDPOINT}",
                        f"mgames report demo --csv --endpoint {LOCAL_ENDPOINT} > demo.csv",
                        f"mgames report demo --html demo-report.html --endpoint {LOCAL_ENDPOINT}"))
    report.add_argument("campaign", help="the campaign id")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help="one CSV row per day and the total")
    output.add_argument("--html", type=Path, metavar="FILE", help="write it as one HTML page with charts")
    store_options(report)
    report.set_defaults(run=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from plugins.clock import utc_now
    from plugins.console.report import campaign_report
    from plugins.console.report_csv import report_csv
    from plugins.console.report_html import render_report_html

    report = campaign_report(args.campaign, utc_now())
    if args.csv:
        print(report_csv(report), end="")
    elif args.html is not None:
        args.html.write_text(render_report_html(report), encoding="utf-8")
        print(f"wrote the report of {args.campaign} to {args.html} (one page: open it in a browser)")
    else:
        print(json.dumps(report, indent=2))
    return 0
