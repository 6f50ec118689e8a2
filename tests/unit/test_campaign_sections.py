"""A stored campaign, as the functions load it: campaign-wide fields checked at once, each
game's section validated on first use and then shared, the stored budget flag trusted."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from games.lucky_wheel import WheelConfig
from plugins.campaigns.model import parse_campaign, stored_campaign
from plugins.errors import ConfigInvalidError, GameNotEnabledError
from tests.conftest import demo_doc, wheel_doc


def test_a_section_is_validated_when_first_used_and_then_kept() -> None:
    # GIVEN a stored version whose other section no longer validates (say, a newer game model)
    doc = wheel_doc()
    doc["games"]["check-in"] = {"no_such_field": 1}
    campaign = stored_campaign(doc, 3, counted=False)

    # THEN the wheel's own section serves, parsed once
    wheel = campaign.section("lucky-wheel", WheelConfig)
    assert campaign.game("lucky-wheel") is wheel
    assert campaign.game("booking") is None  # not in the campaign: nothing to load
    # ... and the broken one fails only where it is used, naming its path
    with pytest.raises(ConfigInvalidError, match=r"games\.check-in\.no_such_field"):
        campaign.game("check-in")
    with pytest.raises(ConfigInvalidError, match=r"games\.check-in\.no_such_field"):
        campaign.games  # noqa: B018 (every section, as reports use them)


def test_every_section_in_the_files_order_and_a_disabled_one_is_not_served() -> None:
    doc = demo_doc()
    doc["games"]["booking"]["enabled"] = False
    campaign = stored_campaign(doc, 1, counted=True)

    assert list(campaign.games) == list(doc["games"])
    assert campaign.games == parse_campaign(doc).games
    assert campaign.game("booking") is None
    with pytest.raises(GameNotEnabledError):
        campaign.section("booking", WheelConfig)


def test_the_stored_budget_flag_is_trusted_and_the_campaign_fields_still_checked() -> None:
    # A budget below the wheel's worst case must be counted: apply stored that, not loading.
    assert parse_campaign(wheel_doc(budget="4000.00")).budget_counted is True
    assert stored_campaign(wheel_doc(budget="4000.00"), 1, counted=False).budget_counted is False
    with pytest.raises(ConfigInvalidError, match="timezone"):
        stored_campaign(wheel_doc(timezone="Mars/Olympus"), 1, counted=False)


def test_threads_racing_on_a_first_use_share_one_section() -> None:
    campaign = stored_campaign(demo_doc(), 1, counted=False)
    start = threading.Barrier(16)

    def first_use(_: int) -> int:
        start.wait()
        return id(campaign.game("lucky-wheel"))

    with ThreadPoolExecutor(max_workers=16) as pool:
        seen = set(pool.map(first_use, range(16)))

    assert seen == {id(campaign.game("lucky-wheel"))}
