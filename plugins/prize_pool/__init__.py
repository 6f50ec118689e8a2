"""The shared prize pool: config, precomputed draws, and stock/cap/budget reservations."""

from plugins.prize_pool.draw import SYSTEM_RANDOM, DrawTable
from plugins.prize_pool.model import PooledGame, Prize, PrizePoolConfig, PrizeSet, pools_of
from plugins.prize_pool.proof import DrawSeal
from plugins.prize_pool.reservation import Award, PrizeRefused, PrizeReservation

__all__ = [
    "SYSTEM_RANDOM",
    "Award",
    "DrawSeal",
    "DrawTable",
    "PooledGame",
    "Prize",
    "PrizePoolConfig",
    "PrizeRefused",
    "PrizeReservation",
    "PrizeSet",
    "pools_of",
]
