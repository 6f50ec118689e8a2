"""What can send a drawn prize to the pool's fallback, in the order it is checked, and what
per-member caps do to a pool's odds.

Pure rules, shared by the reservation (where each limit is a condition on the award's write,
`reservation.py`) and the forecast (where each is a count in memory, `plugins.forecast`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import comb

from plugins.prize_pool.model import Prize, PrizePoolConfig

__all__ = ["BUDGET", "CAP", "REWARD", "STOCK", "capped_odds", "limits_of"]

BUDGET, STOCK, CAP, REWARD = "budget", "stock", "cap", "reward"


def limits_of(prize: Prize, budget_counted: bool) -> tuple[str, ...]:
    """The limits that can refuse `prize`, in the order they are checked: the campaign budget
    (when it is counted and the prize costs something), the prize's stock, the member's cap,
    and its reward's issuer (a coupon's collection limits, anti-harassment)."""
    found = []
    if prize.cost and budget_counted:
        found.append(BUDGET)
    if prize.stock is not None:
        found.append(STOCK)
    if prize.per_user_cap:
        found.append(CAP)
    if prize.reward is not None:
        found.append(REWARD)
    return tuple(found)


def _capped_share(p: Fraction, draws: int, cap: int) -> Fraction:
    """E[min(X, cap)] / draws for X ~ Binomial(draws, p): the share of `draws` a capped prize
    is really awarded in (each draw of it beyond the cap falls back)."""
    if cap >= draws:
        return p
    below = sum(j * comb(draws, j) * p**j * (1 - p) ** (draws - j) for j in range(cap))
    at_most_below = sum(comb(draws, j) * p**j * (1 - p) ** (draws - j) for j in range(cap))
    return Fraction(below + cap * (1 - at_most_below)) / draws


def capped_odds(pool: PrizePoolConfig, draws: int) -> dict[str, Decimal]:
    """Each prize's chance per draw, in percent to two decimals, over a member's first `draws`
    draws once per-member caps send the draws beyond a cap to the fallback (stock, budget and
    reward limits aside: they depend on everyone's play, see `plugins.forecast`)."""
    if draws < 1:
        raise ValueError("draws must be at least 1")
    total = sum(p.weight for p in pool.prizes)
    shares = {p.id: Fraction(p.weight, total) for p in pool.prizes}
    for prize in pool.prizes:
        if prize.per_user_cap and prize.id != pool.fallback:
            capped = _capped_share(shares[prize.id], draws, prize.per_user_cap)
            shares[pool.fallback] += shares[prize.id] - capped
            shares[prize.id] = capped
    return {pid: (Decimal(share.numerator * 100) / share.denominator).quantize(Decimal("0.01"))
            for pid, share in shares.items()}
