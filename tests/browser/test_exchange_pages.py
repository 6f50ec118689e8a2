# ruff: noqa: RUF001  (the pages speak Chinese: their full-width punctuation is meant)
"""The points-exchange and wallet pages, played in Chromium: points spent on a voucher, which
then shows in the wallet with the ledger line that paid for it."""

from __future__ import annotations

from tests.browser.conftest import Player, Stack, screenshot
from tests.browser.test_member_pages import credit_points


def test_points_buy_a_voucher_that_shows_in_the_wallet(player: Player, stack: Stack) -> None:
    credit_points(stack, "nina", 400)
    page = player("nina")
    page.goto(stack.url + "/points-exchange/page/?campaign=demo")
    page.wait_for_selector("#items li[data-item='voucher-10'] button:not([disabled])")
    assert page.inner_text("#balance") == "我的积分 400"
    assert "300 积分，每天限 1 次，每人限 3 次" in page.inner_text("#items li[data-item='voucher-10']")
    assert page.locator("#items li[data-item='coffee-week'] button[disabled]").count() == 1  # 500 > 400
    page.click("#items li[data-item='voucher-10'] button")
    page.wait_for_function("document.querySelector('#mine').textContent.includes('10 yuan voucher')")
    assert page.inner_text("#balance") == "我的积分 100"
    assert page.inner_text("#result") == "兑换成功：10 yuan voucher"
    assert "-300 积分" in page.inner_text("#mine")
    used = page.locator("#items li[data-item='voucher-10'] button[disabled]")
    assert used.count() == 1 and used.inner_text() == "已达上限"  # 1 a day
    screenshot(page, "points-exchange")

    page.click("#wallet")
    page.wait_for_selector("#coupons li[data-state='issued']")
    assert page.inner_text("#balance") == "我的积分 100"
    coupon = page.inner_text("#coupons li[data-state='issued']")
    assert "10 off any order" in coupon and "¥10.00 代金券 · 可使用" in coupon
    assert page.inner_text("#ledger li:first-child").startswith("积分兑换 -300")
    assert page.locator("#more-coupons").is_hidden()
    screenshot(page, "wallet")
