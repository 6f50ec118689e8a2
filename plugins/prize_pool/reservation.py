"""Reserving a prize inside the action's transaction: stock shard, per-user cap, budget, reward.

Nothing is read first: each limit is a condition on the write. Stock and budget are sharded
allowances (`plugins.allowance`). When DynamoDB cancels the transaction on a prize tag,
`recover` decides the next attempt: another stock or budget shard, a spread budget debit, or
the pool's fallback prize. Shards found short are remembered per loaded config
(`Campaign.memo`), so a sold-out prize costs no extra round trip after the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any

from plugins.allowance import Allowance, Debit, Remaining
from plugins.contracts import IssueContext
from plugins.prize_pool.allowances import stock_name
from plugins.prize_pool.budget import TAG as BUDGET_TAG
from plugins.prize_pool.budget import budget_debit
from plugins.prize_pool.draw import SYSTEM_RANDOM, DrawTable
from plugins.prize_pool.limits import BUDGET, CAP, REWARD, STOCK, limits_of
from plugins.prize_pool.model import Prize, PrizePoolConfig, PrizeSet
from plugins.prize_pool.proof import DrawSeal, SealedDraw
from plugins.registry import get_issuer
from plugins.store import CounterItem, Transaction, TransactionCancelledError, keys
from plugins.types import cents

__all__ = ["Award", "PrizeRefused", "PrizeReservation", "cap_key", "stock_name"]

STOCK_TAG = "prize:stock:"

if TYPE_CHECKING:
    from plugins.contracts import Campaign


@dataclass(frozen=True)
class Award:
    """What a player got: the prize, the issued reward (as the page shows it), whether it fell back."""

    prize: Prize
    reward: dict[str, Any] | None
    fell_back: bool


def cap_key(campaign_id: str, pool_id: str, prize_id: str) -> str:
    """The member's counter of a capped prize won (under `M#<member>`)."""
    return keys.quota(campaign_id, f"cap:{pool_id}:{prize_id}", "ALL")


