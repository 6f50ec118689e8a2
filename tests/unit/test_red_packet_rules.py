"""Red-packet rules as pure functions: the split (a hypothesis property), the diminishing
amounts, the window, the config's validation, and the brand role on tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from games.red_packet.config import Diminishing, OrderTrigger, RedPacketConfig
from games.red_packet.rules import diminished, window_period
from games.red_packet.split import equal_split, random_split, split
from plugins.campaigns.model import parse_campaign
from plugins.errors import ConfigInvalidError
from tests.conftest import demo_doc


@st.composite
def splits(draw: Any) -> tuple[int, int, int]:
    count = draw(st.integers(min_value=1, max_value=100))
    minimum = draw(st.integers(min_value=0, max_value=500))
    total = draw(st.integers(min_value=count * minimum, max_value=count * minimum + 1_000_000))
    return total, count, minimum


@given(splits(), st.randoms(use_true_random=False))
def test_a_random_split_adds_up_exactly_and_respects_the_minimum(case: tuple[int, int, int],
                                                                 rng: Random) -> None:
    total, count, minimum = case
    parts = random_split(total, count, minimum, rng)
    assert len(parts) == count
    assert sum(parts) == total
    assert all(isinstance(p, int) and p >= minimum for p in parts)


@given(splits())
def test_an_equal_split_spreads_the_remainder_by_the_cent(case: tuple[int, int, int]) -> None:
    total, count, minimum = case
    parts = equal_split(total, count, minimum)
    assert (len(parts), sum(parts)) == (count, total)
    assert max(parts) - min(parts) <= 1 and min(parts) >= minimum


def test_a_random_split_varies_and_impossible_splits_are_refused() -> None:
    rng = Random(7)
    assert len({tuple(split("random", 1000, 5, 1, rng)) for _ in range(20)}) > 1
    assert split("equal", 1001, 5, 1, rng) == [201, 200, 200, 200, 200]
    with pytest.raises(ValueError, match="cannot split"):
        random_split(4, 5, 1, rng)
    with pytest.raises(ValueError, match="cannot split"):
        equal_split(10, 0)


def section(**changes: Any) -> dict[str, Any]:
    return {"order": {"min_amount": "99.00", "percent": "10", "cap": "20.00"}, "parts": 5} | changes


RULE = Diminishing(window="day", factors=(Decimal(1), Decimal("0.5")), floor=Decimal("0.05"))


@pytest.mark.parametrize(("part", "earlier", "got"), [
    (100, 0, 100), (100, 1, 50), (100, 2, 5), (100, 9, 5),  # full, half, then the floor
    (7, 1, 5), (3, 1, 3), (3, 2, 3),  # never below the floor, never above the part
    (101, 1, 50),  # cents round down: what is held back returns to the budget
])
def test_diminished_amounts(part: int, earlier: int, got: int) -> None:
    assert diminished(part, earlier, RULE) == got
    assert diminished(part, earlier, None) == part


def test_the_window_is_the_campaign_day_or_iso_week() -> None:
    campaign = parse_campaign(demo_doc(games={"red-packet": section()}))
    # 2026-11-23 20:00 UTC is already the 24th in Asia/Shanghai
    late = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    day, day_ttl = window_period("day", campaign, late)
    assert day == "2026-11-24"
    assert day_ttl == int(datetime(2026, 11, 26, 16, 0, tzinfo=UTC).timestamp())
    assert window_period("week", campaign, late)[0] == "2026-W48"
    assert window_period("week", campaign, late + timedelta(days=6))[0] == "2026-W49"


@pytest.mark.parametrize(("changes", "reason"), [
    ({"order": {"fixed": "5.00", "percent": "5", "cap": "9.00"}}, "either fixed or percent"),
    ({"order": {"percent": "5"}}, "percent needs a cap"),
    ({"order": {"fixed": "5.00", "cap": "9.00"}}, "cap goes with percent"),
    ({"order": {"min_amount": "0.10", "percent": "10", "cap": "20.00"}}, "fewer than parts x min_part"),
    ({"action": {"amount": "0.04"}}, "action.amount gives 4 cents"),
    ({"parts": 0}, "greater than or equal to 1"),
    ({"sharer_bonus": {"after_grabs": 6, "reward": {"type": "cash", "amount": "1.00"}}},
     "cannot exceed parts"),
    ({"sharer_bonus": {"after_grabs": 2, "reward": {"type": "coupon", "type_id": "x", "title": "X",
                                                    "kind": "cash_voucher", "discount": "1.00",
                                                    "valid_days": 3}}}, "cannot be refused"),
    ({"coupon": {"type": "cash", "amount": "1.00"}}, "put it in the packet"),
    ({"diminishing": {"factors": ["0.5", "1.0"]}}, "must not grow"),
    ({"diminishing": {"factors": ["1.5"]}}, "less than or equal to 1"),
    ({"split": "weighted"}, "'random' or 'equal'"),
])
def test_config_problems_name_the_field(changes: dict[str, Any], reason: str) -> None:
    doc = demo_doc(games={"red-packet": section(**changes)})
    with pytest.raises(ConfigInvalidError) as problem:
        parse_campaign(doc)
    assert problem.value.message.startswith("games.red-packet"), problem.value.message
    assert reason in problem.value.message


def test_red_packets_count_the_budget_unless_their_own_budget_bounds_them() -> None:
    doc = demo_doc(budget="1000.00")
    doc["games"] = {"red-packet": section()}
    # without a packets' budget nothing bounds them: the campaign budget is counted
    assert parse_campaign(doc).budget_counted is True
    # a packets' budget bounds them: config proves the campaign budget when it fits
    doc["games"]["red-packet"] = section(packets_budget="1000.00")
    assert parse_campaign(doc).budget_counted is False
    doc["games"]["red-packet"] = section(packets_budget="1000.01")
    assert parse_campaign(doc).budget_counted is True
    # switched off, or no trigger on: they cost nothing
    doc["games"]["red-packet"] = section(enabled=False)
    assert parse_campaign(doc).budget_counted is False
    assert RedPacketConfig.model_validate(section(order=None)).max_cost() == 0


def test_order_totals() -> None:
    percent = OrderTrigger(min_amount=Decimal(99), percent=Decimal("7.5"), cap=Decimal(20))
    assert percent.total_for(9999) == 749  # floor of 7.5 %
    assert percent.total_for(1_000_000) == 2000  # capped
    assert OrderTrigger(fixed=Decimal("8.88")).total_for(1) == 888


