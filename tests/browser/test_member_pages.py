"""The check-in, booking and coupon-center pages, played in Chromium as a member would."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import Player, Stack, screenshot


def test_a_check_in_shows_on_the_cycle_calendar(player: Player, stack: Stack) -> None:
    page = player("carol")
    page.goto(stack.url + "/check-in/page/?campaign=demo")
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


def test_a_booking_shows_its_pick_up_code_and_can_be_cancelled(player: Player, stack: Stack) -> None:
    page = player("bruno")
    page.goto(stack.url + "/booking/page/?campaign=demo")
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


def test_a_claimed_partner_coupon_shows_with_its_code(player: Player, stack: Stack, tmp_path: Path) -> None:
    codes = tmp_path / "codes.csv"
    codes.write_text("code\nLATTE-0001\nLATTE-0002\n")
    assert '"accepted": 2' in stack.mgames("partner", "upload", "demo", "cafe", "cafe-latte", str(codes))
    page = player("connie")
    page.goto(stack.url + "/partner-coupon/page/?campaign=demo")
    page.wait_for_selector("#center li[data-type='cafe-latte'] button:not([disabled])")
    page.wait_for_function("document.querySelector('#mine').textContent === '还没有券'")
    page.click("#center li[data-type='cafe-latte'] button")
    code = page.wait_for_selector("#mine .coupon-code")
    assert code is not None and code.inner_text() in {"LATTE-0001", "LATTE-0002"}
    assert "10 off any latte" in page.inner_text("#mine")
    assert "剩 1 张" in page.inner_text("#center li[data-type='cafe-latte']")
    screenshot(page, "partner-coupon")
