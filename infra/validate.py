"""`mgames validate`: check campaign files, and show what a valid one will do: each prize
pool's odds as configured and after per-member caps, its stock and cost, and whether config
alone proves the budget. What stock and the budget do to the odds depends on everyone's play:
`mgames simulate` forecasts it."""

from __future__ import annotations

import argparse
import sys

from infra.failures import one_line
from plugins.campaigns.files import CampaignFileError, read_campaign_file
from plugins.campaigns.model import parse_campaign
from plugins.contracts import Campaign
from plugins.errors import ConfigInvalidError
from plugins.forecast.outcome import pool_label
from plugins.prize_pool.limits import capped_odds
from plugins.prize_pool.model import PrizePoolConfig, pools_of

__all__ = ["DRAWS", "cmd_validate", "draw_count", "odds_lines"]

DRAWS = 10
"""The draws per member `mgames validate` shows the capped odds over (`--draws`)."""


def draw_count(text: str) -> int:
    """`--draws`: a whole number from 1 to 10,000."""
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of draws from 1 to 10000")
    return int(text)


def odds_lines(campaign: Campaign, draws: int = DRAWS) -> list[str]:
    """One line per prize of every pool: its configured odds, its odds once per-member caps
    send a member's draws beyond a cap to the fallback (over his first `draws` draws), its
    stock and cost; the fallback marked."""
    lines = []
    for name, section in campaign.games.items():
        for pool_id, base in pools_of(section).items():
            if not isinstance(base, PrizePoolConfig):
                continue  # chosen, not drawn (the points exchange): no odds
            for tier in (None, *base.odds_by_tier):
                pool, whose = base.for_tier(tier), "" if tier is None else f", tier {tier}"
                lines.append(f"  {pool_label(name, pool_id)}{whose}: odds per draw, configured -> "
                             f"after per-member caps over a member's first {draws} draws:")
                configured, capped = pool.odds(), capped_odds(pool, draws)
                for prize in pool.prizes:
                    stock = "unlimited" if prize.stock is None else f"stock {prize.stock}"
                    role = ", the fallback" if prize.id == pool.fallback else ""
                    lines.append(f"    {prize.id:<14} {configured[prize.id]:>6} % -> "
                                 f"{capped[prize.id]:>6} %  {stock}, cost {prize.cost:.2f}{role}")
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
        print("\n".join(odds_lines(campaign, args.draws)))
    return 2 if unreadable else 1 if failed else 0
