"""The check-in and booking pages, played in Chromium as a member would."""

from __future__ import annotations

from tests.browser.conftest import Player, screenshot


def test_a_check_in_shows_on_the_cycle_calendar(player: Player, stack: str) -> None:
    page = player("carol")
    page.goto(stack + "/check-in/page/?campaign=demo")
    page.wait_for_selector("#calendar .day")
    assert page.locator("#calendar .day").count() == 7
    assert page.inner_text("#streak") == "已连续签到 0 天"
    page.click("#check-in")
    page.wait_for_selector("#calendar .day.checked.today")
    assert page.inner_text("#streak") == "已连续签到 1 天"
    assert page.inner_text("#check-in") == "今日已签到"
    assert page.inner_text("#result").startswith("签到成功")
    assert "连签 3 天" in page.inner_text("#milestones")
    screenshot(page, "check-in")


def test_a_booking_shows_its_pick_up_code_and_can_be_cancelled(player: Player, stack: str) -> None:
    page = player("bruno")
    page.goto(stack + "/booking/page/?campaign=demo")
    page.wait_for_selector("#day option", state="attached")
    last_day = page.eval_on_selector("#day", "select => select.options[select.options.length - 1].value")
    page.select_option("#day", last_day)  # its pick-up is still to come at any hour
    page.click("#book")
    code = page.wait_for_selector("#mine .code")
    assert code is not None and code.inner_text().strip()
    assert "待取货" in page.inner_text("#mine")
    screenshot(page, "booking")
    page.click("#mine button:has-text('取消')")
    page.wait_for_function("document.querySelector('#mine').textContent.includes('已取消')")
