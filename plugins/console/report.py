"""A campaign's report for marketers, from the figures the aggregator keeps (docs/report.md).

One Query of the campaign's figures partition (`plugins.aggregates.read_figures`: items in
proportion to days x games), one read of the campaign's config, nothing else: no scan, and
no cost that grows with the rest of the table. Figures lag the actions by the stream's
delay (about a second in AWS; `mgames local` drains the stream every second).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from plugins.aggregates import CampaignFigures, read_figures
from plugins.aggregates.facts import BRAND, COST
from plugins.campaigns.repository import load_current
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.registry import games
from plugins.types import cents, yuan

__all__ = ["campaign_report", "game_figures"]

PRIZE, BLOCKS, CHANNEL = "prize:", "blocks:", "channel:"


def _named(figures: Mapping[str, int], prefix: str) -> dict[str, int]:
    return {name.removeprefix(prefix): n for name, n in sorted(figures.items())
            if name.startswith(prefix) and n}


def _cost(figures: Mapping[str, int]) -> int:
    return sum(_named(figures, COST).values())


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def game_figures(campaign: Campaign, figures: CampaignFigures, now: datetime) -> dict[str, dict[str, Any]]:
    """Each enabled game's own section, for the games whose plug-in gives a `report`."""
    installed = games()
    return {name: section(campaign, figures.game(name), now) for name in sorted(campaign.games)
            if campaign.game(name) is not None and name in installed
            and (section := installed[name].report) is not None}


def _day(day: str, figures: Counter[str]) -> dict[str, Any]:
    return {"day": day, "visitors": figures["visitors"], "players": figures["players"],
            "plays": figures["plays"], "winners": figures["winners"], "cost": yuan(_cost(figures)),
            "coupons_redeemed": figures["coupons_redeemed"], "sales_driven": yuan(figures["sales"]),
            "fraud_blocks": sum(_named(figures, BLOCKS).values())}


def _money(campaign: Campaign, total: Counter[str], figures: CampaignFigures) -> dict[str, Any]:
    spent = _cost(total)
    partner = total[f"{COST}partner_coupons"] - total[f"{BRAND}partner_coupons"]
    budget = cents(campaign.config.budget)
    return {"total": yuan(spent), "brand": yuan(spent - partner), "partner": yuan(partner),
            "budget": yuan(budget), "budget_used_rate": _ratio(spent, budget),
            "by_game": {game: yuan(_cost(figures.game(game))) for game in figures.games()},
            "by_kind": {kind: yuan(n) for kind, n in _named(total, COST).items()}}


def campaign_report(campaign_id: str, now: datetime) -> dict[str, Any]:
    """Plays, players, prizes, cost against the budget, coupons and sales, fraud blocks,
    per day, per game and per channel, and each game's own section."""
    campaign = load_current(campaign_id)
    figures = read_figures(campaign_id)
    total = figures.campaign()
    sections = game_figures(campaign, figures, now)
    channels = {name.split(":", 1)[0] for name in _named(total, CHANNEL)}
    return {
        "campaign_id": campaign_id,
        "config_version": campaign.version,
        "as_of": stamp(now, campaign.config.zone),
        "zone": campaign.config.timezone,
        "funnel": {"visitors": total["visitors"], "players": total["players"],
                   "winners": total["winners"], "coupons_issued": total["coupons_issued"],
                   "coupons_redeemed": total["coupons_redeemed"]},
        "new_members": total["new_members"],
        "plays": {game: figures.game(game)["plays"] for game in figures.games()
                  if figures.game(game)["plays"]},
        "prizes_awarded": {game: won for game in figures.games()
                           if (won := _named(figures.game(game), PRIZE))},
        "cost": _money(campaign, total, figures),
        "sales_driven": yuan(total["sales"]),
        "channels": {ch: {"plays": total[f"{CHANNEL}{ch}:plays"],
                          "cost": yuan(total[f"{CHANNEL}{ch}:cost"])} for ch in sorted(channels)},
        "k_factor": {game: s["k_factor"] for game, s in sections.items() if "k_factor" in s},
        "fraud_blocks": _named(total, BLOCKS),
        "days": [_day(day, figures.day(day)) for day in figures.days()],
        "games": sections,
        "items_read": figures.items_read,
    }
