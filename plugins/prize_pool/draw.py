"""The draw: a table precomputed per config version, then one lookup per draw: of a ticket
derived from the day's seed (`plugins.prize_pool.seeds`) for a player's draw, of the CSPRNG
for a simulation."""

from __future__ import annotations

import bisect
import secrets
from itertools import accumulate
from random import Random

from plugins.prize_pool.model import Prize, PrizePoolConfig

SYSTEM_RANDOM: Random = secrets.SystemRandom()


class DrawTable:
    """Cumulative weights of a pool; immutable, so one instance serves every request."""

    def __init__(self, pool: PrizePoolConfig) -> None:
        weighted = [p for p in pool.prizes if p.weight > 0]
        self._prizes = tuple(weighted)
        self._bounds = tuple(accumulate(p.weight for p in weighted))

    @property
    def total_weight(self) -> int:
        return self._bounds[-1]

    def draw(self, rng: Random = SYSTEM_RANDOM) -> Prize:
        """Pick a prize with probability weight / total weight."""
        return self.pick(rng.randrange(self.total_weight))

    def pick(self, ticket: int) -> Prize:
        """The prize of `ticket`, in [0, total weight): each prize owns `weight` tickets."""
        return self._prizes[bisect.bisect_right(self._bounds, ticket)]
