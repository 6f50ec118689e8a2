# ruff: noqa: RUF001  (the pages speak Chinese: their full-width punctuation is meant)
"""The landing page and the lucky wheel's page, played in Chromium as a member would."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.browser.conftest import Player, Stack, demo_doc, screenshot


def test_the_landing_page_signs_in_and_links_every_game(player: Player, stack: Stack) -> None:
    page = player("lena")
    links = page.eval_on_selector_all("#games a", "links => links.map(a => a.getAttribute('href'))")
    assert "/lucky-wheel/page/?campaign=demo" in links
    screenshot(page, "landing")


def test_the_wheel_spins_until_no_chance_is_left(player: Player, stack: Stack) -> None:
    page = player("wendy")
    page.click("text=lucky-wheel")
    page.wait_for_selector("#wheel span")
    assert page.inner_text("#chances") == "今日剩余 3 次"
    assert page.inner_text("#limit") == "受每日次数限制（每天 3 次），活动期间还剩 20 次"
    for left in (2, 1, 0):
        page.click("#spin")
        page.wait_for_function(f"document.querySelector('#chances').textContent === '今日剩余 {left} 次'")
        assert page.inner_text("#result").startswith(("恭喜获得", "谢谢参与"))
    assert page.is_disabled("#spin")
    assert page.inner_text("#limit") == "受每日次数限制（每天 3 次），活动期间还剩 17 次，明天再来"
    page.wait_for_function("document.querySelectorAll('#mine li').length === 3")
    screenshot(page, "lucky-wheel")


def test_a_gold_member_signed_in_locally_has_the_gold_tiers_chances(player: Player, stack: Stack) -> None:
    page = player("goldie", "gold")
    page.click("text=lucky-wheel")
    page.wait_for_selector("#wheel span")
    assert page.inner_text("#chances") == "今日剩余 5 次"  # the demo's chances_by_tier


def test_the_wheel_says_when_the_campaign_limit_binds(player: Player, stack: Stack, tmp_path: Path) -> None:
    doc = demo_doc()
    doc |= {"id": "wheel-cap", "games": {"lucky-wheel": doc["games"]["lucky-wheel"] | {"chances_total": 2}}}
    campaign = stack.apply(doc, tmp_path)
    page = player("cleo")
    page.goto(f"{stack.url}/lucky-wheel/page/?campaign={campaign}")
    # three a day, but two in the whole campaign: the page promises two, and says why
    page.wait_for_function("document.querySelector('#chances').textContent === '活动剩余 2 次'")
    assert page.inner_text("#limit") == "受活动总次数限制（共 2 次）"
    assert page.get_attribute("#chances", "data-binding") == "campaign"
    page.click("#spin")
    page.wait_for_function("document.querySelector('#chances').textContent === '活动剩余 1 次'")
    page.click("#spin")
    page.wait_for_function("document.querySelector('#chances').textContent === '抽奖次数已用完'")
    assert page.inner_text("#limit") == "受活动总次数限制（共 2 次），已全部用完"
    assert page.is_disabled("#spin")
    page.wait_for_function("document.querySelectorAll('#mine li').length === 2")
    screenshot(page, "lucky-wheel-campaign-limit")


def report_when(stack: Stack, campaign: str, ready: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The campaign's report once `ready` (the local stack aggregates its stream every second)."""
    deadline = time.monotonic() + 20
    while True:
        report: dict[str, Any] = json.loads(stack.mgames("report", campaign))
        if ready(report) or time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def test_opening_and_playing_the_page_reaches_the_report(player: Player, stack: Stack,
                                                         tmp_path: Path) -> None:
    campaign = stack.apply(demo_doc() | {"id": "visited"}, tmp_path)
    page = player("vic")
    page.goto(f"{stack.url}/lucky-wheel/page/?campaign={campaign}")
    page.wait_for_selector("#wheel span")
    opened = report_when(stack, campaign, lambda r: r["funnel"]["visitors"] > 0)
    assert (opened["funnel"]["visitors"], opened["funnel"]["players"]) == (1, 0)
    page.click("#spin")
    page.wait_for_selector("#result:not(:empty)")
    played = report_when(stack, campaign, lambda r: r["funnel"]["players"] > 0)
    assert played["plays"] == {"lucky-wheel": 1} and played["funnel"]["visitors"] == 1
    assert played["days"][0]["visitors"] == played["days"][0]["players"] == 1
