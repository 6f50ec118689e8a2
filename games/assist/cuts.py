"""The cut [砍价] arithmetic, in integer cents and pure so a property test can hold it to account.

Contract: with `to_cut` cents left between the current price and the floor and `helpers_left`
helps still needed (this one included), a help cuts at least `unit` cents, leaves at least
`unit` for each helper after it, and the last help cuts exactly what is left, so the price
lands on the floor. Cuts are drawn in [unit, min(what may go, twice the fair share)]: on
average each helper cuts his fair share, and nobody can take everything early.
"""

from __future__ import annotations

from random import Random

__all__ = ["cut_schedule", "next_cut"]


def next_cut(to_cut: int, helpers_left: int, unit: int, rng: Random) -> int:
    """Cents the next help cuts; ValueError if the helpers left cannot each cut `unit`."""
    if unit < 1 or helpers_left < 1 or to_cut < unit * helpers_left:
        raise ValueError(f"cannot cut {to_cut} cents in {helpers_left} helps of at least {unit}")
    if helpers_left == 1:
        return to_cut
    most = to_cut - unit * (helpers_left - 1)
    double_fair = 2 * to_cut // helpers_left
    return rng.randint(unit, max(unit, min(most, double_fair)))


def cut_schedule(to_cut: int, helpers: int, unit: int, rng: Random) -> list[int]:
    """Every cut of a task from its first help to its last, as the helps would draw them."""
    cuts = []
    for left in range(helpers, 0, -1):
        cut = next_cut(to_cut, left, unit, rng)
        cuts.append(cut)
        to_cut -= cut
    return cuts
