# ruff: noqa: RUF001  (the pages speak Chinese: their full-width punctuation is meant)
"""The campaign's rules and disclosure page and a draw's verification page, in Chromium: a
player follows the wheel's "验证这次抽奖" link and is told when the seed comes; a draw of a day
that is over verifies (the browser's own SHA-256 of the seed is the published commitment); a
record altered in the table fails; someone else sees the verdict but not the member's
identity; the rules page shows what the disclosure route answers."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import ROOT, Player, Refusals, Stack, demo_doc, screenshot
from tests.browser.test_sharing_pages import share


def fetch(url: str, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as answer:
        return json.loads(answer.read())


def spun(page: Page, address: str, button: str) -> str:
    """Open a game's page at `address`, press `button` (a draw) and answer the draw id shown
    under the result, beside its 验证这次抽奖 link."""
    page.goto(address)
    page.wait_for_selector(f"{button}:not([disabled])")
    page.click(button)
    page.wait_for_selector("#proof a.verify")
    return page.inner_text("#proof").split()[1]


def past_draw(stack: Stack, member: str, *tamper: str) -> dict[str, Any]:
    """A wheel draw made yesterday on the stack's table (tests/browser/past_draw.py), or the
    record of draw `tamper[1]` with its number changed."""
    done = subprocess.run([sys.executable, "-m", "tests.browser.past_draw", stack.dynamodb, "demo", member,
                           *tamper], cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_a_draw_of_today_waits_for_its_seed(player: Player, stack: Stack, refusals: Refusals) -> None:
    # GIVEN a player who spins the wheel today
    refusals.expect(409, "/verification")
    page = player("vera")
    draw_id = spun(page, f"{stack.url}/lucky-wheel/page/?campaign=demo", "#spin")
    # WHEN he follows the link under the result
    page.click("#proof a.verify")
    page.wait_for_function("document.querySelector('#verdict').dataset.verdict === 'pending'")
    # THEN he is told when the day's seed comes, and sees the day's commitment, published already
    assert page.inner_text("#draw-id") == draw_id
    assert page.inner_text("#verdict") == "种子尚未公布"
    refused = page.inner_text("#why")
    assert refused.startswith("当日种子将于 ") and "00:00（Asia/Shanghai）公布" in refused
    days = fetch(f"{stack.url}/lucky-wheel/campaigns/demo/commitments")["days"]
    today = next(d for d in days if d["seed"] is None)
    assert page.inner_text("#commitment") == today["commitment"]
    screenshot(page, "verify-pending")


def test_a_draw_of_a_day_that_is_over_verifies_in_the_browser_and_a_tampered_one_fails(
        player: Player, stack: Stack) -> None:
    # GIVEN a draw made yesterday: its day's seed is revealed
    drawn = past_draw(stack, "olga")
    page = player("olga")
    page.goto(f"{stack.url}/lucky-wheel/page/?campaign=demo")
    page.wait_for_selector("#mine a.verify")  # his prizes, each with its verification link
    assert page.get_attribute("#mine a.verify", "href") == (
        f"verify.html?campaign=demo&game=lucky-wheel&draw={drawn['draw_id']}")
    # WHEN he opens its verification
    page.click("#mine a.verify")
    page.wait_for_function("document.querySelector('#verdict').dataset.verdict === 'pass'")
    # THEN it passes, and the hash his browser computed is the commitment published for that day
    route = fetch(f"{stack.url}/lucky-wheel/campaigns/demo/draws/{drawn['draw_id']}/verification",
                  token=page.evaluate("localStorage.getItem('mgames.token')"))
    assert route["matches"] is True and page.inner_text("#verdict") == "验证通过"
    seed = page.inner_text("#seed")
    assert seed == route["seed"]
    hashed = hashlib.sha256(bytes.fromhex(seed)).hexdigest()
    assert page.inner_text("#seed-hash") == hashed == route["commitment"]
    published = {d["day"]: d for d in fetch(f"{stack.url}/lucky-wheel/campaigns/demo/commitments")["days"]}
    assert published[route["draw"]["day"]]["commitment"] == page.inner_text("#commitment") == hashed
    assert page.inner_text("#browser-number") == page.inner_text("#number") == route["draw"]["number"]
    assert page.inner_text("#awarded td").startswith(drawn["prize"]["name"])
    screenshot(page, "verify-pass")
    # someone else, with the same link, sees the same verdict and hash, but not olga's identity:
    # the number is re-derived only in her own browser
    other = player("nina")
    other.goto(page.url)
    other.wait_for_function("document.querySelector('#verdict').dataset.verdict === 'pass'")
    assert other.inner_text("#seed-hash") == hashed
    assert other.inner_text("#browser-number").startswith("抽奖会员本人登录后可复算")

    # WHEN someone changes the recorded number in the table THEN the same page says it fails
    past_draw(stack, "olga", "--tamper", str(drawn["draw_id"]))
    page.reload()
    page.wait_for_function("document.querySelector('#verdict').dataset.verdict === 'fail'")
    assert page.inner_text("#verdict") == "验证失败"
    assert "抽奖数不能由种子和抽奖身份算出" in page.inner_text("#why")  # the server's NUMBER_MISMATCH
    assert "浏览器重算的抽奖数与记录不符" in page.inner_text("#why")  # and the browser's own
    assert page.inner_text("#browser-number") != page.inner_text("#number")


def test_every_game_page_links_the_rules_that_show_the_disclosure(player: Player, stack: Stack) -> None:
    page = player("rita")
    index = page.eval_on_selector_all("#games a", "links => links.map(a => a.getAttribute('href'))")
    for href in index:
        page.goto(stack.url + href)
        game = href.split("/")[1]
        assert page.get_attribute("#rules-link", "href") == f"rules.html?campaign=demo&game={game}", game
    # the rules as the wheel's page links them: what the disclosure route answers, and the console's
    page.goto(f"{stack.url}/lucky-wheel/page/?campaign=demo")
    page.click("#rules-link")
    page.wait_for_selector("#commitments tr")
    disclosure = fetch(f"{stack.url}/lucky-wheel/campaigns/demo/disclosure")
    console = fetch(f"{stack.console}/campaigns/demo/disclosure")
    assert {k: v for k, v in disclosure.items() if k != "commitments"} == {
        k: v for k, v in console.items() if k != "commitments"}
    assert page.inner_text("#organiser") == disclosure["organiser"]
    assert page.inner_text("#terms") == disclosure["redemption_terms"]
    for pool in disclosure["prize_pools"]:
        section = f'section[data-game="{pool["game"]}"][data-pool="{pool["pool"]}"]'
        for prize in pool["prizes"]:
            row = f'{section} tr[data-prize="{prize["id"]}"]'
            assert page.inner_text(f"{row} td[data-value]") == f"¥{prize['value']}"
            quantity = "不限" if prize["quantity"] is None else str(prize["quantity"])
            assert page.inner_text(f"{row} td[data-quantity]") == quantity
            if prize["odds_percent"] is not None:
                assert page.inner_text(f"{row} td[data-odds]") == f"{prize['odds_percent']}%"
            for tier, odds in pool["odds_percent_by_tier"].items():
                assert page.inner_text(f'{row} td[data-tier-odds="{tier}"]') == f"{odds[prize['id']]}%"
    days = page.eval_on_selector_all("#commitments tr", "rows => rows.map(r => r.dataset.day)")
    assert days == [d["day"] for d in disclosure["commitments"]]
    revealed = [d for d in disclosure["commitments"] if d["seed"]][-1]
    assert page.inner_text(f'[data-seed="{revealed["day"]}"]') == f"种子 {revealed['seed']}"
    screenshot(page, "rules")


def test_the_check_in_blind_box_and_the_assist_prize_link_their_draws(
        player: Player, stack: Stack, tmp_path: Path) -> None:
    # GIVEN the demo's check-in opens a blind box: its draw id is the check-in's id
    page = player("cora")
    draw_id = spun(page, f"{stack.url}/check-in/page/?campaign=demo", "#check-in")
    assert page.get_attribute("#proof a.verify", "href") == (
        f"verify.html?campaign=demo&game=check-in&draw={draw_id}")
    # AND an assist task of one help: the initiator's prize, drawn when the help came, links its draw
    doc = demo_doc()
    doc |= {"id": "assist-one", "games": {"assist": doc["games"]["assist"] | {"helpers_needed": 1,
                                                                              "block_same_ip": False}}}
    campaign = stack.apply(doc, tmp_path)
    initiator = player("iris")
    url = share(initiator, f"{stack.url}/assist/page/?campaign={campaign}", "#open", "task")
    friend = player("finn")
    friend.goto(url)
    friend.wait_for_selector("#help:not([disabled])")
    friend.click("#help")
    friend.wait_for_function("document.querySelector('#progress').textContent === '1/1'")
    initiator.goto(url)  # his tasks, the completed one with its prize
    initiator.wait_for_selector("#mine a.verify")
    assert "奖品：" in initiator.inner_text("#mine .prize")
    href = initiator.get_attribute("#mine a.verify", "href") or ""
    assert href.startswith(f"verify.html?campaign={campaign}&game=assist&draw=")
