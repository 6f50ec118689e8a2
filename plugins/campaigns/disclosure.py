"""The public disclosure of a campaign (docs/compliance.md): what the promotion rules ask an
organiser to publish before launch, generated from the campaign's current version: organiser,
period, every prize of every game with a prize pool (its value, its quantity, its odds or how
it is won), the redemption terms, and the verifiable draws' seed commitments."""

from __future__ import annotations

from typing import Any

from plugins.campaigns.compliance import prize_value_limit, prize_worth
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.prize_pool.model import PrizePoolConfig, PrizeSet, pools_of
from plugins.types import money

__all__ = ["disclosure"]

DRAWN = ("drawn: each draw picks one prize with the odds shown; a prize that is out of stock, "
         "beyond a member's cap or beyond the budget is replaced by the fallback")
LISTED = "not drawn: given to every member who meets its conditions, while its quantity lasts"


def _pool(game: str, enabled: bool, pool_id: str, pool: PrizeSet) -> dict[str, Any]:
    drawn = isinstance(pool, PrizePoolConfig)
    odds = pool.odds() if isinstance(pool, PrizePoolConfig) else {}
    prizes = [{"id": p.id, "name": p.name, "value": money(prize_worth(p)), "quantity": p.stock,
               "per_member_cap": p.per_user_cap,
               "odds_percent": str(odds[p.id]) if drawn else None,
               "fallback": isinstance(pool, PrizePoolConfig) and p.id == pool.fallback}
              for p in pool.prizes]
    tiers = {} if not isinstance(pool, PrizePoolConfig) else {
        tier: {k: str(v) for k, v in pool.for_tier(tier).odds().items()} for tier in pool.odds_by_tier}
    return {"game": game, "enabled": enabled, "pool": pool_id, "how": DRAWN if drawn else LISTED,
            "prizes": prizes, "odds_percent_by_tier": tiers}


def disclosure(campaign: Campaign) -> dict[str, Any]:
    """The disclosure of `campaign`'s version; nothing personal, nothing the page hides that
    the rules ask to publish (odds are published as percentages, never as weights).
    The console's route adds the draw seeds' commitments (`plugins.draws.commitments`)."""
    config, zone = campaign.config, campaign.config.zone
    terms = config.disclosure
    return {
        "campaign_id": campaign.id, "name": config.name, "version": campaign.version,
        "organiser": terms.organiser if terms else None,
        "contact": terms.contact if terms else None,
        "period": {"starts_at": stamp(config.aware(config.starts_at), zone),
                   "ends_at": stamp(config.aware(config.ends_at), zone), "timezone": config.timezone},
        "redemption_terms": terms.redemption_terms if terms else None,
        "stock_may_extend": bool(terms and terms.stock_may_extend),
        "prize_value_limit": money(prize_value_limit()),
        "prize_pools": [_pool(name, section.enabled, pool_id, pool)
                        for name, section in campaign.games.items()
                        for pool_id, pool in pools_of(section).items()],
    }
