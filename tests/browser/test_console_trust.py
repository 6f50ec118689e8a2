# ruff: noqa: RUF001  (Chinese texts: their full-width punctuation is meant)
"""The web console's trust screens (issue 14), in Chromium against `mgames local`: a marketer
sends dead webhook deliveries again from the "Webhook 投递" tab, and reads the campaign's
public disclosure in the "公示" tab."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import boto3
import yaml
from playwright.sync_api import Page, Route

from plugins.webhooks.delivery import MAX_ATTEMPTS
from plugins.webhooks.outbox import DeliveryItem, queue_key
from tests.browser.conftest import Console, Stack, browser_demo, screenshot
from tests.browser.test_console import answer, local_token
from tests.functional import test_webhooks
from tests.functional.test_webhooks import Receiver
from tests.unit.test_webhook_signing import NEW

HOOKS = ("crm", "audit")
SECRETS = {"MGAMES_WEBHOOK_SECRETS": json.dumps({"mgames/webhooks/crm": NEW}), "MGAMES_OUTBOUND_LOCAL": "1"}
"""What the CLI needs to apply a loopback endpoint and to sign its deliveries (the stack has both)."""


receiver = test_webhooks.receiver


def deliveries(stack: Stack, state: str = "") -> list[dict[str, Any]]:
    """The demo's deliveries (of `state`) as the console's API answers them."""
    token = local_token(stack, {"operator": "mia", "role": "marketer"})
    status, found = answer(f"{stack.console}/campaigns/demo/webhooks?state={state}" if state
                           else f"{stack.console}/campaigns/demo/webhooks", token)
    assert status == 200, found
    return cast(list[dict[str, Any]], found["deliveries"])


def until(check: Any, what: str, seconds: float = 15) -> Any:
    """Wait for `check()` to answer something truthy (the stream and the config cache lag)."""
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.3)
    return found


def dead_deliveries(stack: Stack, receiver: Receiver, folder: Path) -> list[str]:
    """Two dead deliveries of the demo, made by the worker: a version with two endpoints on a
    receiver that answers 500, a game switched off (one event, one delivery per endpoint), the
    11 failed attempts of about a day marked as made, and the worker's 12th attempt."""
    doc = yaml.safe_load(browser_demo(folder).read_text())
    doc["webhooks"] = [{"id": hook, "url": receiver.url, "events": ["game.switched"],
                        "secret_ref": "mgames/webhooks/crm", "timeout_seconds": 2} for hook in HOOKS]
    stack.apply(doc, folder, **SECRETS)
    until(lambda: served_version(stack) == newest_version(stack), "the stack never served the new version")
    stack.mgames("disable", "demo", "booking", **SECRETS)
    until(lambda: len(deliveries(stack, "pending")) == len(HOOKS), "the switch was never queued")
    queued = deliveries(stack, "pending")
    client = boto3.client("dynamodb", endpoint_url=stack.dynamodb, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
    for delivery in queued:
        pk, sk = queue_key("demo", delivery["id"])
        client.update_item(TableName="mgames-local", Key={"pk": {"S": pk}, "sk": {"S": sk}},
                           UpdateExpression="SET #a = :a, #n = :n",
                           ExpressionAttributeNames={"#a": DeliveryItem.attempts.attr_name,
                                                     "#n": DeliveryItem.next_attempt_at.attr_name},
                           ExpressionAttributeValues={":a": {"N": str(MAX_ATTEMPTS - 1)}, ":n": {"N": "0"}})
    receiver.script = ["fail"] * len(HOOKS)
    stack.mgames("jobs", **SECRETS)
    assert len(receiver.seen) == len(HOOKS)
    dead = deliveries(stack, "dead")
    assert sorted(d["id"] for d in dead) == sorted(d["id"] for d in queued)
    assert all(d["attempts"] == MAX_ATTEMPTS and "500" in d["last_error"] for d in dead), dead
    return sorted(d["id"] for d in dead)


def newest_version(stack: Stack) -> int:
    token = local_token(stack, {"operator": "mia", "role": "marketer"})
    listed = answer(f"{stack.console}/campaigns/demo/versions", token)[1]["versions"]
    return max(int(v["version"]) for v in cast(list[dict[str, int]], listed))


def served_version(stack: Stack) -> int:
    """The version the stack's warm config holds: what its aggregator judges events by."""
    with urllib.request.urlopen(f"{stack.console}/campaigns/demo/disclosure", timeout=10) as reply:
        return int(json.loads(reply.read())["version"])


def test_dead_deliveries_are_sent_again_from_the_webhook_tab(
        console: Console, stack: Stack, receiver: Receiver, tmp_path: Path) -> None:
    first, second = dead_deliveries(stack, receiver, tmp_path)
    page = console()
    page.click(".tab[data-tab='webhooks']")
    page.wait_for_selector(f"tr[data-delivery='{first}'][data-state='dead']")
    assert page.locator("#endpoints tr[data-endpoint]").count() == len(HOOKS)
    cells = shown_rows(page, f"tr[data-delivery='{first}']")[0]
    assert cells[2:5] == ["game.switched", "死信", str(MAX_ATTEMPTS)] and cells[5].startswith("完成于")
    assert "500" in cells[6] and cells[7] == "重新投递"
    row = page.locator(f"tr[data-delivery='{first}']")
    page.select_option("#webhook-state", "dead")
    page.wait_for_function("document.querySelectorAll('#deliveries tr[data-state=dead]').length === 2")
    screenshot(page, "console-webhooks")

    row.locator("button.replay").click()
    page.wait_for_selector("#toast.visible:has-text('已重新排队 1 条投递')")
    page.select_option("#webhook-state", "")
    page.wait_for_selector(f"tr[data-delivery='{first}'][data-state='pending']")
    assert page.locator(f"tr[data-delivery='{second}'][data-state='dead']").count() == 1
    assert [d["id"] for d in deliveries(stack, "pending")] == [first]
    assert [d["id"] for d in deliveries(stack, "dead")] == [second]

    page.evaluate("document.getElementById('toast').textContent = ''")
    page.click("#replay-dead")
    page.wait_for_selector(f"tr[data-delivery='{second}'][data-state='pending']")
    assert "已重新排队 1 条投递" in page.inner_text("#toast")
    pending = deliveries(stack, "pending")
    assert sorted(d["id"] for d in pending) == [first, second] and deliveries(stack, "dead") == []
    assert all(d["attempts"] == 0 for d in pending)
    assert page.locator(f"tr[data-delivery='{first}'] button.replay").count() == 0


def test_more_deliveries_are_read_on_with_the_cursor(console: Console) -> None:
    """The list's paging, against answers made up for it (a real list needs 51 deliveries)."""
    made = [{"id": f"msg_{n}", "endpoint": "crm", "event": "reward.issued", "state": "delivered",
             "attempts": 1, "next_attempt_at": None, "created_at": "2026-12-01T00:00:00+00:00",
             "finished_at": "2026-12-01T00:00:01+00:00", "last_error": None} for n in (1, 2)]
    asked: list[str] = []

    def answer_page(route: Route) -> None:
        asked.append(route.request.url)
        later = "cursor=next" in route.request.url
        route.fulfill(json={"campaign_id": "demo", "deliveries": made[1:] if later else made[:1],
                            "next_cursor": None if later else "next"})

    page = console()
    page.route("**/campaigns/demo/webhooks?*", answer_page)
    page.route("**/campaigns/demo/webhooks", answer_page)
    page.click(".tab[data-tab='webhooks']")
    page.wait_for_selector("tr[data-delivery='msg_1']")
    page.click("#more-deliveries")
    page.wait_for_selector("tr[data-delivery='msg_2']")
    assert [r[0] for r in shown_rows(page, "#deliveries tr")] == ["msg_1", "msg_2"]
    assert page.locator("#more-deliveries").count() == 0 and asked[-1].endswith("?cursor=next")


def shown_rows(page: Page, rows: str) -> list[list[str]]:
    """The cells of each table row `rows` selects."""
    found: list[list[str]] = page.eval_on_selector_all(
        rows, "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    return found


def test_the_disclosure_tab_shows_what_the_public_route_answers(console: Console, stack: Stack) -> None:
    with urllib.request.urlopen(f"{stack.console}/campaigns/demo/disclosure", timeout=10) as reply:
        published = json.loads(reply.read())
    page = console()
    page.click(".tab[data-tab='disclosure']")
    page.wait_for_selector("section.pool tr[data-prize]")
    wheel = next(p for p in published["prize_pools"] if p["game"] == "lucky-wheel")
    table = f"section.pool[data-game='lucky-wheel'][data-pool='{wheel['pool']}']"
    rows = shown_rows(page, f"{table} tr[data-prize]")
    assert [r[1] for r in rows] == [p["name"] for p in wheel["prizes"]]
    assert [r[2] for r in rows] == [p["value"] for p in wheel["prizes"]]
    assert [r[5] for r in rows] == [f"{p['odds_percent']}%" for p in wheel["prizes"]]
    by_tier = wheel["odds_percent_by_tier"]
    tiers = sorted(by_tier)
    assert tiers and [r[6:] for r in rows] == [[f"{by_tier[t][p['id']]}%" for t in tiers]
                                              for p in wheel["prizes"]]
    assert page.locator("section.pool").count() == len(published["prize_pools"])
    assert page.inner_text("dd[data-field='organiser']") == published["organiser"]
    assert page.inner_text("dd[data-field='redemption_terms']") == published["redemption_terms"]
    starts, ends = (datetime.fromisoformat(published["period"][end]) for end in ("starts_at", "ends_at"))
    assert page.inner_text("dd[data-field='period']") == (  # in the campaign's zone, not the browser's
        f"{starts.year}/{starts.month}/{starts.day} {starts:%H:%M:%S} 至 "
        f"{ends.year}/{ends.month}/{ends.day} {ends:%H:%M:%S}（{published['period']['timezone']}）")
    days = shown_rows(page, "#commitments tr[data-day]")
    assert days and days == [[c["day"], c["commitment"], c["seed"] or "当天结束后公布"]
                             for c in published["commitments"]]
    link = page.get_attribute("#disclosure-link", "href")
    assert link == f"{stack.console}/campaigns/demo/disclosure"
    screenshot(page, "console-disclosure")
