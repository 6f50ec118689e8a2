# ruff: noqa: RUF001  (the pages speak Chinese: their full-width punctuation is meant)
"""The points-exchange, wallet and tasks pages, played in Chromium: points spent on a voucher,
which then shows in the wallet with the ledger line that paid for it; a friend opening a
member's share link, which completes his share task."""

from __future__ import annotations

from typing import cast

from tests.browser.conftest import Player, Stack, screenshot
from tests.browser.test_console import answer, player_token
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


def test_a_friend_opening_the_share_link_completes_the_share_task(player: Player, stack: Stack) -> None:
    sharer = player("sara")
    sharer.goto(stack.url + "/event-gifts/page/?campaign=demo")
    task = "#tasks li[data-rule='share-spin']"
    sharer.wait_for_selector(f"{task}:has-text('今日 0/3')")
    assert "分享给好友，好友打开链接" in sharer.inner_text(task) and "转盘机会 +1" in sharer.inner_text(task)
    assert "活动期间一次 · 已完成" not in sharer.inner_text("#tasks li[data-rule='birthday']")
    link = sharer.get_attribute("#share-link", "href")
    assert link is not None and "sharer=sara" in link
    before = wheel_chances(stack, "sara")

    friend = player("finn")
    friend.goto(link)
    friend.wait_for_selector("#opened:has-text('已为好友完成分享任务')")
    assert "好友 sara 邀你来看看" in friend.inner_text("#share-title")
    friend.reload()  # opening again: the first answer, nothing more
    friend.wait_for_selector("#opened:has-text('已为好友完成分享任务')")
    screenshot(friend, "event-gifts-share")

    sharer.reload()
    sharer.wait_for_selector(f"{task}:has-text('今日 1/3')")
    assert wheel_chances(stack, "sara") == before + 1
    screenshot(sharer, "event-gifts")


def wheel_chances(stack: Stack, member: str) -> int:
    """The member's wheel draws left today, as the wheel's page reads them."""
    status, view = answer(f"{stack.url}/lucky-wheel/campaigns/demo", player_token(stack, member))
    assert status == 200, view
    return int(cast(dict[str, int], view["chances"])["left_today"])
