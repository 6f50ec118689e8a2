"""The assist section of a campaign file: each variant's requirements, the new-user rule,
and the weighted card draw."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from games.assist.config import AssistConfig
from plugins.campaigns.model import parse_campaign
from plugins.errors import ConfigInvalidError
from tests.conftest import ROOT, demo_doc

POOL = {"fallback": "thanks",
        "prizes": [{"id": "thanks", "name": "Thanks", "weight": 1,
                    "reward": {"type": "points", "points": 5}}]}
START = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def section(**changes: Any) -> AssistConfig:
    return AssistConfig.model_validate(POOL | changes)


def test_defaults() -> None:
    config = section()
    assert (config.mode, config.helpers_needed, config.task_hours, config.max_open_tasks) == (
        "helpers", 3, 24, 1)
    assert (config.helps_per_day, config.new_users_only, config.new_user_days) == (5, False, 7)
    assert config.block_same_device and config.block_same_ip
    assert config.prize_pools() == {"assist": config}


@pytest.mark.parametrize(("changes", "reason"), [
    ({"mode": "cut"}, "give `cut` exactly when mode is cut"),
    ({"cut": {"price": "10.00", "floor": "1.00"}}, "give `cut` exactly when mode is cut"),
    ({"mode": "cards"}, "give `cards` exactly when mode is cards"),
    ({"mode": "cards", "cards": [{"id": "a", "name": "A"}]}, "at least two cards"),
    ({"mode": "cards", "cards": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]},
     "distinct ids"),
    ({"mode": "cut", "cut": {"price": "10.00", "floor": "10.00"}}, "floor must be below price"),
    ({"mode": "cut", "helpers_needed": 5, "cut": {"price": "1.04", "floor": "1.00"}},
     "cannot give 5 helpers"),
    ({"mode": "cut", "cut": {"price": "10.00", "floor": "1.00", "min_cut": "0"}}, "greater than 0"),
    ({"max_open_tasks": 0}, "greater than or equal to 1"),
    ({"surprise": True}, "Extra inputs are not permitted"),
])
def test_invalid_sections(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        section(**changes)


def test_a_campaign_reports_the_assist_path() -> None:
    doc = demo_doc(games={"assist": POOL | {"mode": "cut"}})
    with pytest.raises(ConfigInvalidError, match=r"games\.assist: .*give `cut`"):
        parse_campaign(doc)


def test_the_tightest_cut_is_valid() -> None:
    config = section(mode="cut", helpers_needed=4, cut={"price": "1.04", "floor": "1.00"})
    assert config.need == 4


@pytest.mark.parametrize(("registered", "days", "new"), [
    (None, 7, False),                              # no `reg` claim: never new
    (NOW - timedelta(days=3), 7, True),            # within the last 7 days
    (NOW - timedelta(days=30), 7, True),           # long ago, but after the campaign start
    (START - timedelta(days=1), 7, False),         # before the start, more than 7 days ago
    (START - timedelta(days=1), 365, True),        # within a long window
    (START - timedelta(days=1), None, False),      # only "since the start" counts
])
def test_new_user_rule(registered: datetime | None, days: int | None, new: bool) -> None:
    assert section(new_user_days=days).is_new_user(registered, NOW, START) is new


def test_cards_are_drawn_by_weight() -> None:
    config = section(mode="cards", cards=[{"id": "common", "name": "C", "weight": 9},
                                          {"id": "rare", "name": "R", "weight": 1}])
    rng = Random(3)
    drawn = Counter(config.draw_card(rng).id for _ in range(10_000))
    assert 850 < drawn["rare"] < 1150 and drawn["common"] + drawn["rare"] == 10_000


def test_the_documented_demo_section_validates() -> None:
    """The example in docs/games/assist.md is the section proposed for examples/demo.yaml."""
    page = (ROOT / "docs" / "games" / "assist.md").read_text()
    block = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = demo_doc()
    doc["games"] |= yaml.safe_load(block)
    campaign = parse_campaign(doc)
    assert campaign.game("assist") is not None and not campaign.budget_counted
