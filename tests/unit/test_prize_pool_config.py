"""Prize-pool config validation, rewards parsed by their issuer plug-in, the static budget
check of a campaign, and how allowances split over shards."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from plugins.allowance import MAX_SHARDS
from plugins.campaigns.model import parse_campaign
from plugins.contracts import Campaign
from plugins.errors import ConfigInvalidError
from plugins.issuance.coupon import CouponSpec
from plugins.issuance.points import PointsSpec
from plugins.prize_pool import Prize, PrizePoolConfig
from plugins.prize_pool.allowances import split, stock_name, wanted
from plugins.registry import issuers
from plugins.types import cents
from tests.conftest import wheel_doc as demo_wheel_doc

COUPON = {"type": "coupon", "type_id": "fr-50-299", "title": "50 off 299", "kind": "full_reduction",
          "threshold": "299.00", "discount": "50.00", "valid_days": 30}
THANKS = {"id": "thanks", "name": "Thanks", "weight": 0, "reward": {"type": "points", "points": 5}}


def allowances(campaign: Campaign) -> dict[str, list[int]]:
    """How apply would spread each allowance of a freshly applied campaign."""
    return {w.name: split(w.total, w.shards) for w in wanted(campaign, cents(campaign.config.budget))}


def prize(pid: str = "gift", **fields: Any) -> dict[str, Any]:
    return {"id": pid, "name": pid, "weight": 10} | fields


def pool(*prizes: dict[str, Any], fallback: str = "thanks") -> PrizePoolConfig:
    return PrizePoolConfig.model_validate({"prizes": list(prizes), "fallback": fallback})


def rejected(*prizes: dict[str, Any], fallback: str = "thanks") -> str:
    with pytest.raises(ValidationError) as caught:
        pool(*prizes, fallback=fallback)
    return str(caught.value)


def test_a_valid_pool() -> None:
    config = pool(prize("gift", stock=10, shards=2, cost="1.50", per_user_cap=1), THANKS)
    assert config.fallback_prize().id == "thanks"
    assert set(config.by_id) == {"gift", "thanks"}


def test_repeated_prize_ids_are_rejected() -> None:
    assert "prize ids repeat: ['gift']" in rejected(prize("gift"), prize("gift"), THANKS)


def test_all_weights_zero_is_rejected() -> None:
    assert "positive weight" in rejected(prize("gift", weight=0), THANKS)


def test_negative_weight_is_rejected() -> None:
    assert "weight" in rejected(prize("gift", weight=-1), THANKS)


def test_fallback_must_be_one_of_the_prizes() -> None:
    message = rejected(prize("gift"), THANKS, fallback="nothing")
    assert "fallback 'nothing' is not one of the prizes" in message


@pytest.mark.parametrize("limit", [{"stock": 100}, {"stock": 0}, {"per_user_cap": 1}, {"cost": "0.01"}],
                         ids=["stock", "zero-stock", "cap", "cost"])
def test_a_limited_fallback_is_rejected(limit: dict[str, Any]) -> None:
    message = rejected(prize("gift"), THANKS | limit)
    assert "fallback prize must be unlimited, uncapped and cost nothing" in message


def test_a_fallback_whose_reward_can_be_refused_is_rejected() -> None:
    message = rejected(prize("gift"), THANKS | {"reward": COUPON})
    assert "the fallback's reward type 'coupon' can be refused" in message


def test_a_fallback_without_reward_or_with_points_is_accepted() -> None:
    assert pool(prize("gift"), THANKS).fallback_prize().reward == PointsSpec(points=5)
    bare = {k: v for k, v in THANKS.items() if k != "reward"}
    assert pool(prize("gift"), bare).fallback_prize().reward is None


def test_shards_apply_only_to_a_prize_with_stock() -> None:
    with pytest.raises(ValidationError, match="shards apply only to a prize with stock"):
        Prize.model_validate(prize("gift", shards=2))
    assert Prize.model_validate(prize("gift", stock=5, shards=2)).shards == 2
    with pytest.raises(ValidationError):
        Prize.model_validate(prize("gift", stock=5, shards=MAX_SHARDS + 1))


def test_prize_ids_are_slugs_and_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Prize.model_validate(prize("Grand Prize"))
    with pytest.raises(ValidationError):
        Prize.model_validate(prize("gift", probability=0.5))


def test_a_reward_is_parsed_by_the_issuer_its_type_names() -> None:
    coupon = Prize.model_validate(prize("gift", reward=COUPON)).reward
    assert isinstance(coupon, CouponSpec)
    assert (coupon.type_id, coupon.kind, coupon.valid_days) == ("fr-50-299", "full_reduction", 30)
    points = Prize.model_validate(prize("gift", reward={"type": "points", "points": 100})).reward
    assert isinstance(points, PointsSpec)
    assert points.points == 100


def test_a_reward_is_validated_by_its_issuers_model() -> None:
    with pytest.raises(ValidationError, match="points"):
        Prize.model_validate(prize("gift", reward={"type": "points", "points": 0}))
    with pytest.raises(ValidationError, match="full_reduction coupon needs threshold"):
        Prize.model_validate(prize("gift", reward={k: v for k, v in COUPON.items() if k != "threshold"}))
    with pytest.raises(ValidationError):  # a coupon field on a points reward
        Prize.model_validate(prize("gift", reward={"type": "points", "points": 5, "kind": "percentage"}))


def test_an_unknown_reward_type_names_the_installed_types() -> None:
    with pytest.raises(ValidationError) as caught:
        Prize.model_validate(prize("gift", reward={"type": "red-packet", "amount": 5}))
    message = str(caught.value)
    assert "unknown reward type 'red-packet'" in message
    for name in issuers():
        assert name in message
    assert {"coupon", "points"} <= set(issuers())


@pytest.mark.parametrize("reward", [{"points": 5}, "points", {"type": 3}])
def test_a_reward_without_a_type_is_rejected(reward: Any) -> None:
    with pytest.raises(ValidationError, match="'type' naming its issuer"):
        Prize.model_validate(prize("gift", reward=reward))


# --- the campaign budget: checked statically when it can be, counted when it must be ------------


def wheel_doc(prizes: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    doc = demo_wheel_doc(**changes)
    doc["games"]["lucky-wheel"]["prizes"] = prizes
    return doc


def demo_prizes() -> list[dict[str, Any]]:
    return demo_wheel_doc()["games"]["lucky-wheel"]["prizes"]


def test_the_demo_can_never_exceed_its_budget_so_it_is_not_counted() -> None:
    # grand 3 x 899 + coupon 200 x 5 + coffee 100 x 6 = 4297.00 <= 5000.00
    campaign = parse_campaign(demo_wheel_doc())
    assert campaign.budget_counted is False
    assert "BUDGET" not in allowances(campaign)


def test_a_budget_exactly_the_worst_case_is_not_counted() -> None:
    assert parse_campaign(demo_wheel_doc(budget="4297.00")).budget_counted is False


def test_a_budget_below_the_worst_case_is_counted() -> None:
    campaign = parse_campaign(demo_wheel_doc(budget="4296.99", budget_shards=3))
    assert campaign.budget_counted is True
    assert allowances(campaign)["BUDGET"] == [143233, 143233, 143233]


def test_an_unlimited_prize_with_a_cost_makes_the_budget_counted() -> None:
    prizes = demo_prizes()
    coffee = next(p for p in prizes if p["id"] == "coffee")
    del coffee["stock"]
    campaign = parse_campaign(wheel_doc(prizes))
    assert campaign.budget_counted is True
    assert sum(allowances(campaign)["BUDGET"]) == 500000


def test_an_unlimited_prize_without_cost_keeps_the_budget_static() -> None:
    prizes = [prize("hat", stock=None, cost="0"), prize("mug", stock=10, cost="1.00"), THANKS]
    assert parse_campaign(wheel_doc(prizes, budget="10.00")).budget_counted is False


def test_a_prize_dearer_than_the_whole_budget_is_rejected() -> None:
    expected = r"games.lucky-wheel.prizes.0.cost: 899.00 is more than the budget 500.00"
    with pytest.raises(ConfigInvalidError, match=expected):
        parse_campaign(demo_wheel_doc(budget="500.00"))


def test_stock_allowances_follow_the_shards() -> None:
    prizes = [prize("mug", stock=10, shards=3), THANKS]
    assert allowances(parse_campaign(wheel_doc(prizes)))[stock_name("wheel", "mug")] == [4, 3, 3]


def test_a_coupon_window_mixing_offsets_is_reported_as_config_invalid() -> None:
    prizes = demo_prizes()
    coffee = next(p for p in prizes if p["id"] == "coffee")
    coffee["reward"]["valid_from"] = "2026-01-01T00:00:00+08:00"  # valid_until stays wall time
    with pytest.raises(ConfigInvalidError, match=r"coffee|prizes"):
        parse_campaign(wheel_doc(prizes))


def test_a_campaign_window_mixing_offsets_is_reported_as_config_invalid() -> None:
    with pytest.raises(ConfigInvalidError, match=r"starts_at|ends_at"):
        parse_campaign(demo_wheel_doc(starts_at="2026-01-01T00:00:00+08:00"))  # ends_at is wall time


# --- split -------------------------------------------------------------------------------------


def test_split_examples() -> None:
    assert split(10, 3) == [4, 3, 3]
    assert split(9, 3) == [3, 3, 3]
    assert split(2, 3) == [1, 1, 0]
    assert split(0, 2) == [0, 0]
    assert split(7, 1) == [7]


@given(total=st.integers(min_value=0, max_value=10**9), shards=st.integers(min_value=1, max_value=20))
def test_split_spreads_the_whole_total_evenly(total: int, shards: int) -> None:
    parts = split(total, shards)
    assert len(parts) == shards
    assert sum(parts) == total
    assert max(parts) - min(parts) <= 1
    assert min(parts) >= 0
    assert parts == sorted(parts, reverse=True)  # the larger shards come first


def test_a_stock_cut_takes_from_the_shards_with_most_left() -> None:
    from plugins.prize_pool.allowances import Shard, _deltas

    # GIVEN two shards of 5: the first sold out, the second untouched
    shards = [Shard(5, 0), Shard(5, 5)]
    # WHEN the total drops by 3, THEN the 3 come off the second; a cut of 6 cannot be made
    assert _deltas(shards, -3) == [0, -3]
    assert _deltas(shards, -5) == [0, -5]
    assert _deltas(shards, -6) is None
    assert _deltas(shards, 3) == [2, 1]
