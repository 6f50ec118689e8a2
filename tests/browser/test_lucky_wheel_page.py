"""The landing page and the lucky wheel's page, played in Chromium as a member would."""

from __future__ import annotations

from tests.browser.conftest import Player, Stack, screenshot


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
    for left in (2, 1, 0):
        page.click("#spin")
        page.wait_for_function(f"document.querySelector('#chances').textContent === '今日剩余 {left} 次'")
        assert page.inner_text("#result").startswith(("恭喜获得", "谢谢参与"))
    assert page.is_disabled("#spin")
    page.wait_for_function("document.querySelectorAll('#mine li').length === 3")
    screenshot(page, "lucky-wheel")
