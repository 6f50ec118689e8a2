"""The packets' own budget (`packets_budget`): the most red packets may ever pay out.

With it, config can prove the campaign budget (prizes' stock x cost plus this fits), so the
campaign budget needs no counting; the packets' budget itself is counted here. It is kept as
cents *taken* per shard against a limit (the budget split over `FUND_SHARDS`), not as cents
remaining: nothing needs seeding, and a new config version simply moves the limits. A packet
takes its total (and its reserved cash bonus) when it is made, conditional on the shard
staying within its limit; expiry gives back what the packet did not pay out.

Like the campaign budget (`plugins.prize_pool.budget`), a debit tries one shard without
reading; shards found too full are remembered for the loaded config; when no single shard
can take it, one consistent read spreads it over several.
"""

from __future__ import annotations

from random import Random

from games.red_packet.split import equal_split
from plugins.contracts import Campaign
from plugins.store import CounterItem, Transaction

__all__ = ["FUND_SHARDS", "TAG", "FundDebit", "fund_key", "fund_refund", "packets_spent"]

FUND_SHARDS = 4
TAG = "fund:"


def fund_key(campaign_id: str, shard: int) -> tuple[str, str]:
    return f"C#{campaign_id}#RPF#{shard}", "F"


class FundDebit:
    """Taking `cost` cents from the packets' budget, across the attempts of one action."""

    def __init__(self, campaign: Campaign, budget: int, cost: int, rng: Random) -> None:
        self.campaign, self.cost, self._rng = campaign, cost, rng
        self.limits = equal_split(budget, FUND_SHARDS)
        self._full: dict[int, int] = campaign.memo.setdefault("rp-fund-full", {})
        self._amounts: dict[int, int] | None = None
        self._planned: dict[int, int] = {}

    def _fits(self, shard: int) -> bool:
        return self.cost <= self.limits[shard] and self.cost < self._full.get(shard, self.cost + 1)

    def plan(self, tx: Transaction) -> dict[int, int]:
        """Add the debit to `tx`; return the cents taken per shard."""
        amounts = self._amounts
        if amounts is None:
            fitting = [s for s in range(FUND_SHARDS) if self._fits(s)]
            if fitting:
                amounts = {self._rng.choice(fitting): self.cost}
            else:
                amounts = self._amounts = self._spread() or {}
        self._planned = amounts
        item = lambda shard: CounterItem(*fund_key(self.campaign.id, shard))  # noqa: E731
        if not amounts:  # nothing can pay: a write bound to fail, so a retry still replays first
            tx.update(f"{TAG}0", item(0), [CounterItem.n.add(0)], CounterItem.n < 0)
        for shard, amount in amounts.items():
            tx.update(f"{TAG}{shard}", item(shard), [CounterItem.n.add(amount)],
                      CounterItem.n.does_not_exist() | (CounterItem.n <= self.limits[shard] - amount))
        return dict(amounts)

    def recover(self) -> bool:
        """After a refused debit: another shard, a spread debit (one consistent read), or
        False when the packets' budget cannot pay."""
        if self._amounts is None and len(self._planned) == 1:
            shard = next(iter(self._planned))
            self._full[shard] = min(self._full.get(shard, self.cost), self.cost)
            if any(self._fits(s) for s in range(FUND_SHARDS)):
                return True
        self._amounts = self._spread()
        return self._amounts is not None

    def _spread(self) -> dict[int, int] | None:
        taken = _taken(self.campaign.id)
        due, amounts = self.cost, {}
        rooms = {s: self.limits[s] - taken.get(s, 0) for s in range(FUND_SHARDS)}
        for shard, room in sorted(rooms.items(), key=lambda kv: -kv[1]):
            take = min(room, due)
            if take > 0:
                amounts[shard], due = take, due - take
        return amounts if due <= 0 else None


def _taken(campaign_id: str) -> dict[int, int]:
    items = CounterItem.batch_get([fund_key(campaign_id, s) for s in range(FUND_SHARDS)],
                                  consistent_read=True)
    return {int(item.pk.rsplit("#", 1)[1]): int(item.n) for item in items}


def packets_spent(campaign_id: str) -> int:
    """Cents the packets hold or paid out: what the campaign budget must take off if it
    starts being counted later (one consistent read)."""
    return sum(_taken(campaign_id).values())


def fund_refund(tx: Transaction, campaign_id: str, amounts: dict[int, int]) -> None:
    """Give back cents a debit took, per shard (an expired packet's unspent money)."""
    for shard, amount in sorted(amounts.items()):
        if amount > 0:
            tx.update(f"refund:fund:{shard}", CounterItem(*fund_key(campaign_id, shard)),
                      [CounterItem.n.add(-amount)], CounterItem.n >= amount)