class PrizeRefused(Exception):
    """A prize of a set without a fallback cannot be awarded; `limit` says which refused it
    (`limits.STOCK`, `BUDGET`, `CAP` or `REWARD`): the game answers with its own error."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


class PrizeReservation:
    """One player's claim on one drawn (or chosen) prize, across the attempts of one action.
    What cannot be awarded becomes the pool's fallback, or `PrizeRefused` in a set without."""

    def __init__(
        self,
        campaign: Campaign,
        pool_id: str,
        pool: PrizeSet,
        drawn: Prize,
        rng: Random = SYSTEM_RANDOM,
        sealed: SealedDraw | None = None,
    ) -> None:
        self.campaign = campaign
        self.pool_id = pool_id
        self.pool = pool
        self.drawn = drawn
        self.sealed = sealed
        self.refused_by: str | None = None
        self._rng = rng
        self._stock: Debit | None = None
        self._budget: Debit | None = None
        self.prize = self._affordable(drawn)

    @classmethod
    def draw(cls, campaign: Campaign, pool_id: str, pool: PrizePoolConfig, tier: str | None,
             seal: DrawSeal, rng: Random = SYSTEM_RANDOM) -> PrizeReservation:
        """A prize drawn from the pool with the odds and caps of the player's `tier`, reserved:
        each tier's draw table is built once per campaign version. The ticket comes from the
        day's seed and the draw's `seal` (re-derivable, `plugins.prize_pool.proof`); `rng`
        only spreads stock and budget over their shards."""
        own = pool.for_tier(tier)
        own_tier = tier if own is not pool else None
        table = campaign.memoized(("draw-table", pool_id, own_tier), lambda: DrawTable(own))
        sealed = SealedDraw.of(campaign, pool_id, own_tier, seal, table)
        return cls(campaign, pool_id, own, table.pick(sealed.ticket), rng, sealed)

    def _affordable(self, prize: Prize) -> Prize:
        """`prize`, or the fallback when it is known sold out or beyond the budget (the
        limits of `limits_of`; the cap and the reward are conditions of the write)."""
        self._stock = self._budget = None
        limits = limits_of(prize, self.campaign.budget_counted)
        if BUDGET in limits:
            self._budget = budget_debit(self.campaign, cents(prize.cost), self._rng)
            if self._budget.exhausted:
                return self._fallback(BUDGET)
        if STOCK in limits:
            name = stock_name(self.pool_id, prize.id)
            shards = Remaining(STOCK_TAG, lambda shard: (keys.allowance(self.campaign.id, name, shard),
                                                         keys.ALLOWANCE_SK), prize.shards)
            self._stock = Allowance.of(self.campaign.memo, shards).debit(1, self._rng)
            if self._stock.exhausted:
                return self._fallback(STOCK)
        return prize

    def _fallback(self, limit: str) -> Prize:
        """The fallback instead of the prize `limit` refused; PrizeRefused in a set without."""
        fallback = self.pool.fallback_prize()
        if fallback is None:
            raise PrizeRefused(limit)
        self._stock = self._budget = None
        self.refused_by = limit
        return fallback

    def plan(self, tx: Transaction, ctx: IssueContext) -> Award:
        """Add the prize's conditional writes to `tx`; return the award if it commits."""
        spec = self.prize.reward
        if spec is not None and not get_issuer(spec.type).available(spec, ctx):
            self.prize = self._fallback(REWARD)
        prize, cid, member = self.prize, self.campaign.id, keys.member(ctx.member_id)
        if self._stock is not None:
            self._stock.plan(tx)
        if CAP in limits_of(prize, self.campaign.budget_counted):
            cap = CounterItem(member, cap_key(cid, self.pool_id, prize.id))
            tx.update("prize:cap", cap, [CounterItem.n.add(1)],
                      CounterItem.n.does_not_exist() | (CounterItem.n < prize.per_user_cap))
        if self._budget is not None:
            self._budget.plan(tx)
        reward = None
        if prize.reward is not None:
            reward = get_issuer(prize.reward.type).plan(tx, prize.reward, ctx)
        award = Award(prize=prize, reward=reward, fell_back=prize is not self.drawn)
        self._tally(tx, award, ctx.member_id)
        if self.sealed is not None:
            self.sealed.plan(tx, self.drawn.id, prize.id, self.refused_by if award.fell_back else None)
        return award

    def _tally(self, tx: Transaction, award: Award, member_id: str) -> None:
        """A prize drawn and given counts under its id (the fallback too, when drawn as it
        is); a prize other than the fallback makes a winner; its cost counts."""
        prize = award.prize
        if award.fell_back:
            tx.tally.count("fallbacks")
        else:
            tx.tally.count(f"prize:{prize.id}")
        if prize is not self.pool.fallback_prize():
            tx.tally.once("winners", member_id)
            tx.tally.count("cost:prizes", cents(prize.cost))

    def recover(self, cancelled: TransactionCancelledError, ctx: IssueContext) -> bool:
        """Prepare the next attempt after a cancellation on a prize tag; False if none is left."""
        prize = self.prize
        if prize is self.pool.fallback_prize() and prize is not self.drawn:
            return False
        if cancelled.any(STOCK_TAG) and self._stock is not None:
            if self._stock.recover(cancelled):
                return True
        elif cancelled.any(BUDGET_TAG) and self._budget is not None:
            if self._budget.recover(cancelled):
                return True
        elif cancelled.any("reward:") and prize.reward is not None:
            failed = {t for t in cancelled.failed if t.startswith("reward:")}
            if get_issuer(prize.reward.type).recover(failed, prize.reward, ctx):
                return True
        self.prize = self._fallback(self._refused_by(cancelled))
        return True

    @staticmethod
    def _refused_by(cancelled: TransactionCancelledError) -> str:
        """Which limit a cancellation that leaves no other attempt refused."""
        if cancelled.any(STOCK_TAG):
            return STOCK
        if cancelled.any(BUDGET_TAG):
            return BUDGET
        return REWARD if cancelled.any("reward:") else CAP
