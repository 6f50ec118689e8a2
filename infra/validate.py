"""`mgames validate`: check campaign files, and show what a valid one will do: each prize
pool's odds, its stock and cost, and whether config alone proves the budget."""

from __future__ import annotations

import argparse
import sys

from infra.failures import one_line
from plugins.campaigns.files import CampaignFileError, read_campaign_file
from plugins.campaigns.model import parse_campaign
from plugins.contracts import Campaign
from plugins.errors import ConfigInvalidError
from plugins.prize_pool.model import pools_of

__all__ = ["cmd_validate", "odds_lines"]


def odds_lines(campaign: Campaign) -> list[str]:
    """One line per prize of every pool: its odds, stock and cost; the fallback marked."""
    lines = []
    for name, section in campaign.games.items():
        for pool_id, pool in pools_of(section).items():
            lines.append(f"  {name}" + ("" if pool_id == name else f" (pool {pool_id})") + ":")
            for prize in pool.prizes:
                stock = "unlimited" if prize.stock is None else f"stock {prize.stock}"
                role = ", the fallback" if prize.id == pool.fallback else ""
                lines.append(f"    {prize.id:<14} {pool.odds()[prize.id]:>6} %  {stock}, "
                             f"cost {prize.cost:.2f}{role}")
    return lines


def cmd_validate(args: argparse.Namespace) -> int:
    """Each file: ok and its odds, or its problems (exit 1); a file that cannot be read as a
    campaign at all is one line (exit 2, the input's status, as for any command)."""
    failed = unreadable = 0
    for path in args.files:
        try:
            campaign = parse_campaign(read_campaign_file(path))
        except CampaignFileError as exc:
            unreadable += 1
            print(one_line(f"error {exc.code}: {exc.message}"), file=sys.stderr)
            continue
        except ConfigInvalidError as exc:
            failed += 1
            print(f"{path}: invalid", file=sys.stderr)
            for problem in exc.details.get("errors") or [exc.message]:
                print(f"  {problem}", file=sys.stderr)
            continue
        budget = "counted in shards" if campaign.budget_counted else "proven by config"
        print(f"{path}: ok (campaign {campaign.id}, games {', '.join(campaign.games)}, "
              f"budget {budget})")
        print("\n".join(odds_lines(campaign)))
    return 2 if unreadable else 1 if failed else 0
