# ruff: noqa: RUF001  (Chinese texts: their full-width punctuation is meant)
"""The marketers' web console (the console's `GET /`), driven in Chromium at desktop size:
sign in, switch a game off and see a member's page refuse to play, apply a broken config and
see each problem beside its field, compare two versions, read the report's charts."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import cast

from playwright.sync_api import Browser, Frame, Page, Route

from plugins.console.report_html import render_report_html
from tests.browser.conftest import (
    DESKTOP,
    REFUSED_LOAD,
    SCREENSHOTS,
    Console,
    Stack,
    keep_errors,
    screenshot,
    sign_in,
)
from tests.unit.test_report_html import EVERY_CHART, FULL

LINE, PAD = 20, 8  # the editor's line height and padding (sdk/src/console/style.ts)


def answer(url: str, token: str, method: str = "GET") -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, method=method, headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": f"console-{time.monotonic_ns()}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def until_answered(status: int, url: str, token: str) -> None:
    """Wait until `url` answers `status`: the functions keep a config 5 s (their cache)."""
    deadline = time.monotonic() + 15
    while answer(url, token)[0] != status:
        assert time.monotonic() < deadline, f"{url} never answered {status}"
        time.sleep(0.5)


def local_token(stack: Stack, who: dict[str, str]) -> str:
    """A token from the local stack's token route (as the landing page and the console get one)."""
    request = urllib.request.Request(stack.url + "/local/token", method="POST",
                                     data=json.dumps(who).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return str(json.loads(reply.read())["token"])


def player_token(stack: Stack, member: str) -> str:
    """A player's token, as the landing page gets one."""
    return local_token(stack, {"member_id": member})


def until_reported(stack: Stack, plays: int) -> None:
    """Wait until the demo's report counts `plays` wheel plays: its figures come from the
    table's stream, about a second behind the plays (docs/console.md)."""
    token = local_token(stack, {"operator": "mia", "role": "marketer"})
    deadline = time.monotonic() + 15
    while True:
        report = answer(f"{stack.console}/campaigns/demo/report", token)[1]
        if cast(dict[str, int], report.get("plays", {})).get("lucky-wheel", 0) >= plays:
            return
        assert time.monotonic() < deadline, report
        time.sleep(0.2)


def test_a_credential_that_is_not_one_is_refused_at_sign_in(browser: Browser, stack: Stack) -> None:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(stack.console + "/")
    page.fill("#token", "not-a-credential")
    page.click("#sign-in")
    page.wait_for_selector("#login-error:has-text('TOKEN_INVALID')")
    assert "登录凭证无效" in page.inner_text("#login-error")
    assert page.evaluate("localStorage.getItem('mgames.console.token')") is None


def test_a_game_switched_off_in_the_console_refuses_to_play(console: Console, browser: Browser,
                                                            stack: Stack) -> None:
    errors: list[str] = []
    member = sign_in(browser, stack, "dora", errors)
    member.goto(stack.url + "/lucky-wheel/page/?campaign=demo")
    member.wait_for_function("document.querySelector('#chances').textContent === '今日剩余 3 次'")
    page = console()
    switch = page.locator("#switches li[data-game='lucky-wheel'] input[role=switch]")
    assert switch.is_checked()
    switch.uncheck()
    page.wait_for_selector("#switches li[data-game='lucky-wheel'] .state.off:has-text('已关闭')")
    version = int(re.findall(r"v(\d+)", page.inner_text("#current"))[0])
    assert "已关闭" in page.inner_text("#toast") and version >= 2
    token = player_token(stack, "dora")
    until_answered(404, f"{stack.url}/lucky-wheel/campaigns/demo", token)
    member.click("#spin")  # the page loaded while it was on
    member.wait_for_selector("#toast.visible:has-text('活动暂未开放')")
    assert member.inner_text("#chances") == "今日剩余 3 次"
    member.reload()
    member.wait_for_selector("#toast.visible:has-text('活动暂未开放')")
    assert member.is_disabled("#spin")
    screenshot(member, "lucky-wheel-switched-off")
    switch.check()
    page.wait_for_selector("#switches li[data-game='lucky-wheel'] .state:not(.off):has-text('已开启')")
    assert f"v{version + 1}" in page.inner_text("#current")
    until_answered(200, f"{stack.url}/lucky-wheel/campaigns/demo", token)
    assert errors and all(REFUSED_LOAD.match(e) and "404" in e for e in errors), errors  # the refusals


def note_beside(page: Page, field: str, line_text: str) -> str:
    """The note of `field`'s problem, checked to sit beside the line starting `line_text`."""
    lines = page.input_value("#yaml").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.strip().lstrip("- ").startswith(line_text))
    area, note = page.locator("#yaml").bounding_box(), page.locator(f".problem[data-field~='{field}']")
    box = note.bounding_box()
    assert area is not None and box is not None and note.is_visible()
    assert abs(box["y"] - (area["y"] + 1 + PAD + (line - 1) * LINE)) <= 2, (field, line, box, area)
    assert box["x"] >= area["x"] + area["width"] - 1  # to the right of the text
    return note.inner_text()


