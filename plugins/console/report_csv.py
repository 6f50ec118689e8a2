"""The campaign report as CSV, for a spreadsheet: one row per local day, then the total
(distinct figures, like players, counted once over the campaign, not added up)."""

from __future__ import annotations

import csv
import io
from typing import Any

__all__ = ["COLUMNS", "report_csv"]

COLUMNS = ("day", "visitors", "players", "plays", "winners", "cost", "coupons_redeemed",
           "sales_driven", "fraud_blocks")
"""Money columns are yuan, as the report gives them ("12.50")."""


def report_csv(report: dict[str, Any]) -> str:
    """The report's `days`, and a `total` row from its campaign-wide figures."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: day[column] for column in COLUMNS} for day in report["days"])
    funnel = report["funnel"]
    writer.writerow({"day": "total", "visitors": funnel["visitors"], "players": funnel["players"],
                     "plays": sum(report["plays"].values()), "winners": funnel["winners"],
                     "cost": report["cost"]["total"], "coupons_redeemed": funnel["coupons_redeemed"],
                     "sales_driven": report["sales_driven"],
                     "fraud_blocks": sum(report["fraud_blocks"].values())})
    return out.getvalue()
