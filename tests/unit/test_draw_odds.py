"""The draw's odds: each prize comes up with probability weight / total weight, never for a
zero weight, from the day's seed for a player's draw (a CSPRNG for the rest); checked on the
table alone and through the wheel."""

from __future__ import annotations

import inspect
import random
import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from scipy.stats import chisquare

from plugins.prize_pool import SYSTEM_RANDOM, DrawTable, PrizePoolConfig, PrizeReservation
from plugins.prize_pool.seeds import day_seed, derive_number, ticket
from plugins.runtime import Runtime, runtime
from tests.conftest import Apply, GameClient, demo_doc

ALPHA = 0.001
WEIGHTS = {"grand": 1, "coupon": 20, "coffee": 30, "points": 49}


def pool(weights: dict[str, int]) -> PrizePoolConfig:
    """A pool with these weights plus a zero-weight prize in the middle and a zero-weight fallback."""
    prizes: list[dict[str, Any]] = [{"id": pid, "name": pid, "weight": w} for pid, w in weights.items()]
    prizes.insert(2, {"id": "ghost", "name": "never drawn", "weight": 0})
    prizes.append({"id": "thanks", "name": "Thanks", "weight": 0, "reward": {"type": "points", "points": 5}})
    return PrizePoolConfig.model_validate({"prizes": prizes, "fallback": "thanks"})


def draws(weights: dict[str, int], n: int, seed: int) -> Counter[str]:
    table, rng = DrawTable(pool(weights)), random.Random(seed)
    return Counter(table.draw(rng).id for _ in range(n))


def p_value(counts: Counter[str], weights: dict[str, int]) -> float:
    """Chi-square goodness of fit of `counts` against `weights` (every weighted id a category)."""
    ids: Sequence[str] = list(weights)
    total, n = sum(weights.values()), sum(counts[i] for i in ids)
    observed = [counts[i] for i in ids]
    expected = [n * weights[i] / total for i in ids]
    return float(chisquare(observed, expected).pvalue)


def test_draws_follow_the_weights() -> None:
    counts = draws(WEIGHTS, 200_000, seed=20261111)
    assert set(counts) == set(WEIGHTS)  # the rarest prize does come up
    assert p_value(counts, WEIGHTS) > ALPHA, counts


def test_draws_from_the_days_seed_follow_the_weights() -> None:
    """The players' randomness source: HMAC of the day's seed over each draw's identity."""
    table, seed = DrawTable(pool(WEIGHTS)), day_seed("demo", date(2026, 11, 23))
    counts = Counter(table.pick(ticket(derive_number(seed, "demo", f"m-{i % 997}", f"k-{i}", f"d-{i}"),
                                       table.total_weight)).id for i in range(200_000))
    assert set(counts) == set(WEIGHTS)
    assert p_value(counts, WEIGHTS) > ALPHA, counts


@pytest.mark.parametrize("change", [{"grand": 2}, {"coffee": 33}], ids=["grand-doubled", "coffee-33"])
def test_the_same_test_rejects_a_skewed_pool(change: dict[str, int]) -> None:
    """Negative control: counts from a pool with one weight changed fail the same test."""
    skewed = WEIGHTS | change
    counts = draws(skewed, 200_000, seed=20261111)
    assert p_value(counts, WEIGHTS) < ALPHA, counts
    assert p_value(counts, skewed) > ALPHA, counts


def test_zero_weight_prizes_are_never_drawn() -> None:
    counts = draws(WEIGHTS, 200_000, seed=7)
    assert counts["ghost"] == 0
    assert counts["thanks"] == 0
    assert sum(counts.values()) == 200_000


class Tickets(random.Random):
    """A random source that hands out given tickets, to check the table's boundaries."""

    def __init__(self, tickets: list[int]) -> None:
        super().__init__(0)
        self.tickets = list(tickets)
        self.ranges: list[tuple[Any, ...]] = []

    def randrange(self, *args: Any, **kwargs: Any) -> int:
        self.ranges.append(args)
        return self.tickets.pop(0)


def test_each_ticket_maps_to_exactly_its_prize() -> None:
    """Tickets 0..99 over weights 1/20/30/49: 0 is grand, 1-20 coupon, 21-50 coffee, 51-99 points."""
    table = DrawTable(pool(WEIGHTS))
    assert table.total_weight == 100
    rng = Tickets(list(range(100)))
    got = Counter(table.draw(rng).id for _ in range(100))
    assert got == Counter(WEIGHTS)
    assert rng.ranges == [(100,)] * 100  # one ticket out of the total weight per draw
    edges = Tickets([0, 1, 20, 21, 50, 51, 99])
    assert [table.draw(edges).id for _ in range(7)] == [
        "grand", "coupon", "coupon", "coffee", "coffee", "points", "points",
    ]


def test_the_default_random_source_is_the_system_csprng(monkeypatch: pytest.MonkeyPatch) -> None:
    assert type(SYSTEM_RANDOM) is secrets.SystemRandom
    assert inspect.signature(DrawTable.draw).parameters["rng"].default is SYSTEM_RANDOM
    assert inspect.signature(PrizeReservation.__init__).parameters["rng"].default is SYSTEM_RANDOM
    assert Runtime().rng is SYSTEM_RANDOM
    # and a draw without an rng really asks it
    asked: list[int] = []

    def randrange(stop: int) -> int:
        asked.append(stop)
        return 0

    monkeypatch.setattr(SYSTEM_RANDOM, "randrange", randrange)
    assert DrawTable(pool(WEIGHTS)).draw().id == "grand"
    assert asked == [100]


FULL_PATH_WEIGHTS = {"rare": 5, "small": 15, "medium": 30, "common": 50}
FULL_PATH_DRAWS = 400


def full_path_doc() -> dict[str, Any]:
    """Unlimited, uncapped, cost-free prizes and no chance or velocity limit in the way."""
    doc = demo_doc(velocity={"per_device": 100_000, "per_ip": 100_000})
    prizes: list[dict[str, Any]] = [
        {"id": pid, "name": pid, "weight": w, "reward": {"type": "points", "points": i + 1}}
        for i, (pid, w) in enumerate(FULL_PATH_WEIGHTS.items())
    ]
    prizes.append({"id": "ghost", "name": "never drawn", "weight": 0})
    prizes.append({"id": "thanks", "name": "Thanks", "weight": 0, "reward": {"type": "points", "points": 5}})
    doc["games"]["lucky-wheel"] = {"chances_per_day": None, "chances_total": None,
                                   "fallback": "thanks", "prizes": prizes}
    return doc


@pytest.mark.slow
def test_draws_through_the_wheel_follow_the_weights(
    apply: Apply, wheel: GameClient, monkeypatch: pytest.MonkeyPatch,
) -> None:
    apply(full_path_doc())
    monkeypatch.setattr(runtime, "rng", random.Random(7))  # restored after the test
    awarded: Counter[str] = Counter()
    for i in range(FULL_PATH_DRAWS):
        reply = wheel.call("POST", "/campaigns/demo/draws", member=f"odds-{i % 40}",
                           device=f"dev-{i % 40}", key=f"odds-draw-{i:05d}")
        assert reply.status == 201, reply.body
        assert reply.body["fallback"] is False, reply.body
        awarded[reply.body["prize"]["id"]] += 1
    assert sum(awarded.values()) == FULL_PATH_DRAWS
    assert set(awarded) == set(FULL_PATH_WEIGHTS)  # never ghost, never the fallback
    assert p_value(awarded, FULL_PATH_WEIGHTS) > ALPHA, awarded