def test_a_broken_config_shows_each_problem_beside_its_field(console: Console) -> None:
    page = console()
    page.click(".tab[data-tab='config']")
    page.wait_for_function("(document.querySelector('#yaml')?.value ?? '').includes('timezone:')")
    before = page.inner_text("#current")
    text = page.input_value("#yaml")
    broken = text.replace("timezone: Asia/Shanghai", "timezone: Mars/Olympus")
    broken = broken.replace("cost: 899", "cost: abc", 1)  # the grand prize's
    assert broken.count("Mars/Olympus") == 1 and broken.count("cost: abc") == 1
    page.fill("#yaml", broken)
    page.click("#apply")
    page.wait_for_selector(".problem")
    assert "Mars/Olympus" in note_beside(page, "timezone", "timezone:")
    assert note_beside(page, "games.lucky-wheel.prizes.0.cost", "cost: abc").startswith("cost：")
    assert page.locator(".editor .mark").count() == 2
    assert "发现 2 个问题" in page.inner_text("#summary")
    assert page.inner_text("#config-state") == "未应用：配置有问题"
    assert page.inner_text("#current") == before  # nothing applied
    page.locator(".problem").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "console-config.png"))  # the screen beside the first problem
    page.fill("#yaml", text)
    page.click("#validate")
    page.wait_for_selector("#config-state:has-text('校验通过')")
    assert page.locator(".problem").count() == 0


def test_a_tab_left_before_its_answer_came_does_not_draw_over_the_open_one(console: Console) -> None:
    page = console()
    page.wait_for_selector("iframe#report")
    held: list[Route] = []
    page.route("**/report.html", lambda route: held.append(route))  # its answer waits for the test
    page.click("#refresh-report")
    while not held:
        page.wait_for_timeout(50)
    page.click(".tab[data-tab='versions']")
    page.wait_for_selector(".versions tr td")
    with page.expect_response("**/report.html"):
        held[0].continue_()
    page.wait_for_timeout(300)  # the late answer handled
    assert page.locator("iframe#report").count() == 0 and page.locator(".versions tr td").count() > 0
    assert not page.locator("#toast.visible").count()


def test_two_versions_are_compared_line_by_line(console: Console) -> None:
    page = console()
    switch = page.locator("#switches li[data-game='booking'] input[role=switch]")
    switch.uncheck()
    page.wait_for_selector("#switches li[data-game='booking'] .state.off")
    page.click(".tab[data-tab='versions']")
    page.wait_for_selector(".diff tr")
    newest = int(page.eval_on_selector("#newer", "select => select.value"))
    assert int(page.eval_on_selector("#older", "select => select.value")) == newest - 1
    assert page.locator(".versions tr").count() == newest + 1  # a header and each version
    added, removed = (lines_of(page, f".diff tr.{kind}") for kind in ("add", "del"))
    assert added == ["enabled: false"] and removed in ([], ["enabled: true"]), (added, removed)
    assert f"新增 1 行，删除 {len(removed)} 行" in page.inner_text("#diff")
    switch.check()
    page.wait_for_selector("#switches li[data-game='booking'] .state:not(.off)")


def lines_of(page: Page, rows: str) -> list[str]:
    """The text of each diff row `rows` selects, without its numbers and sign."""
    return [row.split("\t")[-1].strip() for row in page.locator(rows).all_inner_texts()]


def drawn(frame: Frame) -> dict[str, dict[str, int]]:
    """Each chart of the report's frame: its data points and the pixels it painted."""
    return frame.evaluate("""() => Object.fromEntries([...document.querySelectorAll('canvas[data-chart]')]
        .map(c => {
          const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
          return [c.dataset.chart, {points: Number(c.dataset.points || 0), painted}];
        }))""")


def test_the_report_draws_its_charts(console: Console, stack: Stack) -> None:
    token = player_token(stack, "rita")
    until_answered(200, f"{stack.url}/lucky-wheel/campaigns/demo", token)
    for _ in range(2):
        status, _ = answer(f"{stack.url}/lucky-wheel/campaigns/demo/draws", token, "POST")
        assert status == 201
    until_reported(stack, 2)
    page = console()
    page.wait_for_selector("iframe#report")
    frame = page.frame_locator("iframe#report")
    frame.locator("canvas[data-chart='plays'][data-points]").wait_for()
    charts = drawn(next(f for f in page.frames if f.parent_frame is not None))
    assert charts["plays"]["points"] >= 1
    assert all(c["points"] > 0 and c["painted"] > 500 for c in charts.values()), charts
    assert "活动报表 · demo" in frame.locator("h1").inner_text()
    page.wait_for_function("document.querySelector('#report').offsetHeight > 800")
    screenshot(page, "console-report")


def test_every_chart_of_the_full_report_renders(browser: Browser, tmp_path: Path) -> None:
    file = tmp_path / "report.html"
    file.write_text(render_report_html(FULL), encoding="utf-8")
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    errors: list[str] = []
    keep_errors(page, errors)
    page.goto(file.as_uri())
    page.wait_for_selector("canvas[data-chart='days'][data-points]")
    charts = drawn(page.main_frame)
    assert set(charts) == EVERY_CHART
    assert all(c["points"] > 0 and c["painted"] > 500 for c in charts.values()), charts
    assert not errors, errors
    screenshot(page, "report-full")
