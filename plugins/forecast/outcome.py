"""What a forecast run keeps besides its members' counters: pots (a stock, a budget, a
partner's quota), what each pool yielded, the run's outcome, and how they are named."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PoolTally", "Pot", "RunOutcome", "pool_label", "stock_label"]


def pool_label(game: str, pool_id: str) -> str:
    """How a pool is named to marketers: its game, and the pool when a game has another id."""
    return game if pool_id == game else f"{game} (pool {pool_id})"


def stock_label(game: str, pool_id: str, prize_id: str) -> str:
    """How a prize's stock is named to marketers."""
    return f"{pool_label(game, pool_id)}: prize {prize_id}"


@dataclass
class Pot:
    """A total that only goes down by what it can pay, and up by refunds: a prize's stock, a
    budget, a partner's quota. `out` is the first day it could not pay, or was emptied."""

    label: str
    kind: str
    total: int
    left: int
    out: int | None = None

    def take(self, amount: int, day: int) -> bool:
        if amount > self.left:
            self.out = day if self.out is None else self.out
            return False
        self.left -= amount
        if self.left == 0 and self.out is None:
            self.out = day
        return True

    def give(self, amount: int) -> None:
        """A refund (an expired red packet's unspent cents)."""
        self.left += amount


@dataclass
class PoolTally:
    plays: int = 0
    won: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RunOutcome:
    """What one run spent (cents per day), its pots (each with the day index it ran out on,
    None: never), what each pool yielded, and how many awards went to how many members."""

    cost: list[int]
    pots: dict[str, Pot]
    tallies: dict[str, PoolTally]
    awards: int
    awarded: int
