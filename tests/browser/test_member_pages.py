# ruff: noqa: RUF001  (the pages speak Chinese: their full-width punctuation is meant)
"""The check-in, booking and coupon-center pages, played in Chromium as a member would."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import boto3
from playwright.sync_api import Page

from plugins.store import PointsItem, keys
from tests.browser.conftest import Player, Refusals, Stack, demo_doc, screenshot


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


def make_up_campaign(today: date) -> dict[str, Any]:
    """The demo's check-in (make-ups: 2 a cycle, 20 points each) in 7-day cycles that began
    three days ago: the days before today are missed whatever the weekday and the hour (the
    stack runs on the real clock; what moves is the campaign's first day)."""
    doc = demo_doc()
    section = doc["games"]["check-in"] | {"cycle": "days", "cycle_days": 7}
    doc |= {"id": "make-up", "starts_at": datetime.combine(today - timedelta(days=3), time()),
            "games": {"check-in": section, "lucky-wheel": doc["games"]["lucky-wheel"]}}
    return doc


def credit_points(stack: Stack, member: str, points: int) -> None:
    """Points the member got elsewhere (the brand's CRM): added to his balance in the stack."""
    client = boto3.client("dynamodb", endpoint_url=stack.dynamodb, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
    client.update_item(TableName="mgames-local",
                       Key={"pk": {"S": keys.member(member)}, "sk": {"S": keys.POINTS_BALANCE}},
                       UpdateExpression="ADD #p :n",
                       ExpressionAttributeNames={"#p": PointsItem.points.attr_name},
                       ExpressionAttributeValues={":n": {"N": str(points)}})


def day_cell(page: Page, day: date) -> str:
    return f"#calendar .day[data-date='{day.isoformat()}']"


def test_a_missed_day_is_made_up_with_points_until_the_cycles_make_ups_are_used(
    player: Player, stack: Stack, refusals: Refusals, tmp_path: Path,
) -> None:
    refusals.expect(403, "/campaigns/make-up/make-ups")  # POINTS_INSUFFICIENT, NO_CHANCES_LEFT
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    campaign = stack.apply(make_up_campaign(today), tmp_path)
    yesterday, before, first = (today - timedelta(days=n) for n in (1, 2, 3))
    page = player("maya")
    page.goto(f"{stack.url}/check-in/page/?campaign={campaign}")
    page.wait_for_selector(day_cell(page, first) + ".missed button")
    assert page.inner_text("#make-ups") == "本期可补签 2 次，每次消耗 20 积分"
    page.click("#check-in")
    page.wait_for_selector("#calendar .day.checked.today")
    assert page.inner_text("#streak") == "已连续签到 1 天"  # yesterday was missed

    # GIVEN today's 10 points (and perhaps a 2-point sticker): short of a make-up's 20
    page.click(day_cell(page, yesterday) + " button")
    page.wait_for_function("document.querySelector('#toast')?.textContent === '积分不足，补签需 20 积分'")
    assert page.locator(day_cell(page, yesterday) + ".missed").count() == 1

    # WHEN the member has the points, the make-up repairs the streak across yesterday
    credit_points(stack, "maya", 30)
    page.click(day_cell(page, yesterday) + " button")
    page.wait_for_selector(day_cell(page, yesterday) + ".made_up")
    assert page.inner_text("#streak") == "已连续签到 2 天"
    assert page.inner_text("#result") == f"已补签 {yesterday.isoformat()}，连签 2 天，消耗 20 积分"
    assert page.inner_text("#make-ups") == "本期可补签 1 次，每次消耗 20 积分"

    # AND another page of the same member, opened now, still offers the last make-up
    stale = page.context.new_page()
    stale.goto(page.url)
    stale.wait_for_selector(day_cell(stale, first) + " button")

    page.click(day_cell(page, before) + " button")
    page.wait_for_selector(day_cell(page, before) + ".made_up")
    assert page.inner_text("#streak") == "已连续签到 3 天"
    assert "连签 3 天" in page.inner_text("#milestones") and "✓" in page.inner_text("#milestones")
    assert page.inner_text("#make-ups") == "本期补签次数已用完（每期 2 次）"
    assert page.locator("#calendar button").count() == 0
    page.wait_for_selector("#toast:not(.visible)", state="attached")  # the refusal's toast is gone
    screenshot(page, "check-in-make-up")

    # THEN one make-up beyond the cycle's two is refused, and the page says why
    stale.click(day_cell(stale, first) + " button")
    stale.wait_for_function("document.querySelector('#toast')?.textContent === '本期补签次数已用完'")
    stale.wait_for_function("document.querySelector('#make-ups').textContent.startsWith('本期补签次数已用完')")
    assert stale.locator(day_cell(stale, first) + ".missed").count() == 1
    assert stale.inner_text("#streak") == "已连续签到 3 天"


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
