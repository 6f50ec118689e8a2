"""The campaign budget as shards of an allowance in cents, debited inside the award's transaction.

A budget every action touches would cap the campaign at one item's write rate, so it is
split over `budget_shards` items. A debit first tries one shard (no read). Shards found
too poor for a cost are remembered per loaded config: their remaining only ever falls.
When no single shard can pay, one consistent read finds the shards that together can, and
the debit spreads over them, so sharding never strands budget. The budget is never exceeded:
every debit is conditional on the shard keeping enough.
"""

from __future__ import annotations

from random import Random
from typing import TYPE_CHECKING

from plugins.store import AllowanceItem, Transaction, TransactionCancelledError, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign

BUDGET = "BUDGET"
TAG = "prize:budget:"


def shard_key(campaign_id: str, shard: int) -> tuple[str, str]:
    return keys.allowance(campaign_id, BUDGET, shard), keys.ALLOWANCE_SK


class BudgetDebit:
    """Paying `cost` cents from the campaign budget, across the attempts of one action."""

    def __init__(self, campaign: Campaign, cost: int, rng: Random) -> None:
        self.campaign, self.cost, self._rng = campaign, cost, rng
        self._short: dict[int, int] = campaign.memo.setdefault("budget-short", {})
        self._amounts: dict[int, int] | None = None

    @property
    def exhausted(self) -> bool:
        """Whether the whole budget was already found unable to pay this much."""
        return self.cost >= self.campaign.memo.get("budget-exhausted-at", self.cost + 1)

    def _affordable(self, shard: int) -> bool:
        return self.cost < self._short.get(shard, self.cost + 1)

    def plan(self, tx: Transaction) -> dict[int, int]:
        """Add the debit to `tx`; return the cents it takes from each shard (where a refund
        goes back to)."""
        amounts = self._amounts
        if amounts is None:
            shards = range(self.campaign.config.budget_shards)
            candidates = [s for s in shards if self._affordable(s)] or list(shards)
            amounts = {self._rng.choice(candidates): self.cost}
        self._planned = amounts
        for shard, amount in amounts.items():
            item = AllowanceItem(*shard_key(self.campaign.id, shard))
            tx.update(f"{TAG}{shard}", item, [AllowanceItem.remaining.add(-amount)],
                      AllowanceItem.remaining >= amount)
        return dict(amounts)

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """After a refused debit: another single shard, a spread debit, or False (exhausted)."""
        for tag in cancelled.failed:
            if tag.startswith(TAG) and len(self._planned) == 1:
                shard = int(tag.removeprefix(TAG))
                self._short[shard] = min(self._short.get(shard, self.cost), self.cost)
        shards = range(self.campaign.config.budget_shards)
        if self._amounts is None and any(self._affordable(s) for s in shards):
            return True
        self._amounts = self._spread()
        if self._amounts is None:
            floor = self.campaign.memo.get("budget-exhausted-at", self.cost)
            self.campaign.memo["budget-exhausted-at"] = min(floor, self.cost)
            return False
        return True

    def _spread(self) -> dict[int, int] | None:
        """Amounts per shard that together pay the cost, read consistently; None if none can."""
        wanted = [shard_key(self.campaign.id, s) for s in range(self.campaign.config.budget_shards)]
        items = AllowanceItem.batch_get(wanted, consistent_read=True)
        left = {int(i.pk.rsplit("#", 1)[1]): int(i.remaining) for i in items}
        due, amounts = self.cost, {}
        for shard, remaining in sorted(left.items(), key=lambda kv: -kv[1]):
            if due <= 0:
                break
            take = min(remaining, due)
            if take > 0:
                amounts[shard] = take
                due -= take
        return amounts if due <= 0 else None


def refund(tx: Transaction, campaign_id: str, amounts: dict[int, int]) -> None:
    """Give back cents a debit took, per shard as `BudgetDebit.plan` returned them (money a
    game reserved and did not spend, e.g. an expired red packet's unclaimed parts)."""
    for shard, amount in sorted(amounts.items()):
        if amount > 0:
            tx.update(f"refund:budget:{shard}", AllowanceItem(*shard_key(campaign_id, shard)),
                      [AllowanceItem.remaining.add(amount)], AllowanceItem.pk.exists())
