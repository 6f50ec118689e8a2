"""Splitting a packet's total into its parts (pure functions, integer cents).

A packet is split once, when it is made, and its parts are stored with it: a grab takes one
stored part, so the parts always add up to the total exactly, whatever the grabbers do.
"""

from __future__ import annotations

from itertools import pairwise
from random import Random

__all__ = ["equal_split", "random_split", "split"]


def _check(total: int, count: int, minimum: int) -> None:
    if count < 1 or minimum < 0 or total < count * minimum:
        raise ValueError(f"cannot split {total} into {count} parts of at least {minimum}")


def random_split(total: int, count: int, minimum: int, rng: Random) -> list[int]:
    """`count` parts of at least `minimum` adding up to `total`, at random.

    What is left above the minimums is cut at `count - 1` uniformly random points, so every
    part is equally likely to be the lucky one; `rng` is the runtime's CSPRNG in production.
    """
    _check(total, count, minimum)
    spare = total - count * minimum
    cuts = sorted(rng.randint(0, spare) for _ in range(count - 1))
    bounds = [0, *cuts, spare]
    return [minimum + high - low for low, high in pairwise(bounds)]


def equal_split(total: int, count: int, minimum: int = 0) -> list[int]:
    """`count` parts as equal as whole cents allow: the remainder spread one cent each."""
    _check(total, count, minimum)
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def split(kind: str, total: int, count: int, minimum: int, rng: Random) -> list[int]:
    """The parts of a packet as config's `split` (random or equal) says."""
    if kind == "equal":
        return equal_split(total, count, minimum)
    return random_split(total, count, minimum, rng)
