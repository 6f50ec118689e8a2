"""A campaign's report for marketers, read straight from the store.

Cost: this is an operator call, not a player's hot path, so it reads rather than keeps
counters (a counter every play touches would be the hidden hot key). Per report:
- one `Scan` of the table for the campaign's action records (`ACT#<campaign>#…`), and one
  for its coupons (`CPN#…` with this campaign id): both read the whole table, paginated,
  so they cost about table size / 4 KB read units each (eventually consistent: half);
- one `BatchGetItem` of the budget shards when the budget is counted;
- one `Query` per fraud-audit shard for the blocks counted per rule (`C#<campaign>#BLOCKS#<shard>`);
- whatever each enabled game's own `report` figures read (the built-in games: a `Scan` or
  two of their own items each).
At scale, point it at an export (or a stream-fed aggregate) instead of scanning.

A long report can show where it is: `advance(1)` is called after each of its
`report_steps(campaign)` steps (the actions, the budget, the coupons, the fraud blocks, then
each game with figures of its own), as `mgames report` draws its progress bar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from plugins.antifraud import block_counts
from plugins.campaigns.repository import load_current
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.prize_pool.allowances import MAX_SHARDS
from plugins.prize_pool.budget import shard_key
from plugins.prize_pool.model import pools_of
from plugins.registry import games
from plugins.store import ActionItem, AllowanceItem, CouponItem, get_many, keys
from plugins.types import cents, yuan

__all__ = ["campaign_report", "game_figures", "report_steps"]

BASE_STEPS = 4
"""The actions, the budget, the coupons and the fraud blocks."""


def _prize_costs(campaign: Campaign) -> dict[tuple[str, str], int]:
    return {(game, prize.id): cents(prize.cost)
            for game, section in campaign.games.items()
            for pool in pools_of(section).values()
            for prize in pool.prizes}


def _awarded_prize(result: dict[str, Any]) -> str | None:
    """The prize an action awarded, if its result names one that is not the fallback."""
    prize = result.get("prize")
    if isinstance(prize, dict) and prize.get("id") and not result.get("fallback"):
        return str(prize["id"])
    return None


def _figures(campaign: Campaign) -> dict[str, Callable[[Campaign, datetime], dict[str, Any]]]:
    installed = games()
    return {name: figures for name in sorted(campaign.games)
            if campaign.game(name) is not None and name in installed
            and (figures := installed[name].report) is not None}


def report_steps(campaign: Campaign) -> int:
    """How many steps `campaign_report` tells its `advance` about."""
    return BASE_STEPS + len(_figures(campaign))


def game_figures(campaign: Campaign, now: datetime,
                 advance: Callable[[int], None] = lambda n: None) -> dict[str, dict[str, Any]]:
    """Each enabled game's own figures, for the games whose plug-in gives a `report`."""
    found = {}
    for name, figures in _figures(campaign).items():
        found[name] = figures(campaign, now)
        advance(1)
    return found


def campaign_report(campaign_id: str, now: datetime,
                    advance: Callable[[int], None] = lambda n: None) -> dict[str, Any]:
    """Participants, plays, prizes, budget, coupons and fraud blocks of one campaign, and
    each game's own figures; `advance(1)` after each step."""
    campaign = load_current(campaign_id)
    every_game = keys.action_prefix(campaign_id, "").removesuffix("#")  # "ACT#<campaign>#"
    actions = ActionItem.scan(ActionItem.sk.startswith(every_game)
                              & (ActionItem.campaign_id == campaign_id))
    members: set[str] = set()
    plays: Counter[str] = Counter()
    prizes: dict[str, Counter[str]] = {}
    for action in actions:
        members.add(action.pk)
        plays[action.game] += 1
        prize = _awarded_prize(dict(action.result or {}))
        if prize is not None:
            prizes.setdefault(action.game, Counter())[prize] += 1
    advance(1)

    if campaign.budget_counted:
        shards = get_many([(AllowanceItem, *shard_key(campaign_id, i)) for i in range(MAX_SHARDS)])
        used = sum(int(s.allotted) - int(s.remaining) for s in shards
                   if isinstance(s, AllowanceItem))
        source = "budget shards"
    else:
        costs = _prize_costs(campaign)
        used = sum(costs.get((game, prize), 0) * n
                   for game, won in prizes.items() for prize, n in won.items())
        source = "awarded prize costs"
    advance(1)

    coupons = list(CouponItem.scan(CouponItem.sk.startswith(keys.COUPON_PREFIX)
                                   & (CouponItem.campaign_id == campaign_id)))
    redeemed = sum(1 for c in coupons if c.state == "redeemed")
    advance(1)
    blocks = block_counts(campaign_id)
    advance(1)
    figures = game_figures(campaign, now, advance)
    budget = cents(campaign.config.budget)
    return {
        "campaign_id": campaign_id,
        "config_version": campaign.version,
        "as_of": stamp(now, campaign.config.zone),
        "participants": len(members),
        "plays": dict(sorted(plays.items())),
        "prizes_awarded": {game: dict(sorted(won.items())) for game, won in sorted(prizes.items())},
        "budget": {"total": yuan(budget), "used": yuan(used), "source": source},
        "coupons": {"issued": len(coupons), "redeemed": redeemed,
                    "redemption_rate": round(redeemed / len(coupons), 4) if coupons else 0.0},
        "fraud_blocks": dict(sorted(blocks.items())),
        "games": figures,
    }
