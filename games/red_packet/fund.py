"""The packets' own budget (`packets_budget`): the most red packets may ever pay out.

With it, config can prove the campaign budget (prizes' stock x cost plus this fits), so the
campaign budget needs no counting; the packets' budget itself is counted here, as a sharded
allowance (`plugins.allowance`) of cents *taken* per shard against a limit (the budget split
over `FUND_SHARDS`), not cents remaining: nothing needs seeding, and a new config version
simply moves the limits. A packet takes its total (and its reserved cash bonus) when it is
made, conditional on the shard staying within its limit; expiry gives back what the packet
did not pay out, to the shards that paid.
"""

from __future__ import annotations

from random import Random

from games.red_packet.split import equal_split
from plugins.allowance import Allowance, Debit, Taken
from plugins.contracts import Campaign
from plugins.store import Transaction

__all__ = ["FUND_SHARDS", "TAG", "fund_debit", "fund_key", "fund_refund", "packets_spent"]

FUND_SHARDS = 4
TAG = "fund:"


def fund_key(campaign_id: str, shard: int) -> tuple[str, str]:
    return f"C#{campaign_id}#RPF#{shard}", "F"


def _shards(campaign_id: str, budget: int = 0) -> Taken:
    return Taken(TAG, lambda shard: fund_key(campaign_id, shard), equal_split(budget, FUND_SHARDS))


def fund_debit(campaign: Campaign, budget: int, cost: int, rng: Random) -> Debit:
    """Taking `cost` cents from a packets' budget of `budget` cents, across the attempts of
    one action."""
    return Allowance.of(campaign.memo, _shards(campaign.id, budget)).debit(cost, rng)


def packets_spent(campaign_id: str) -> int:
    """Cents the packets hold or paid out: what the campaign budget must take off if it
    starts being counted later (one consistent read; the limits do not matter to it)."""
    return sum(_shards(campaign_id).taken().values())


def fund_refund(tx: Transaction, campaign_id: str, amounts: dict[int, int]) -> None:
    """Give back cents a debit took, per shard (an expired packet's unspent money)."""
    _shards(campaign_id).refund(tx, "refund:fund:", amounts)
