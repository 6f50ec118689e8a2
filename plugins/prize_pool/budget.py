"""The campaign budget: an allowance in cents (`plugins.allowance`), debited inside the
award's transaction.

Its shards (`budget_shards`) are `AllowanceItem`s seeded when a campaign is applied
(`allowances`); a debit tries one shard without reading and spreads after one consistent
read when no single shard can pay, so the budget is never exceeded and never stranded.
"""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING

from plugins.allowance import Allowance, Debit, Remaining
from plugins.store import Transaction, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign

__all__ = ["BUDGET", "TAG", "budget_debit", "refund", "shard_key"]

BUDGET = "BUDGET"
TAG = "prize:budget:"


def shard_key(campaign_id: str, shard: int) -> tuple[str, str]:
    return keys.allowance(campaign_id, BUDGET, shard), keys.ALLOWANCE_SK


def _shards(campaign_id: str, count: int = 0) -> Remaining:
    return Remaining(TAG, lambda shard: shard_key(campaign_id, shard), count)


def budget_debit(campaign: Campaign, cost: int, rng: Random) -> Debit:
    """Paying `cost` cents from the campaign budget, across the attempts of one action."""
    budget = Allowance.of(campaign.memo, _shards(campaign.id, campaign.config.budget_shards))
    return budget.debit(cost, rng)


def refund(tx: Transaction, campaign_id: str, amounts: dict[int, int]) -> None:
    """Give back cents a debit took, per shard as its plan returned them (money a game
    reserved and did not spend, e.g. an expired red packet's unclaimed parts)."""
    _shards(campaign_id).refund(tx, "refund:budget:", amounts)
