# ruff: noqa: RUF001  (Chinese labels: their full-width punctuation is meant)
"""The report page's renderer: the report's full shape (every chart drawn from its data) and
the report as it is today (most of it absent: "—", never an error), escaped, self-contained."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from plugins.console.report_html import chart_specs, render_report_html

FULL: dict[str, Any] = {
    "campaign_id": "double-11", "config_version": 7, "as_of": "2026-11-25T10:00:00+08:00",
    "zone": "Asia/Shanghai", "counted_until": "2026-11-25T09:55:00+08:00",
    "funnel": {"visitors": 12000, "players": 5400, "winners": 1800, "coupons_issued": 1500,
               "coupons_redeemed": 420},
    "new_members": 930,
    "plays": {"lucky-wheel": 8000, "check-in": 3100},
    "prizes_awarded": {"lucky-wheel": {"grand": 3, "coupon-50": 700}, "check-in": {"tote": 40}},
    "cost": {"total": "5230.50", "brand": "4100.50", "partner": "1130.00", "budget": "8000.00",
             "budget_used_rate": 0.6538, "by_game": {"lucky-wheel": "4700.50", "check-in": "530.00"},
             "by_kind": {"prizes": "4000.50", "red_packet_cash": "100.00", "partner_coupons": "1130.00"}},
    "sales_driven": "126000.00",
    "channels": {"h5": {"plays": 9000, "cost": "4000.00"},
                 "mini-program": {"plays": 2100, "cost": "1230.50"}},
    "k_factor": {"assist": 1.35},
    "fraud_blocks": {"velocity": 55, "blacklist": 3},
    "days": [{"day": "2026-11-23", "visitors": 5000, "players": 2500, "plays": 5000, "winners": 800,
              "cost": "2500.00", "coupons_redeemed": 200, "sales_driven": "60000.00", "fraud_blocks": 30},
             {"day": "2026-11-24", "visitors": 7000, "players": 2900, "plays": 6100, "winners": 1000,
              "cost": "2730.50", "coupons_redeemed": 220, "sales_driven": "66000.00", "fraud_blocks": 28}],
    "games": {"assist": {"tasks_opened": 120, "completion_rate": 0.4}},
}
CURRENT: dict[str, Any] = {  # the report as plugins/console/report.py answers it today
    "campaign_id": "demo", "config_version": 3, "as_of": "2026-11-23T10:00:00+08:00", "participants": 2,
    "plays": {"lucky-wheel": 4}, "prizes_awarded": {"lucky-wheel": {"coffee": 1}},
    "budget": {"total": "8000.00", "used": "6.00", "source": "awarded prize costs"},
    "coupons": {"issued": 1, "redeemed": 0, "redemption_rate": 0.0}, "fraud_blocks": {},
    "games": {"check-in": {"members": 0, "streaks": {}}},
}
EVERY_CHART = {"days", "funnel", "prizes", "fraud", "plays", "cost_games", "cost_kinds", "channels"}


def specs_of(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="report-charts">(.*?)</script>', page, re.S)
    assert found is not None
    parsed: dict[str, Any] = json.loads(found.group(1))
    return parsed


def text(page: str) -> str:
    """What a reader sees: the page without its scripts and tags."""
    body = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_full_report_draws_every_chart_from_its_data() -> None:
    page = render_report_html(FULL, script="/* charts */")
    specs = specs_of(page)
    assert set(specs) == EVERY_CHART
    assert set(re.findall(r'<canvas id="chart-(\w+)" data-chart="\1">', page)) == EVERY_CHART
    assert "data-missing" not in page
    days = specs["days"]
    assert days["labels"] == ["2026-11-23", "2026-11-24"]
    assert [(s["name"], s["values"], s["axis"]) for s in days["series"]] == [
        ("参与次数", [5000, 6100], "count"), ("参与人数", [2500, 2900], "count"),
        ("成本（元）", [2500.0, 2730.5], "money")]
    assert specs["funnel"]["labels"] == ["访客", "参与人数", "中奖人数", "发券", "核销"]
    assert specs["funnel"]["series"][0]["values"] == [12000, 5400, 1800, 1500, 420]
    assert specs["prizes"]["labels"] == ["check-in · tote", "lucky-wheel · coupon-50", "lucky-wheel · grand"]
    assert specs["prizes"]["series"][0]["values"] == [40, 700, 3]
    fraud = specs["fraud"]
    assert (fraud["labels"], fraud["series"][0]["values"]) == (["blacklist", "velocity"], [3, 55])
    assert specs["cost_kinds"]["labels"] == ["奖品", "现金红包", "异业券"] and specs["cost_kinds"]["doughnut"]
    assert specs["channels"]["series"][1]["values"] == [4000.0, 1230.5]


def test_the_full_report_shows_its_figures_in_yuan() -> None:
    seen = text(render_report_html(FULL, script=""))
    for shown in ("活动报表 · double-11", "配置版本 v7", "截至 2026-11-25T10:00:00+08:00",
                  "时区 Asia/Shanghai", "访客 12,000", "新会员 930", "总成本 ¥5,230.50", "预算 ¥8,000.00",
                  "预算使用率 65.4%", "带动销售 ¥126,000.00", "参与次数 11,100", "异业承担 ¥1,130.00", "1.35",
                  "2026-11-24 7,000 2,900 6,100 1,000 ¥2,730.50 220 ¥66,000.00 28",
                  "mini-program 2,100 ¥1,230.50", "assist 玩法指标", "completion_rate 0.4"):
        assert shown in " ".join(seen.split()), shown
    assert "—" not in seen


def test_the_current_report_renders_what_it_has_and_a_dash_for_the_rest() -> None:
    page = render_report_html(CURRENT, script="")
    specs = specs_of(page)
    assert set(specs) == {"plays", "prizes"}
    assert specs["plays"]["series"][0]["values"] == [4]
    missing = set(re.findall(r'data-missing="(\w+)"', page))
    assert missing == EVERY_CHART - {"plays", "prizes"}
    seen = " ".join(text(page).split())
    assert "访客 —" in seen and "总成本 —" in seen and "预算 —" in seen and "参与次数 4" in seen
    assert "每日明细 —" in seen and "check-in 玩法指标" in seen


def test_nothing_at_all_or_values_of_the_wrong_kind_still_render() -> None:
    assert set(re.findall(r'data-missing="(\w+)"', render_report_html({}, script=""))) == EVERY_CHART
    odd = {"funnel": {"visitors": "many", "players": None}, "days": "soon", "plays": [1, 2],
           "cost": {"total": "NaN", "budget": None, "by_kind": {"prizes": "x"}}, "fraud_blocks": {"r": True},
           "channels": {"h5": 3}, "k_factor": {"assist": "high"}, "config_version": None}
    page = render_report_html(odd, script="")
    assert specs_of(page) == {}
    seen = " ".join(text(page).split())
    assert "访客 —" in seen and "总成本 —" in seen and "预算 不限" in seen


def test_text_from_the_report_cannot_break_out_of_the_page() -> None:
    hostile = "</script><script>alert(1)</script>"
    report = {**FULL, "campaign_id": hostile, "plays": {hostile: 1}, "games": {hostile: {hostile: hostile}}}
    page = render_report_html(report, script="let s = '</script>';")
    assert "<script>alert(1)" not in page
    assert page.count("</script>") == 2  # the data block's and the chart script's own
    assert specs_of(page)["plays"]["labels"] == [hostile]


def test_the_page_carries_the_built_chart_script_inline() -> None:
    from tests.browser.conftest import build_pages

    build_pages()
    page = render_report_html(FULL)
    assert "Chart.js v4" in page and not re.search(r"<script[^>]*\ssrc=", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page.split("</style>")[0]
    assert chart_specs(FULL)["days"] == specs_of(page)["days"]
