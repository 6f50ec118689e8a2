"""The cut [砍价] arithmetic: whatever the price, floor, helpers and random draws, the cuts sum
to price - floor, each cuts at least the minimum unit, and the last lands on the floor."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from games.assist.cuts import cut_schedule, next_cut


@st.composite
def tasks(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """(to_cut, helpers, unit, seed) with room for every helper to cut at least `unit`."""
    helpers = draw(st.integers(min_value=1, max_value=100))
    unit = draw(st.integers(min_value=1, max_value=500))
    to_cut = draw(st.integers(min_value=helpers * unit, max_value=helpers * unit + 10_000_000))
    return to_cut, helpers, unit, draw(st.integers(min_value=0, max_value=2**32))


@given(tasks())
def test_cuts_sum_to_price_minus_floor_and_respect_the_unit(task: tuple[int, int, int, int]) -> None:
    to_cut, helpers, unit, seed = task
    cuts = cut_schedule(to_cut, helpers, unit, Random(seed))
    assert len(cuts) == helpers
    assert sum(cuts) == to_cut
    assert all(cut >= unit for cut in cuts)


@given(tasks())
def test_every_step_leaves_enough_and_the_last_lands_exactly(task: tuple[int, int, int, int]) -> None:
    to_cut, helpers, unit, seed = task
    rng, left = Random(seed), to_cut
    for remaining_helpers in range(helpers, 0, -1):
        cut = next_cut(left, remaining_helpers, unit, rng)
        left -= cut
        # each helper still to come can cut at least the unit
        assert left >= unit * (remaining_helpers - 1)
        # nobody takes more than twice his fair share (unless the unit forces it)
        assert cut <= max(unit, 2 * (left + cut) // remaining_helpers) or remaining_helpers == 1
    assert left == 0


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=2**32))
def test_the_tightest_budget_cuts_exactly_the_unit(helpers: int, seed: int) -> None:
    assert cut_schedule(helpers * 7, helpers, 7, Random(seed)) == [7] * helpers


@pytest.mark.parametrize(("to_cut", "helpers", "unit"), [(9, 10, 1), (10, 0, 1), (10, 2, 0)])
def test_impossible_cuts_are_refused(to_cut: int, helpers: int, unit: int) -> None:
    with pytest.raises(ValueError, match="cannot cut"):
        next_cut(to_cut, helpers, unit, Random(1))


def test_cuts_average_the_fair_share() -> None:
    rng = Random(7)
    firsts = [next_cut(10_000, 10, 1, rng) for _ in range(4000)]
    assert 900 < sum(firsts) / len(firsts) < 1100
