"""The red packet and assist pages: one member shares a link, a friend in another browser
context opens it and plays; both see the result."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Player, Stack, screenshot


def share(page: Page, address: str, button: str, param: str) -> str:
    """Open `address`, press `button` and answer the share link it shows (it names `param`)."""
    page.goto(address)
    page.click(button)
    link = page.wait_for_selector("#share-link")
    assert link is not None
    url = link.get_attribute("href")
    assert url is not None and f"{param}=" in url
    return url


def test_a_friend_grabs_a_red_packet_from_its_share_link(player: Player, stack: Stack) -> None:
    sharer = player("rita")
    url = share(sharer, stack.url + "/red-packet/page/?campaign=demo", "#share", "packet")

    friend = player("fred")
    friend.goto(url)
    friend.wait_for_selector("#grab:not([disabled])")
    friend.click("#grab")
    friend.wait_for_function("document.querySelector('#grabbed').textContent.startsWith('我抢到 ¥')")
    assert friend.locator("#parts li").count() == 1
    assert "剩 4 份" in friend.inner_text("#packet-left")
    screenshot(friend, "red-packet")

    sharer.goto(url)
    sharer.wait_for_selector("#parts li")
    assert sharer.inner_text("#packet-title") == "我发的红包"
    assert sharer.is_disabled("#grab")


def test_a_friend_helps_an_assist_task_from_its_share_link(player: Player, stack: Stack) -> None:
    initiator = player("ivy")
    url = share(initiator, stack.url + "/assist/page/?campaign=demo", "#open", "task")

    friend = player("hugo")
    friend.goto(url)
    friend.wait_for_selector("#help:not([disabled])")
    assert friend.inner_text("#progress") == "0/3"
    friend.click("#help")
    friend.wait_for_function("document.querySelector('#progress').textContent === '1/3'")
    assert friend.inner_text("#helped").startswith("助力成功")

    initiator.goto(url)
    initiator.wait_for_function("document.querySelector('#progress').textContent === '1/3'")
    assert initiator.inner_text("#task-title") == "我的助力任务"
    initiator.wait_for_function("document.querySelector('#mine').textContent.includes('1/3 人已助力')")
    screenshot(initiator, "assist")
